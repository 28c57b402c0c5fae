"""The public notice (上墙公布) a community posts on its wall "to accept supervision": who
serves it and how to reach them, the hotline, the service items it offers, and its rules, the
deadlines the district has set (each must-visit trigger's, a help request's by urgency, a
complaint's). Made from the configuration as it stands when it is printed, never typed in."""

from dataclasses import dataclass

from services.visits.domain.config import VisitsConfig
from shared.vocabulary import SERVICE_TYPE_LABELS, TRIGGERS, URGENCIES


@dataclass(frozen=True)
class OnDuty:
    role: str  # 社区负责人, 走访员
    username: str
    mobile: str | None


@dataclass(frozen=True)
class PublicNotice:
    community: str
    name: str
    staff: tuple[OnDuty, ...]
    hotline: str
    service_guide: str
    service_items: tuple[str, ...]
    must_visits: tuple[tuple[str, int], ...]  # (trigger, hours to visit within)
    help_answered: tuple[tuple[str, int], ...]  # (urgency, hours to respond within)
    complaint_hours: int


def public_notice(
    community: str,
    name: str,
    config: VisitsConfig,
    mobiles: dict[str, str | None],
    hotline: str,
    service_guide: str,
) -> PublicNotice:
    """The notice of one community; `mobiles`: the staff's numbers by user name."""
    staff = config.staff(community)
    on_duty = tuple(
        OnDuty(role, username, mobiles.get(username))
        for role, username in (("社区负责人", staff.head), ("走访员", staff.worker))
        if username
    )
    return PublicNotice(
        community,
        name or community,
        on_duty,
        hotline,
        service_guide,
        tuple(SERVICE_TYPE_LABELS.values()),
        tuple((TRIGGERS[t].label, config.deadline_hours(t)) for t in TRIGGERS),
        tuple((URGENCIES[u].label, config.response_deadline_hours(u)) for u in URGENCIES),
        config.complaint_answer_hours,
    )
