"""Volunteers: people of any age who offer their skills; an elder can be one too."""

from dataclasses import dataclass, replace
from datetime import datetime

from services.intake.domain.national_id import InvalidNationalId, parse_national_id
from shared.errors import RuleViolation
from shared.personal import mask_national_id


@dataclass(frozen=True)
class Volunteer:
    volunteer_id: str
    name: str
    community: str
    phone: str | None
    skills: tuple[str, ...]
    registered_at: datetime
    national_id: str | None = None
    elder_id: str | None = None
    version: int = 1

    def masked(self) -> "Volunteer":
        """As its history shows it: the ID number masked."""
        return replace(self, national_id=mask_national_id(self.national_id))


def enrol(
    volunteer_id: str,
    name: str,
    community: str,
    phone: str | None,
    skills: list[str],
    at: datetime,
    national_id: str | None = None,
    elder_id: str | None = None,
) -> Volunteer:
    if national_id is not None:
        try:
            national_id = parse_national_id(national_id).value
        except InvalidNationalId as error:
            raise RuleViolation(f"national_id: {error}", field="national_id") from error
    offered = tuple(sorted({s.strip() for s in skills if s.strip()}))
    return Volunteer(
        volunteer_id, name.strip(), community, phone, offered, at, national_id, elder_id
    )
