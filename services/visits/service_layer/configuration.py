"""Use cases: the district administrator sets deadlines, routine visits and community staff."""

from __future__ import annotations

from services.visits.domain import config as rules
from services.visits.domain.config import CommunityStaff, VisitsConfig
from services.visits.service_layer.container import Visits
from shared.reminders import ReminderRules


def set_deadlines(
    visits: Visits,
    trigger_hours: dict[str, int],
    response_hours: dict[str, int],
    complaint_hours: int | None = None,
) -> VisitsConfig:
    config = visits.config.get()
    changed = rules.set_deadlines(config, trigger_hours, response_hours, complaint_hours)
    visits.config.save(config, changed, "config.deadlines_set")
    return changed


def set_routine(visits: Visits, due_day: int | None, frequencies: dict[str, str]) -> VisitsConfig:
    config = visits.config.get()
    changed = rules.set_routine(config, due_day, frequencies)
    visits.config.save(config, changed, "config.routine_set")
    return changed


def set_community_staff(visits: Visits, staff: CommunityStaff) -> VisitsConfig:
    config = visits.config.get()
    changed = rules.set_community_staff(config, staff)
    visits.config.save(config, changed, "config.community_staff_set")
    return changed


def set_reminders(visits: Visits, reminders: ReminderRules) -> VisitsConfig:
    config = visits.config.get()
    changed = rules.set_reminders(config, reminders)
    visits.config.save(config, changed, "config.reminders_set")
    return changed
