"""Use case: the reminders duty of allowances, run by the worker every minute: the month's
cycles due in three days or late (`domain.cycle_reminders`), decided once each, then sent."""

from services.allowances.domain.cycle import cycle_id_for
from services.allowances.domain.cycle_reminders import cycle_reminders
from services.allowances.domain.programmes import MONTHLY
from services.allowances.service_layer.container import Allowances
from shared.clock import local_today
from shared.months import month_of
from shared.reminders import Reminder
from shared.reminding import Outbound, ReminderPass, keep_and_send, kept


def remind(allowances: Allowances) -> ReminderPass:
    now = allowances.clock.now()
    today = local_today(allowances.clock, allowances.settings.zone)
    month, config = month_of(today), allowances.programmes.get()
    opened = {p: allowances.cycles.get(cycle_id_for(p, month)) for p in MONTHLY}
    cycles = {p: cycle for p, cycle in opened.items() if cycle is not None}
    rules = config.reminders
    found = cycle_reminders(month, config.report_due_day, cycles, rules.to, today, now)
    known = kept(allowances.reminders, [r.reminder_id for r in found])
    new = [r for r in found if r.reminder_id not in known]
    called = {r.reminder_id for r in found}

    def gone(reminder: Reminder) -> bool:
        """This month's cycle reminded of and since handed in (earlier months are no longer
        this pass's to judge)."""
        return reminder.subject.endswith(f":{month}") and reminder.reminder_id not in called

    return keep_and_send(Outbound.of(allowances, rules), new, now, gone)
