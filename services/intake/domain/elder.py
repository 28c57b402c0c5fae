"""An elder in the district's register, and the rules for entering one."""

from dataclasses import dataclass, field
from datetime import date, datetime

from services.intake.domain.key_targets import Facts, key_target_reasons
from services.intake.domain.national_id import InvalidNationalId, parse_national_id
from shared.ages import age_on
from shared.errors import RuleViolation

ELDER_AGE = 60


@dataclass(frozen=True)
class Circumstances:
    """The household and flags that decide what help an elder needs."""

    household_type: str = "unknown"  # empty_nest, living_alone, widowed_childless, with_family
    low_income: bool = False  # 低保
    disabled: bool = False
    home_care: bool = False  # enrolled home-care household, 居家养老户
    retired_cadre_employer: str | None = None  # 离退休干部: the original employer
    retired_cadre_employer_contact: str | None = None

    def facts(self, chronic_illness: bool = False, self_care_level: str | None = None) -> Facts:
        return Facts(
            self.household_type, self.low_income, self.disabled, chronic_illness, self_care_level
        )


@dataclass(frozen=True)
class Registration:
    """What a clerk enters for a new elder."""

    national_id: str
    name: str
    sex: str
    birth_date: date
    community: str
    address: str
    phone: str | None = None
    emergency_contact: dict[str, str] = field(default_factory=dict)
    circumstances: Circumstances = field(default_factory=Circumstances)


@dataclass(frozen=True)
class Elder:
    elder_id: str
    national_id: str
    name: str
    sex: str
    birth_date: date
    community: str
    address: str
    phone: str | None
    emergency_contact: dict[str, str]
    registered_at: datetime
    circumstances: Circumstances = field(default_factory=Circumstances)
    key_target_reasons: tuple[str, ...] = ()
    status: str = "active"  # active, deceased, moved_out
    died_on: date | None = None
    moved_out_on: date | None = None
    version: int = 1


def register(registration: Registration, elder_id: str, at: datetime, today: date) -> Elder:
    """Check a registration against the ID number and the age rule; return the new elder."""
    try:
        identity = parse_national_id(registration.national_id)
    except InvalidNationalId as error:
        raise RuleViolation(f"national_id: {error}", field="national_id") from error
    if identity.birth_date != registration.birth_date:
        raise RuleViolation(
            f"birth_date {registration.birth_date} disagrees with the ID number "
            f"({identity.birth_date})",
            field="birth_date",
        )
    if identity.sex != registration.sex:
        raise RuleViolation(
            f"sex {registration.sex!r} disagrees with the ID number ({identity.sex!r})",
            field="sex",
        )
    if identity.birth_date > today:
        raise RuleViolation("birth_date is in the future", field="birth_date")
    age = age_on(identity.birth_date, today)
    if age < ELDER_AGE:
        raise RuleViolation(
            f"elders are registered from age {ELDER_AGE}; this person is {age}", field="birth_date"
        )
    return Elder(
        elder_id=elder_id,
        national_id=identity.value,
        name=registration.name.strip(),
        sex=identity.sex,
        birth_date=identity.birth_date,
        community=registration.community,
        address=registration.address.strip(),
        phone=registration.phone,
        emergency_contact=dict(registration.emergency_contact),
        registered_at=at,
        circumstances=registration.circumstances,
        key_target_reasons=key_target_reasons(registration.circumstances.facts()),
    )
