"""What the register counts of each elder: the facts behind its lists' totals and the
district's statistics, kept per community so that neither reads the whole register.

An entry holds an elder's community and, at the elder's version: status, birth date (age bands
move with the date, so they are worked out when read), household, flags, key-target reasons and
card category, and what a list shows of the elder (name, sex, the ID number masked as every
list shows it). Totals and pages are counted from a community's entries, and a list's page is
answered from them without reading the elders; the entry of a newer version always wins, so
writing one twice, or late, changes nothing.
"""

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from services.intake.domain.age_bands import birth_date_range
from shared.ages import age_on
from shared.personal import mask_national_id
from shared.vocabulary import ELDER_FLAGS as FLAGS

# the facts the statistics count beside the flags (not list filters)
FACTS = ("marital_status", "party_member", "veteran", "cadre_retirement", "settlement")
# the shape of an entry: tallies of an older shape are built again at start
FORMAT = 3
# the list filters a tally answers; the others (a name, corrections, cards due an upgrade)
# are the register's to search
COUNTED = frozenset(
    {"community", "status", "age_band", "household_type", "key_target", "key_target_reason"}
    | set(FLAGS)
    | {"card"}
)
NOT_COUNTED_CARDS = frozenset({"upgrade_due"})

Entry = dict[str, Any]
Row = tuple[str, str, Entry]  # (elder id, community, entry)


def entry_of(document: Mapping[str, Any]) -> Entry:
    """The counted facts of one stored elder."""
    circumstances = document.get("circumstances") or {}
    card = document.get("card")
    return {
        "v": document["version"],
        "status": document["status"],
        "birth_date": document["birth_date"],
        "circumstances": {
            "household_type": circumstances.get("household_type", "unknown"),
            **{flag: bool(circumstances.get(flag)) for flag in FLAGS},
            # a fact not recorded is left out, and counted as unknown
            **{f: circumstances[f] for f in FACTS if circumstances.get(f) not in (None, "unknown")},
        },
        "key_target_reasons": list(document.get("key_target_reasons") or []),
        "card": {"category": card["category"]} if card else None,
        "name": document["name"],
        "sex": document["sex"],
        "national_id": mask_national_id(document["national_id"]),
    }


def listed(elder_id: str, community: str, entry: Entry, today: date) -> dict[str, Any]:
    """The elder as a list shows them, from their entry: who, their age today, where, and
    whether still in the register; the ID number masked."""
    return {
        "elder_id": elder_id,
        "name": entry["name"],
        "sex": entry["sex"],
        "age": age_on(date.fromisoformat(entry["birth_date"]), today),
        "community": community,
        "status": entry["status"],
        "national_id": entry["national_id"],
    }


def counted(filters: Mapping[str, Any]) -> bool:
    """Whether a tally answers these filters."""
    return set(filters) <= COUNTED and filters.get("card") not in NOT_COUNTED_CARDS


def matches(entry: Entry, filters: Mapping[str, Any], today: date) -> bool:
    """Whether the elder of `entry` is one the filters ask for (as the register's query
    would match them)."""
    circumstances = entry["circumstances"]
    reasons = entry["key_target_reasons"]
    for name, wanted in filters.items():
        if name == "community":
            continue  # a tally is one community's
        if name == "status" and entry["status"] != wanted:
            return False
        if name == "household_type" and circumstances["household_type"] != wanted:
            return False
        if name in FLAGS and circumstances[name] != wanted:
            return False
        if name == "key_target" and bool(reasons) != wanted:
            return False
        if name == "key_target_reason" and wanted not in reasons:
            return False
        if name == "age_band" and not _in_band(entry["birth_date"], wanted, today):
            return False
        if name == "card" and not _holds(entry["card"], wanted):
            return False
    return True


def _in_band(born: str, band: str, today: date) -> bool:
    lower, upper = birth_date_range(band, today)
    return born <= upper.isoformat() and (lower is None or born > lower.isoformat())


def _holds(card: Mapping[str, str] | None, wanted: str) -> bool:
    if wanted == "any":
        return card is not None
    if wanted == "none":
        return card is None
    return card is not None and card["category"] == wanted


def newer(held: Mapping[str, int], arriving: Mapping[str, Entry]) -> set[str]:
    """The elders whose arriving entry is of a newer version than the one held (by version)."""
    return {i for i, entry in arriving.items() if held.get(i, 0) < entry["v"]}


def statistics_rows(tallies: Mapping[str, Mapping[str, Entry]]) -> Iterable[dict[str, Any]]:
    """The active elders of the tallies, as the district's statistics count them."""
    for community, members in tallies.items():
        for entry in members.values():
            if entry["status"] == "active":
                yield {"community": community, **entry}
