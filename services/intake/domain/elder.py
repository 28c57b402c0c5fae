"""An elder in the district's register: the rules for entering one and for every change after.

Every change returns a `Change`: the elder's new state at the next version, the events that
announce it, and a line for the record's history. Nothing is ever deleted: a death, a move out
of the district or a merge changes the status, and the record stays.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from typing import Any

from services.intake.domain.assessment import Assessment
from services.intake.domain.district import District
from services.intake.domain.key_targets import Facts, key_target_reasons
from services.intake.domain.national_id import InvalidNationalId, parse_national_id
from shared.ages import age_on
from shared.changes import Change
from shared.errors import Conflict, RuleViolation

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
    skills: tuple[str, ...] = ()  # offered for volunteering
    marital_status: str = "unknown"  # MARITAL_STATUSES; widowed (丧偶) decides 孤寡
    has_children: bool | None = None  # None: not known
    party_member: bool | None = None  # 党员
    veteran: bool | None = None  # 退役军人
    cadre_retirement: str | None = None  # CADRE_RETIREMENTS: 离休 or 退休
    settlement: str | None = None  # SETTLEMENTS: an urban community or a village


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
    household_members: tuple[dict[str, str], ...] = ()
    household_number: str | None = None  # 户号: kept by the household, not the elder
    building: str | None = None  # the 楼栋 or 院落 it lives in, by name: the household's too


@dataclass(frozen=True)
class Card:
    number: str
    category: str
    issued_on: date


@dataclass(frozen=True)
class PriorityCard:
    """The priority service card (老年人优先服务卡), one of the community's "five ones": it
    shows the elder's right to be served first, with the district's hotline on its back."""

    number: str
    issued_on: date


@dataclass(frozen=True)
class Absence:
    """A time the elder lived outside the district: moved out, then came back."""

    moved_out_on: date
    returned_on: date


@dataclass(frozen=True)
class IdentityCorrection:
    """A correction of the ID number, birth date and sex: proposed by a clerk, decided by a
    district administrator (another person). The values before are kept beside the new ones."""

    national_id: str
    birth_date: date
    sex: str
    previous_national_id: str
    previous_birth_date: date
    previous_sex: str
    reason: str
    proposed_by: str
    proposed_at: datetime
    status: str = "pending"  # then approved or rejected
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_note: str | None = None


@dataclass(frozen=True)
class DoorChecked:
    """When the elder's facts were last checked at the door (入户核对信息), and by whom."""

    checked_on: date
    by: str  # the worker who called
    campaign_id: str | None  # the round of checks
    visit_id: str  # the visit that checked them
    corrected: tuple[str, ...] = ()  # the facts found wrong and put right


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
    household_members: tuple[dict[str, str], ...] = ()
    assessment: Assessment | None = None  # the latest; see Assessment.in_force
    key_target_reasons: tuple[str, ...] = ()
    card: Card | None = None
    priority_card: PriorityCard | None = None
    possible_duplicates: tuple[str, ...] = ()
    status: str = "active"  # active, deceased, moved_out, merged
    died_on: date | None = None
    moved_out_on: date | None = None
    merged_into: str | None = None
    absences: tuple[Absence, ...] = ()  # earlier times away from the district
    identity_corrections: tuple[IdentityCorrection, ...] = ()
    last_checked: DoorChecked | None = None
    version: int = 1

    def age(self, today: date) -> int:
        return age_on(self.birth_date, today)


@dataclass
class RegisterIndex:
    """The register's ID numbers and lookalike keys, for checking many new rows at once, and
    the row of the import where each ID number was first seen."""

    national_ids: set[str] = field(default_factory=set)
    rows: dict[str, int] = field(default_factory=dict)
    lookalikes: dict[tuple[str, str, str], list[str]] = field(default_factory=dict)

    def lookalikes_of(self, elder: "Elder") -> tuple[str, ...]:
        return tuple(self.lookalikes.get(_lookalike_key(elder), ()))

    def add(self, elder: "Elder") -> None:
        self.national_ids.add(elder.national_id)
        self.lookalikes.setdefault(_lookalike_key(elder), []).append(elder.elder_id)


def _lookalike_key(elder: "Elder") -> tuple[str, str, str]:
    """Same name, birth date and community: possibly the same person under another ID."""
    return (elder.name, elder.birth_date.isoformat(), elder.community)


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
    elder = Elder(
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
        household_members=tuple(registration.household_members),
    )
    return _with_key_targets(elder, today)


