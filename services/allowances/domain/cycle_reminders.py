"""Reminders of the month's cycles (发放名册及月报表), due on the district's report day: three
days before it, a cycle not yet handed in for review (or not yet opened) is reminded of; after
it, it is late. Each once per cycle and cause, to whoever prepared the cycle, or, when nobody
has opened it yet, to the officers the rules name (`ReminderRules.to`)."""

from collections.abc import Mapping
from datetime import date, datetime, timedelta

from services.allowances.domain.cycle import OPEN, OPENING, AllowanceCycle, cycle_id_for
from services.allowances.domain.programmes import MONTHLY
from shared.months import day_in_month
from shared.reminders import Reminder, named, reminder_id
from shared.vocabulary import PROGRAMME_LABELS

CYCLE_DUE = "cycle_due"
CYCLE_LATE = "cycle_late"
CAUSES = (CYCLE_DUE, CYCLE_LATE)
AHEAD = timedelta(days=3)


def cycle_reminders(
    month: str,
    due_day: int,
    cycles: Mapping[str, AllowanceCycle],
    officers: tuple[str, ...],
    today: date,
    now: datetime,
) -> list[Reminder]:
    """What this month's cycles, by programme (`cycles`: those opened), call for today."""
    due_on = day_in_month(month, due_day)
    found = []
    for programme in MONTHLY:
        cycle = cycles.get(programme)
        if cycle is not None and cycle.state not in (OPENING, OPEN):
            continue  # handed in
        if today < due_on - AHEAD:
            continue
        cause = CYCLE_LATE if today > due_on else CYCLE_DUE
        to = (cycle.opened_by,) if cycle is not None else officers
        text = _text(cause, programme, month, due_on, today, cycle is not None)
        subject = cycle_id_for(programme, month)
        found.append(
            Reminder(
                reminder_id(cause, subject),
                cause,
                subject,
                None,
                None,
                named(to),
                text,
                False,
                now,
                now,
            )
        )
    return found


def _text(cause: str, programme: str, month: str, due_on: date, today: date, opened: bool) -> str:
    year, number = month.split("-")
    what = f"{PROGRAMME_LABELS.get(programme, programme)}{year}年{int(number)}月发放名册及月报表"
    if cause == CYCLE_LATE:
        return f"【逾期提醒】{what}应于{due_on}前报送，已逾期，请尽快提交审核。"
    step = "请尽快核对并提交审核" if opened else "尚未生成，请尽快生成并提交审核"
    return f"【报表提醒】{what}应于{due_on}前报送（还有{(due_on - today).days}天），{step}。"
