"""The district's settings for visits: deadlines, routine visits (the day of the month they
fall due, how often each kind of key target is visited), and who works and who heads each
community.

Stored as one record the district administrator edits; anything not set falls back to the
defaults here, so a new district works from its first day.
"""

from dataclasses import dataclass, field, replace

from services.visits.domain.triggers import check_hours, check_trigger
from shared.errors import RuleViolation
from shared.reminders import ReminderRules
from shared.vocabulary import KEY_TARGET_REASONS, TRIGGERS, URGENCIES, VISIT_FREQUENCIES

# The month's routine visits are due by the 25th, the field's report day (the report day itself
# is allowances' to set: see `filings`).
DEFAULT_DUE_DAY = 25
LAST_DUE_DAY = 28  # every month has it
DEFAULT_FREQUENCY = "monthly"
COMPLAINT_ANSWER_HOURS = 72  # a complaint is answered within three days unless the district says


@dataclass(frozen=True)
class CommunityStaff:
    community: str
    worker: str | None = None  # the responsible worker (user name), assignee of its visits
    head: str | None = None  # the community head, to whom overdue work is escalated


@dataclass(frozen=True)
class VisitsConfig:
    trigger_hours: dict[str, int] = field(default_factory=dict)  # overrides of the defaults
    response_hours: dict[str, int] = field(default_factory=dict)  # by urgency
    communities: tuple[CommunityStaff, ...] = ()
    routine_due_day: int = DEFAULT_DUE_DAY  # routine visits fall due by this day's end
    key_target_frequencies: dict[str, str] = field(default_factory=dict)  # overrides, by reason
    reminders: ReminderRules = field(default_factory=ReminderRules)
    complaint_answer_hours: int = COMPLAINT_ANSWER_HOURS
    scorecard_weights: dict[str, int] = field(default_factory=dict)  # overrides, by measure
    version: int = 0

    def deadline_hours(self, trigger: str) -> int:
        return self.trigger_hours.get(trigger, TRIGGERS[check_trigger(trigger)].default_hours)

    def response_deadline_hours(self, urgency: str) -> int:
        default = URGENCIES[check_urgency(urgency)].default_response_hours
        return self.response_hours.get(urgency, default)

    def key_target_frequency(self, reason: str) -> str:
        return self.key_target_frequencies.get(reason, DEFAULT_FREQUENCY)

    def key_target_months(self, reasons: list[str]) -> int | None:
        """How many months apart an elder with these key-target reasons is visited: the most
        frequent of the reasons' frequencies; None if no reason calls for routine visits."""
        months = (VISIT_FREQUENCIES[self.key_target_frequency(r)].months for r in reasons)
        return min((m for m in months if m is not None), default=None)

    def staff(self, community: str) -> CommunityStaff:
        known = (c for c in self.communities if c.community == community)
        return next(known, CommunityStaff(community))


def check_urgency(urgency: str, field: str = "urgency") -> str:
    if urgency not in URGENCIES:
        raise RuleViolation(
            f"unknown urgency {urgency!r}; use one of {', '.join(URGENCIES)}", field=field
        )
    return urgency


def set_deadlines(
    config: VisitsConfig,
    trigger_hours: dict[str, int],
    response_hours: dict[str, int],
    complaint_hours: int | None = None,
) -> VisitsConfig:
    """Set deadlines in hours: per trigger, per urgency, and a complaint's answer; what is not
    given keeps its value."""
    for trigger, hours in trigger_hours.items():
        check_hours(hours, field=check_trigger(trigger, field="triggers"))
    for urgency, hours in response_hours.items():
        check_hours(hours, field=check_urgency(urgency, field="help_requests"))
    if complaint_hours is not None:
        check_hours(complaint_hours, field="complaints")
    return replace(
        config,
        trigger_hours={**config.trigger_hours, **trigger_hours},
        response_hours={**config.response_hours, **response_hours},
        complaint_answer_hours=complaint_hours or config.complaint_answer_hours,
        version=config.version + 1,
    )


def set_routine(
    config: VisitsConfig, due_day: int | None, frequencies: dict[str, str]
) -> VisitsConfig:
    """Set the day of the month routine visits fall due by, and how often key targets are
    visited per reason; what is not given keeps its value."""
    if due_day is not None and not 1 <= due_day <= LAST_DUE_DAY:
        raise RuleViolation(
            f"due_day is 1 to {LAST_DUE_DAY}, so that every month has it", field="due_day"
        )
    for reason, frequency in frequencies.items():
        if reason not in KEY_TARGET_REASONS:
            raise RuleViolation(
                f"unknown key-target reason {reason!r}; use one of {', '.join(KEY_TARGET_REASONS)}",
                field="key_targets",
            )
        if frequency not in VISIT_FREQUENCIES:
            raise RuleViolation(
                f"unknown frequency {frequency!r} for {reason}; use one of "
                f"{', '.join(VISIT_FREQUENCIES)}",
                field="key_targets",
            )
    return replace(
        config,
        routine_due_day=config.routine_due_day if due_day is None else due_day,
        key_target_frequencies={**config.key_target_frequencies, **frequencies},
        version=config.version + 1,
    )


def set_community_staff(config: VisitsConfig, staff: CommunityStaff) -> VisitsConfig:
    if not staff.community.strip():
        raise RuleViolation("name the community", field="community")
    others = tuple(c for c in config.communities if c.community != staff.community)
    communities = tuple(sorted((*others, staff), key=lambda c: c.community))
    return replace(config, communities=communities, version=config.version + 1)


def set_reminders(config: VisitsConfig, reminders: ReminderRules) -> VisitsConfig:
    return replace(config, reminders=reminders, version=config.version + 1)


def set_scorecard_weights(config: VisitsConfig, weights: dict[str, int]) -> VisitsConfig:
    """The weights of the yearly evaluation's measures set (checked by `domain.scorecard`)."""
    return replace(
        config,
        scorecard_weights={**config.scorecard_weights, **weights},
        version=config.version + 1,
    )