UPDATABLE = (
    "name",
    "address",
    "phone",
    "emergency_contact",
    "circumstances",
    "household_members",
)


def update(elder: Elder, changes: dict[str, Any], today: date) -> Change[Elder]:
    """Correct or update facts of a living elder in the district. `circumstances` holds only
    the household fields and flags to change: the others keep their values."""
    _require_active(elder)
    unknown = set(changes) - set(UPDATABLE)
    if unknown:
        raise RuleViolation(f"these fields cannot be changed here: {', '.join(sorted(unknown))}")
    if "circumstances" in changes:
        amended = amend_circumstances(elder.circumstances, changes["circumstances"])
        changes = {**changes, "circumstances": amended}
    changed = sorted(name for name, value in changes.items() if getattr(elder, name) != value)
    if not changed:
        raise RuleViolation("nothing to change: every value is already as given")
    updated = _with_key_targets(_next(elder, **changes), today)
    return Change(updated, [("elder.updated", {"changed": changed})], f"updated {changed}")


ON_THE_RECORD = ("phone", "address")  # what a door check corrects; the rest are circumstances


def checked_at_door(
    elder: Elder, checked: DoorChecked, corrections: Mapping[str, str], today: date
) -> Change[Elder] | None:
    """A door-to-door check: the facts found wrong are put right, and the record notes when
    it was checked and by whom. None: this visit's check is on the record already, or the
    elder no longer lives in the district."""
    if elder.status != "active":
        return None
    if elder.last_checked and elder.last_checked.visit_id == checked.visit_id:
        return None
    top = {f: v.strip() for f, v in corrections.items() if f in ON_THE_RECORD}
    facts = {f: _fact(v) for f, v in corrections.items() if f not in ON_THE_RECORD}
    circumstances = amend_circumstances(elder.circumstances, facts)
    wrong = sorted(
        [f for f, v in top.items() if getattr(elder, f) != v]
        + [f for f, v in facts.items() if getattr(elder.circumstances, f) != v]
    )
    stamp = replace(checked, corrected=tuple(wrong))
    after = _next(elder, **top, circumstances=circumstances, last_checked=stamp)
    changed = [f for f in top if f in wrong]
    changed += ["circumstances"] if circumstances != elder.circumstances else []
    what = f"; corrected {', '.join(wrong)}" if wrong else "; all correct"
    summary = f"checked at the door by {checked.by} on {checked.checked_on}{what}"
    return Change(
        _with_key_targets(after, today),
        [("elder.updated", {"changed": [*changed, "last_checked"]})],
        summary,
    )


def _fact(value: str) -> object:
    """A fact as a door check writes it: yes/no as a flag, anything else as given."""
    said = value.strip()
    return {"yes": True, "no": False}.get(said, said)


def amend_circumstances(current: Circumstances, sent: Mapping[str, Any]) -> Circumstances:
    """The circumstances with the fields sent changed and every other one kept."""
    known = {f.name for f in fields(Circumstances)}
    unknown = sorted(set(sent) - known)
    if unknown:
        raise RuleViolation(
            f"unknown circumstances: {', '.join(unknown)}; known are {', '.join(sorted(known))}",
            field="circumstances",
        )
    return replace(current, **sent)


@dataclass(frozen=True)
class HouseholdTerms:
    """What an elder takes from the household they live in."""

    household_type: str
    home_care: bool

    def as_circumstances(self) -> dict[str, Any]:
        return {"household_type": self.household_type, "home_care": self.home_care}

    def described(self) -> str:
        care = "in home care" if self.home_care else "not in home care"
        return f"household type now {self.household_type}, {care}"


def settled_in(elder: Elder, home: HouseholdTerms | None, today: date) -> Elder:
    """A new elder, before it is first written, of the type and home-care enrolment of the
    household they come to live in (None: none yet); the key-target reasons follow."""
    if home is None:
        return elder
    circumstances = replace(elder.circumstances, **home.as_circumstances())
    if circumstances == elder.circumstances:
        return elder
    return _with_key_targets(replace(elder, circumstances=circumstances), today)


def follow_household(
    elder: Elder, home: HouseholdTerms, household_id: str, today: date
) -> Change[Elder] | None:
    """The elder's household type and home-care enrolment as their household's now are (a
    member died or left, staff set them); None if they already are. The key-target reasons
    follow."""
    circumstances = replace(elder.circumstances, **home.as_circumstances())
    if elder.status != "active" or circumstances == elder.circumstances:
        return None
    followed = _with_key_targets(_next(elder, circumstances=circumstances), today)
    summary = f"{home.described()}, as household {household_id}'s"
    return Change(followed, [("elder.updated", {"changed": ["circumstances"]})], summary)


