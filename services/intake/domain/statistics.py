"""District statistics from the register: the tables the street office reports."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from services.intake.domain.age_bands import BAND_NAMES, band_of
from shared.ages import age_on
from shared.vocabulary import CADRE_RETIREMENTS, HOUSEHOLD_TYPES, MARITAL_STATUSES, SETTLEMENTS

# The facts the statistics count (elders by each value, "unknown" where not recorded), as the
# reports quote them: "6,916 live in the communities, 36.8%"
FACT_VALUES = {
    "marital_status": tuple(MARITAL_STATUSES),
    "party_member": ("yes", "no", "unknown"),
    "veteran": ("yes", "no", "unknown"),
    "cadre_retirement": (*CADRE_RETIREMENTS, "unknown"),
    "settlement": (*SETTLEMENTS, "unknown"),
}
FACTS = tuple(FACT_VALUES)


def _fact_value(value: object) -> str:
    """A fact as counted: a yes/no as such, nothing recorded as unknown."""
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


@dataclass
class Tally:
    elders: int = 0
    age_bands: Counter = field(default_factory=Counter)
    household_types: Counter = field(default_factory=Counter)
    key_targets: int = 0
    key_target_reasons: Counter = field(default_factory=Counter)
    cards: Counter = field(default_factory=Counter)
    low_income: int = 0
    home_care: int = 0
    facts: Counter = field(default_factory=Counter)  # "<fact>:<value>" -> elders

    def add(self, row: dict, today: date) -> None:
        circumstances = row.get("circumstances") or {}
        self.elders += 1
        band = band_of(age_on(date.fromisoformat(row["birth_date"]), today))
        if band:
            self.age_bands[band] += 1
        self.household_types[circumstances.get("household_type", "unknown")] += 1
        reasons = row.get("key_target_reasons") or []
        self.key_targets += bool(reasons)
        self.key_target_reasons.update(reasons)
        if row.get("card"):
            self.cards[row["card"]["category"]] += 1
        self.low_income += bool(circumstances.get("low_income"))
        self.home_care += bool(circumstances.get("home_care"))
        for fact in FACTS:
            self.facts[f"{fact}:{_fact_value(circumstances.get(fact))}"] += 1

    def merge(self, other: "Tally") -> None:
        self.elders += other.elders
        self.age_bands.update(other.age_bands)
        self.household_types.update(other.household_types)
        self.key_targets += other.key_targets
        self.key_target_reasons.update(other.key_target_reasons)
        self.cards.update(other.cards)
        self.low_income += other.low_income
        self.home_care += other.home_care
        self.facts.update(other.facts)

    def as_dict(self) -> dict:
        return {
            "elders": self.elders,
            "age_bands": {band: self.age_bands[band] for band in BAND_NAMES},
            "household_types": {kind: self.household_types[kind] for kind in HOUSEHOLD_TYPES},
            "key_targets": self.key_targets,
            "key_target_reasons": dict(sorted(self.key_target_reasons.items())),
            "cards_issued": dict(sorted(self.cards.items())),
            "low_income": self.low_income,
            "home_care": self.home_care,
            "facts": {
                fact: {value: self.facts[f"{fact}:{value}"] for value in values}
                for fact, values in FACT_VALUES.items()
            },
        }


def tally_of(rows: Iterable[dict], today: date) -> Tally:
    """The counts of these elders' rows."""
    tally = Tally()
    for row in rows:
        tally.add(row, today)
    return tally


def district_statistics(rows: Iterable[dict], today: date) -> dict:
    """Counts of active elders for the whole district and for each community."""
    communities: dict[str, Tally] = {}
    for row in rows:
        communities.setdefault(row["community"], Tally()).add(row, today)
    return statistics_of(communities, today)


def statistics_of(communities: dict[str, Tally], today: date) -> dict:
    """The district's figures from each community's counts (those counting nobody left out)."""
    district = Tally()
    for tally in communities.values():
        district.merge(tally)
    return {
        "as_of": today,
        "district": district.as_dict(),
        "communities": [
            {"community": code, **tally.as_dict()}
            for code, tally in sorted(communities.items())
            if tally.elders
        ],
    }


@dataclass(frozen=True)
class HouseholdRow:
    """What the statistics read of an active household."""

    community: str
    household_type: str
    elders: int  # of the register
    persons: int  # everyone living there
    home_care: bool = False  # enrolled as a home-care household (居家养老户)


HOME_CARE = "home_care"  # the figures' key of home-care households, beside the types


def household_figures(rows: Iterable[HouseholdRow]) -> dict[str, dict[str, dict[str, int]]]:
    """Households and persons by type (空巢家庭 N户 / M人), and the home-care households
    (under `HOME_CARE`), per community and for the district (under ""): `elders` are those of
    the register, `persons` everyone living there."""
    figures: dict[str, dict[str, dict[str, int]]] = {"": no_households()}
    for row in rows:
        for where in (row.community, ""):
            counted = figures.setdefault(where, no_households())
            kinds = (row.household_type, HOME_CARE) if row.home_care else (row.household_type,)
            for kind in kinds:
                counts = counted[kind]
                counts["households"] += 1
                counts["elders"] += row.elders
                counts["persons"] += row.persons
    return figures


def no_households() -> dict[str, dict[str, int]]:
    return {
        kind: {"households": 0, "elders": 0, "persons": 0} for kind in (*HOUSEHOLD_TYPES, HOME_CARE)
    }
