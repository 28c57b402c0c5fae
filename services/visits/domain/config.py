"""The district's settings for visits: deadlines, and who works and who heads each community.

Stored as one record the district administrator edits; anything not set falls back to the
defaults here, so a new district works from its first day.
"""

from dataclasses import dataclass, field, replace

from services.visits.domain.triggers import check_hours, check_trigger
from shared.errors import RuleViolation
from shared.vocabulary import TRIGGERS, URGENCIES


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
    version: int = 0

    def deadline_hours(self, trigger: str) -> int:
        return self.trigger_hours.get(trigger, TRIGGERS[check_trigger(trigger)].default_hours)

    def response_deadline_hours(self, urgency: str) -> int:
        default = URGENCIES[check_urgency(urgency)].default_response_hours
        return self.response_hours.get(urgency, default)

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
    config: VisitsConfig, trigger_hours: dict[str, int], response_hours: dict[str, int]
) -> VisitsConfig:
    for trigger, hours in trigger_hours.items():
        check_hours(hours, field=check_trigger(trigger, field="triggers"))
    for urgency, hours in response_hours.items():
        check_hours(hours, field=check_urgency(urgency, field="help_requests"))
    return replace(
        config,
        trigger_hours={**config.trigger_hours, **trigger_hours},
        response_hours={**config.response_hours, **response_hours},
        version=config.version + 1,
    )


def set_community_staff(config: VisitsConfig, staff: CommunityStaff) -> VisitsConfig:
    if not staff.community.strip():
        raise RuleViolation("name the community", field="community")
    others = tuple(c for c in config.communities if c.community != staff.community)
    communities = tuple(sorted((*others, staff), key=lambda c: c.community))
    return replace(config, communities=communities, version=config.version + 1)