def record_assessment(elder: Elder, assessment: Assessment, today: date) -> Change[Elder]:
    _require_active(elder)
    if elder.assessment and assessment.assessed_on < elder.assessment.assessed_on:
        raise RuleViolation(
            f"a later assessment ({elder.assessment.assessed_on}) is already on record",
            field="assessed_on",
        )
    assessed = _with_key_targets(_next(elder, assessment=assessment), today)
    details = {
        "scale": assessment.scale,
        "self_care_level": assessment.self_care_level,
        "assessed_on": assessment.assessed_on,
        "valid_until": assessment.valid_until,
    }
    return Change(
        assessed, [("elder.assessed", details)], f"assessed: {assessment.self_care_level}"
    )


LAPSING_REASONS = ("chronic_illness_low_self_care",)  # the reasons an assessment gives


def review_key_targets(elder: Elder, today: date) -> Change[Elder] | None:
    """The key-target reasons as they stand today, since an assessment stops counting when it
    lapses; None if they are unchanged (or the record is closed)."""
    if elder.status != "active":
        return None
    reviewed = _with_key_targets(elder, today)
    if reviewed.key_target_reasons == elder.key_target_reasons:
        return None
    lapsed = elder.assessment.valid_until if elder.assessment else None
    why = f"the assessment lapsed after {lapsed}" if lapsed else "no assessment in force"
    return Change(
        _next(reviewed),
        [("elder.updated", {"changed": ["key_target_reasons"]})],
        f"key-target reasons reviewed: {why}",
    )


def record_death(elder: Elder, died_on: date, reported_by: str, today: date) -> Change[Elder]:
    _require_active(elder)
    _check_date(died_on, elder, today, "died_on")
    deceased = _next(elder, status="deceased", died_on=died_on, card=None, priority_card=None)
    events = [("elder.deceased", {"reported_by": reported_by})]
    if elder.card:
        events.append(
            ("elder.card_cancelled", {"card_number": elder.card.number, "reason": "deceased"})
        )
    if elder.priority_card:
        cancelled = {"card_number": elder.priority_card.number, "reason": "deceased"}
        events.append(("elder.priority_card_cancelled", cancelled))
    return Change(deceased, events, f"died on {died_on}, reported by {reported_by}")


def move_within(
    elder: Elder, to_community: str, moved_on: date, address: str | None, today: date
) -> Change[Elder]:
    """A move to another community, or to a new home in the same one (房子乔迁 is a must-visit
    either way); a move in the same community is known by its new address."""
    _require_active(elder)
    _check_date(moved_on, elder, today, "moved_on")
    new_address = address.strip() if address else None
    if to_community == elder.community:
        if new_address is None:
            raise RuleViolation(
                "a move within the same community needs the new address", field="address"
            )
        if new_address == elder.address:
            raise RuleViolation("the elder already lives at that address", field="address")
    moved = _next(elder, community=to_community, address=new_address or elder.address)
    details = {
        "from_community": elder.community,
        "to_community": to_community,
        "moved_on": moved_on,
    }
    where = (
        f"within {to_community}"
        if to_community == elder.community
        else f"from {elder.community} to {to_community}"
    )
    return Change(moved, [("elder.moved", details)], f"moved {where} on {moved_on}")


def reorganise(elder: Elder, community: str, summary: str, reorganisation_id: str) -> Change[Elder]:
    """The elder's community is now another, where they live as before: a merge, or a split
    that takes their home. No one moved house: no must-visit follows."""
    after = _next(elder, community=community)
    details = {
        "from_community": elder.community,
        "to_community": community,
        "reorganisation_id": reorganisation_id,
    }
    return Change(after, [("elder.reorganised", details)], summary)


def move_out(elder: Elder, moved_on: date, destination: str | None, today: date) -> Change[Elder]:
    _require_active(elder)
    _check_date(moved_on, elder, today, "moved_on")
    gone = _next(elder, status="moved_out", moved_out_on=moved_on)
    details = {"moved_on": moved_on, "destination": destination}
    return Change(gone, [("elder.moved_out", details)], f"moved out of the district on {moved_on}")


