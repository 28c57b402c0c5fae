"""The key-target list (一批重点服务对象) of a community: every active elder with a reason to be
served first, with the reasons and when they were last visited, as the community keeps it on
paper and hands to its visitors. Ordered by how long an elder has waited for a visit, the
never visited first."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from services.visits.domain.config import CommunityStaff
from services.visits.domain.elder import Contact, Elder
from services.visits.domain.visit_records import VisitRecord
from shared.ages import age_on


@dataclass(frozen=True)
class KeyTarget:
    elder_id: str
    name: str
    sex: str
    age: int
    community: str
    address: str | None
    reasons: tuple[str, ...]
    last_visited_at: datetime | None
    last_visitor: str | None
    last_kind: str | None


@dataclass(frozen=True)
class KeyTargetReport:
    community: str | None  # None: every community of the district
    made_on: date
    staff: tuple[CommunityStaff, ...]  # each listed community's worker and head
    targets: tuple[KeyTarget, ...]


def key_target_list(
    elders: Iterable[Elder],
    contacts: Mapping[str, Contact],
    last_visits: Mapping[str, VisitRecord],
    today: date,
) -> list[KeyTarget]:
    listed = [
        _entry(elder, contacts.get(elder.elder_id), last_visits.get(elder.elder_id), today)
        for elder in elders
        if elder.status == "active" and elder.key_target_reasons
    ]
    return sorted(listed, key=_waited_longest)


def _entry(
    elder: Elder, contact: Contact | None, last: VisitRecord | None, today: date
) -> KeyTarget:
    return KeyTarget(
        elder.elder_id,
        elder.name,
        elder.sex,
        age_on(elder.birth_date, today),
        elder.community,
        contact.address if contact else None,
        tuple(elder.key_target_reasons),
        last.visited_at if last else None,
        last.visitor if last else None,
        last.kind if last else None,
    )


def _waited_longest(target: KeyTarget) -> tuple[str, bool, datetime | str, str]:
    """By community; in each, the never visited first, then the longest since a visit."""
    visited = target.last_visited_at
    return (target.community, visited is not None, visited or "", target.elder_id)