def issue_card(
    elder: Elder, category: str, next_number: Callable[[str], str], today: date
) -> Change[Elder]:
    """`next_number(category)` allocates a card number; it is called only once checks pass."""
    _require_active(elder)
    if elder.card:
        raise Conflict(
            f"the elder already holds card {elder.card.number}; upgrade it once the elder "
            "reaches a higher category, or reissue it if it was lost",
            card_number=elder.card.number,
        )
    number = next_number(category)
    card = Card(number, category, today)
    details = {"card_number": number, "category": category, "issued_on": today, "reissue": False}
    return Change(
        _next(elder, card=card), [("elder.card_issued", details)], f"card {number} issued"
    )


def reissue_card(
    elder: Elder, reason: str, next_number: Callable[[str], str], today: date
) -> Change[Elder]:
    _require_active(elder)
    if not elder.card:
        raise RuleViolation("the elder holds no card to reissue; issue one instead")
    old = elder.card
    number = next_number(old.category)
    card = Card(number, old.category, today)
    events: list[tuple[str, dict[str, Any]]] = [
        ("elder.card_cancelled", {"card_number": old.number, "reason": reason}),
        (
            "elder.card_issued",
            {
                "card_number": number,
                "category": old.category,
                "issued_on": today,
                "reissue": True,
                "replaces": old.number,
            },
        ),
    ]
    return Change(
        _next(elder, card=card), events, f"card {old.number} cancelled ({reason}); {number} issued"
    )


def upgrade_card(
    elder: Elder,
    district: District,
    category: str | None,
    next_number: Callable[[str], str],
    today: date,
) -> Change[Elder]:
    """Issue a card of a higher category (the one named, or the highest the age allows) and
    cancel the one held: the elder reached the age of the next category."""
    _require_active(elder)
    if not elder.card:
        raise RuleViolation("the elder holds no card to replace; issue one instead")
    old = elder.card
    chosen = district.card_upgrade(old.category, elder.age(today), category)
    number = next_number(chosen.code)
    card = Card(number, chosen.code, today)
    issued = {
        "card_number": number,
        "category": chosen.code,
        "issued_on": today,
        "reissue": False,
        "replaces": old.number,
    }
    events: list[tuple[str, dict[str, Any]]] = [
        (
            "elder.card_cancelled",
            {"card_number": old.number, "reason": f"upgraded to {chosen.name}"},
        ),
        ("elder.card_issued", issued),
    ]
    summary = f"card {old.number} ({old.category}) replaced by {number} ({chosen.code}): upgrade"
    return Change(_next(elder, card=card), events, summary)


def resolve_duplicate(elder: Elder, other_id: str, decision: str) -> Change[Elder]:
    """Staff decide whether a possible duplicate is the same person (merge) or not."""
    if other_id not in elder.possible_duplicates:
        raise RuleViolation(f"{other_id} is not listed as a possible duplicate of this elder")
    remaining = tuple(i for i in elder.possible_duplicates if i != other_id)
    if decision == "distinct":
        return Change(
            _next(elder, possible_duplicates=remaining), [], f"confirmed distinct from {other_id}"
        )
    if decision == "merge":
        _require_active(elder)
        merged = _next(
            elder,
            possible_duplicates=remaining,
            status="merged",
            merged_into=other_id,
            card=None,
            priority_card=None,
        )
        return Change(
            merged, [("elder.merged", {"merged_into": other_id})], f"merged into {other_id}"
        )
    raise RuleViolation("decision must be 'merge' or 'distinct'", field="decision")


def _next(elder: Elder, **changes: Any) -> Elder:
    return replace(elder, **changes, version=elder.version + 1)


def _with_key_targets(elder: Elder, today: date) -> Elder:
    circumstances, assessment = elder.circumstances, elder.assessment
    in_force = assessment if assessment and assessment.in_force(today) else None
    facts = Facts(
        household_type=circumstances.household_type,
        low_income=circumstances.low_income,
        disabled=circumstances.disabled,
        chronic_illness=bool(in_force and in_force.chronic_illnesses),
        self_care_level=in_force.self_care_level if in_force else None,
    )
    return replace(elder, key_target_reasons=key_target_reasons(facts))


def _require_active(elder: Elder) -> None:
    if elder.status != "active":
        raise RuleViolation(f"the elder's record is closed (status: {elder.status})")


def _check_date(day: date, elder: Elder, today: date, name: str) -> None:
    if day > today:
        raise RuleViolation(f"{name} is in the future", field=name)
    if day < elder.birth_date:
        raise RuleViolation(f"{name} is before the elder's birth", field=name)
