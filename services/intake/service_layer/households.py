"""Use cases of households (户): place elders in them, keep them true as the register changes,
and let staff correct them.

Each household is written with its history and events in one compare-and-set, as every record
is. Its elders' own `household_type` then follows it, each elder in a write of its own; a crash
between the two is mended when the same event comes again, since every step looks at the state
and does only what is still missing.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from typing import Any

from services.intake.domain import household as rules
from services.intake.domain.elder import Elder, HouseholdTerms, follow_household
from services.intake.domain.grid import ACTIVE, HOMES, GridCell
from services.intake.domain.household import (
    Ambiguity,
    GroupKey,
    HomeCare,
    Household,
    MemberFacts,
    Newcomer,
    Resident,
)
from services.intake.service_layer import changes
from services.intake.service_layer.container import Intake
from shared.audit import Actor
from shared.changes import Change
from shared.clock import local_today
from shared.errors import Conflict, RuleViolation
from shared.events import Event, announce, announce_change
from shared.stores import at_version, filtered

HOUSEHOLDS = Actor("system:households", "schedule")
# A death in the household is a must-visit for those who remain (家庭发生意外)
BEREAVEMENT = "family_accident"
LEFT_BY = {"elder.deceased": "died", "elder.moved_out": "moved_out", "elder.merged": "merged"}
PLACED_BY = ("elder.moved", "elder.returned", "elder.death_revoked")
CORRECTED_BY = ("elder.updated",)  # an address corrected on the record: the household follows
MOVED = "before the move"  # where the type of a mover's new household was stated


@dataclass
class Grouping:
    """What placing elders in households did, and the rows a clerk should look at."""

    placed: int = 0
    households_formed: int = 0
    households_joined: int = 0
    types_followed: int = 0  # elders whose household type changed to their household's
    ambiguous: list[dict[str, Any]] = field(default_factory=list)

    def note(self, ambiguity: Ambiguity) -> None:
        self.ambiguous.append(
            {
                "elder_ids": list(ambiguity.elder_ids),
                "rows": list(ambiguity.rows),
                "reason": ambiguity.reason,
            }
        )


def state(household: Household) -> dict[str, Any]:
    """What the household's events carry: no address, no names of residents."""
    return {
        "household_id": household.household_id,
        "version": household.version,
        "community": household.community,
        "household_type": household.household_type,
        "type_source": household.type_source,
        "members": list(household.members),
        "persons": household.persons,
        "status": household.status,
        "home_care": household.home_care is not None,
        "home_care_since": household.home_care.since if household.home_care else None,
        "cell_id": household.cell_id,
    }


Joining = tuple[Household, Change[Household]]  # the household before, and the change


@dataclass
class Arrangement:
    """Where a batch of elders will live, worked out before anything is written: the new
    households, and the changes of those they join (one per elder joining)."""

    formed: list[Household] = field(default_factory=list)
    joins: list[list[Joining]] = field(default_factory=list)
    report: Grouping = field(default_factory=Grouping)

    def households(self) -> list[Household]:
        """Every household the batch touches, as it will stand."""
        return [*self.formed, *(joinings[-1][1].after for joinings in self.joins)]

    def terms_of(self, elder_id: str) -> HouseholdTerms | None:
        """What the elder takes from the household they will live in (None: none)."""
        for household in self.households():
            if elder_id in household.members:
                return household.terms
        return None


def place(intake: Intake, newcomers: Sequence[Newcomer], by: Actor, stated: str | None) -> Grouping:
    """Put each elder not yet in a household into one: the household of the same 户号, or at
    the same address, of the community, else a new one (`arrange`, then `settle`)."""
    arrangement = arrange(intake, newcomers, by, stated)
    settle(intake, arrangement, {n.elder.elder_id: n.elder for n in newcomers})
    return arrangement.report


def arrange(
    intake: Intake, newcomers: Sequence[Newcomer], by: Actor, stated: str | None
) -> Arrangement:
    """The households these elders will live in; nothing is written. A batch step: the
    households the batch may join are read once.

    `stated` says where the elders' own household type was stated ("at registration", "in
    the survey"), for a new household to keep where the rules know too little; None when it
    was not (a clerk's regrouping: nothing is known of the new home). Elders who join a
    household enrol it in home care if their records say they are enrolled, except after a
    move (`MOVED`) or a regrouping, when they take the household's."""
    arrangement = Arrangement()
    report = arrangement.report
    housed = _housed(intake, [n.elder.elder_id for n in newcomers])
    newcomers = [n for n in newcomers if n.elder.elder_id not in housed]
    if not newcomers:
        return arrangement
    groups, ambiguous = rules.group(newcomers)
    for ambiguity in ambiguous:
        report.note(ambiguity)
    existing = _existing(intake, groups)
    homes = _homes_named(intake, newcomers)
    now, today = intake.clock.now(), _today(intake)
    for key, members in groups.items():
        found = existing.get(key, [])
        home, unplaced = rules.home_named(members, homes)
        if unplaced is not None:
            report.note(unplaced)
        if len(found) == 1:
            enrols = stated is not None and stated != MOVED
            joins = _joins(intake, found[0], members, now, today, by, enrols, home)
            arrangement.joins.append(joins)
            report.households_joined += 1
        else:
            if len(found) > 1:
                report.note(_two_households(members, len(found)))
            formed = _form(intake, key, members, by, stated, now, today, report)
            arrangement.formed.append(replace(formed, cell_id=home.cell_id) if home else formed)
        report.placed += len(members)
    return arrangement


def _homes_named(intake: Intake, newcomers: Sequence[Newcomer]) -> dict[tuple[str, str], GridCell]:
    """The buildings and courtyards of the communities whose rows name one, by community and
    name: read once for the batch."""
    communities = sorted({n.elder.community for n in newcomers if n.building})
    if not communities:
        return {}
    query = {"community": {"$in": communities}, "status": ACTIVE, "kind": {"$in": list(HOMES)}}
    return {(cell.community, cell.name): cell for cell in intake.grid.each(query)}


def settle(intake: Intake, arrangement: Arrangement, known: dict[str, Elder]) -> None:
    """Write an arrangement: the new households in one insert, each join with its event, and
    then each elder's own type as their household's (`known`: elders at hand, as stored)."""
    formed = [(h, [_formed(intake, h)], None) for h in arrangement.formed]
    _index(intake, arrangement.formed)
    skipped = intake.households.add_many(formed)
    intake.household_keys.changed()
    arrangement.report.households_formed += len(formed) - len(skipped)
    for joinings in arrangement.joins:
        for before, change in joinings:
            after = change.after
            events = announce_change(intake, change, after.household_id, state(after))
            _save(intake, before, change, events)
    for household in arrangement.households():
        arrangement.report.types_followed += _follow(intake, household, known)


def leave(intake: Intake, elder_id: str, reason: str, on: date) -> Household | None:
    """The elder no longer lives in their household: it is worked out again from those who
    remain, who each get the must-visit of a death in the family if the elder died."""
    household = household_of(intake, elder_id)
    if household is None:
        return None
    remaining = [m for m in household.members if m != elder_id]
    today = _today(intake)
    facts = _facts(intake, remaining, today)
    change = rules.depart(household, elder_id, reason, on, facts, today.year)
    if change is None:
        return household
    events = announce_change(intake, change, household.household_id, state(change.after))
    if reason == "died":
        events += [_bereavement(intake, elder_id, survivor, on) for survivor in remaining]
    _save(intake, household, change, events)
    _follow(intake, change.after, {})
    return change.after


def follow_register(intake: Intake, event_type: str, elder_id: str, data: dict[str, Any]) -> bool:
    """An elder event of the register, as it bears on households: a death, a move out of the
    district or a merge takes the elder out; a move, or an address corrected, puts them in
    the household of their new home; a return or a revoked death puts them back in one."""
    if event_type in LEFT_BY:
        on = data.get("died_on") or data.get("moved_on") or _today(intake)
        return leave(intake, elder_id, LEFT_BY[event_type], on) is not None
    if event_type in CORRECTED_BY:
        if "address" not in data.get("changed", ()):
            return False
        return rehouse(intake, elder_id, "regrouped", _today(intake), HOUSEHOLDS).placed > 0
    if event_type not in PLACED_BY:
        return False
    on = data.get("moved_on") or _today(intake)
    return rehouse(intake, elder_id, "moved", on, HOUSEHOLDS).placed > 0


def rehouse(intake: Intake, elder_id: str, reason: str, on: date, by: Actor) -> Grouping:
    """The elder lives at the address their record now gives: they leave a household at
    another (for `reason`, on `on`) and are placed in the one at theirs, or a new one."""
    elder = intake.elders.get(elder_id)
    if elder.status != "active":  # closed again since: nothing to place
        return Grouping()
    current = household_of(intake, elder_id)
    home = (elder.community, rules.address_key(elder.address))
    if current is not None and (current.community, current.address_key) == home:
        return Grouping()
    if current is not None:
        leave(intake, elder_id, reason, on)
    return place(intake, [Newcomer(elder)], by, MOVED)


def house_everyone(intake: Intake, batch: int = 2000) -> Grouping:
    """Every elder of the register in a household: the migration of a register kept before
    households, and the mending of a registration whose household was not yet made. Running
    it again changes nothing."""
    housed: set[str] = set()
    for household in intake.households.each({"status": "active"}):
        housed.update(household.members)
    unhoused = [
        document["_id"]
        for document in intake.elders.scan({"status": "active"}, ["_id"])
        if document["_id"] not in housed
    ]
    report = Grouping()
    for start in range(0, len(unhoused), batch):
        elders = intake.elders.by_ids(unhoused[start : start + batch])
        part = place(intake, [Newcomer(e) for e in elders], HOUSEHOLDS, "in the register")
        _add(report, part)
    return report


def enrol_as_recorded(intake: Intake) -> int:
    """Households kept before home care was the household's hold no enrolment of their own:
    each in which an elder's record says enrolled is enrolled now, and the others living
    there follow. A household written since holds its own enrolment, which this leaves alone,
    so it runs at every start and changes nothing the second time."""
    enrolled = [
        document["_id"]
        for document in intake.elders.scan(
            {"status": "active", "circumstances.home_care": True}, ["_id"]
        )
    ]
    pointed = intake.household_keys.lookup([_elder_key(i) for i in enrolled])
    ids = sorted({h for household_ids in pointed.values() for h in household_ids})
    older = {"_id": {"$in": ids}, "status": "active", "home_care": {"$exists": False}}
    done = 0
    for household in list(intake.households.each(older)) if ids else []:
        change = rules.enrol_home_care(household, _today(intake), HOUSEHOLDS.user)
        try:
            _apply(intake, household, change)
        except Conflict:  # another copy of the service enrolled it just now
            continue
        done += 1
    return done


def list_query(filters: dict[str, Any]) -> dict[str, Any]:
    """The store's query for a list of active households by community, type and how the
    type was decided."""
    query = filtered(filters, ("community", "household_type", "cell_id"), status="active")
    if "home_care" in filters:
        query["home_care"] = {"$ne": None} if filters["home_care"] else None
    if "type_source" in filters:
        query["set_by_hand"] = {"$ne": None} if filters["type_source"] == "by_hand" else None
    return query


def household_of(intake: Intake, elder_id: str) -> Household | None:
    """The active household the elder lives in, found by the elder's key."""
    pointed = intake.household_keys.lookup([_elder_key(elder_id)]).get(_elder_key(elder_id), [])
    for household_id in pointed:
        household = intake.households.get(household_id)
        if household and household.status == "active" and elder_id in household.members:
            return household
    return None


def update_elder(
    intake: Intake, elder_id: str, version: int | None, by: Actor, edits: dict[str, Any]
) -> Elder:
    """Change an elder's details. A household type or a home-care enrolment typed on the
    elder's record is their household's: the type set by hand (the rules' type did not hold
    for the clerk), the household enrolled or its enrolment ended; the others living there
    follow. A corrected address takes the elder to the household at it, as the worker follows
    the update (`follow_register`): one elder's events are handled in order, so that two
    corrections at once cannot race."""
    before = intake.elders.get(elder_id)
    elder = changes.update_elder(intake, elder_id, version, by, edits)
    wanted = elder.circumstances.household_type
    typed = wanted not in (before.circumstances.household_type, "unknown")
    enrolled = elder.circumstances.home_care
    enrolling = enrolled != before.circumstances.home_care
    household = household_of(intake, elder_id) if typed or enrolling else None
    if household is None:
        return elder  # as written: a later writer's version is theirs to answer
    reason = f"set on the record of {elder.name} ({elder_id})"
    if typed and wanted != household.household_type:
        household = set_type(intake, household.household_id, household.version, wanted, reason, by)
    if enrolling and enrolled != household.terms.home_care:
        today = _today(intake)
        set_home_care(intake, household.household_id, household.version, enrolled, today, by)
    return intake.elders.get(elder_id)  # as the household left it


def set_type(
    intake: Intake, household_id: str, version: int, household_type: str, reason: str, by: Actor
) -> Household:
    household = at_version(intake.households, household_id, version)
    change = rules.set_type(household, household_type, reason, by.user, intake.clock.now())
    return _apply(intake, household, change)


def set_home_care(
    intake: Intake, household_id: str, version: int, enrolled: bool, on: date, by: Actor
) -> Household:
    """Enrol the household in home care from `on`, or end its enrolment on `on`; every elder
    living there follows, and their vouchers with them."""
    household = at_version(intake.households, household_id, version)
    if enrolled:
        return _apply(intake, household, rules.enrol_home_care(household, on, by.user))
    return _apply(intake, household, rules.end_home_care(household, on))


def place_in_grid(
    intake: Intake, household_id: str, version: int, cell_id: str | None
) -> Household:
    """The household is in this building or courtyard of its community (None: in none)."""
    household = at_version(intake.households, household_id, version)
    cell = intake.grid.require(cell_id) if cell_id else None
    return _apply(intake, household, rules.place_in_grid(household, cell))


def reorganise(
    intake: Intake, household: Household, community: str, cell_id: str | None, summary: str
) -> bool:
    """The household is now of another community (`reorganisations`); False if it changed
    meanwhile, for the next pass to move it."""
    try:
        _apply(intake, household, rules.reorganise(household, community, cell_id, summary))
    except Conflict:
        return False
    return True


def clear_type(intake: Intake, household_id: str, version: int) -> Household:
    household = at_version(intake.households, household_id, version)
    today = _today(intake)
    facts = _facts(intake, list(household.members), today)
    return _apply(intake, household, rules.clear_type(household, facts, today.year))


def set_residents(
    intake: Intake, household_id: str, version: int, residents: list[Resident]
) -> Household:
    household = at_version(intake.households, household_id, version)
    today = _today(intake)
    facts = _facts(intake, list(household.members), today)
    change = rules.set_residents(household, residents, facts, today.year)
    return _apply(intake, household, change)


def move_member(intake: Intake, household_id: str | None, elder_id: str, by: Actor) -> Household:
    """A clerk's correction: the elder lives in this household (or, with None, in one of their
    own), not the one the grouping gave."""
    elder = intake.elders.get(elder_id)
    if elder.status != "active":
        raise RuleViolation(f"the elder's record is closed (status: {elder.status})")
    target = intake.households.require(household_id) if household_id else None
    if target is not None and elder_id in target.members:
        raise RuleViolation("the elder already lives in this household", field="elder_id")
    if target is not None and target.community != elder.community:
        raise RuleViolation(
            f"the household is in {target.community}, the elder in {elder.community}",
            field="household_id",
        )
    today = _today(intake)
    leave(intake, elder_id, "regrouped", today)
    if target is None:
        newcomer = Newcomer(elder)
        key: GroupKey = (elder.community, "alone", elder_id)
        # nothing is known of the new home: no type is stated for it
        own = _form(intake, key, [newcomer], by, None, intake.clock.now(), today, Grouping())
        _index(intake, [own])
        intake.households.add(own, _formed(intake, own))
        intake.household_keys.changed()
        _follow(intake, own, {})
        return own
    joining = _joins(intake, target, [Newcomer(elder)], intake.clock.now(), today, by, False)
    arrangement = Arrangement(joins=[joining])
    settle(intake, arrangement, {})
    return arrangement.households()[0]


def _form(
    intake: Intake,
    key: GroupKey,
    members: list[Newcomer],
    by: Actor,
    stated_where: str | None,
    now: datetime,
    today: date,
    report: Grouping,
) -> Household:
    elders = [m.elder for m in members]
    first = elders[0]
    number = key[2] if key[1] == "number" else None
    enrolled = any(e.circumstances.home_care for e in elders)
    household = rules.form(
        str(uuid.uuid4()),
        first.community,
        first.address,
        number,
        [rules.facts_of(e, today) for e in elders],
        rules.residents_of(elders),
        now,
        HomeCare(today, by.user) if enrolled else None,
    )
    if stated_where is None:
        return rules.as_stated(household, "unknown", "", by.user, now)
    stated, disagreement = rules.stated_type(members)
    if disagreement is not None:
        report.note(disagreement)
    return rules.as_stated(household, stated, stated_where, by.user, now)


def _joins(
    intake: Intake,
    household: Household,
    members: list[Newcomer],
    now: datetime,
    today: date,
    by: Actor,
    enrols: bool,
    home: GridCell | None = None,
) -> list[Joining]:
    """Each newcomer joins, one change each, so each has its history line and event; the
    first enrolled newcomer enrols the household in home care where `enrols`; a household
    placed in no building is placed in `home`, the one its newcomers name."""
    facts = _facts(intake, list(household.members), today)
    joinings = []
    for newcomer in members:
        joining = rules.facts_of(newcomer.elder, today)
        facts = [*facts, joining]
        change = rules.join(household, joining, facts, now)
        joinings.append((household, change))
        household = change.after
        if enrols and newcomer.elder.circumstances.home_care and household.home_care is None:
            change = rules.enrol_home_care(household, today, by.user)
            joinings.append((household, change))
            household = change.after
    if home is not None and household.cell_id is None:
        joinings.append((household, rules.place_in_grid(household, home)))
    return joinings


def _follow(intake: Intake, household: Household, known: dict[str, Elder]) -> int:
    """Each elder of the household takes its type and home-care enrolment; those who have
    them already are not written. `known` are elders at hand, as the caller read them, so
    that they are not read again."""
    followed = 0
    terms = household.terms
    for elder_id in household.members:
        elder = known.get(elder_id) or intake.elders.get(elder_id)
        if elder.status != "active":
            continue
        held = elder.circumstances
        if HouseholdTerms(held.household_type, held.home_care) == terms:
            continue
        changes.change_elder(
            intake,
            elder_id,
            None,
            HOUSEHOLDS,
            lambda e, today: follow_household(e, terms, household.household_id, today),
        )
        followed += 1
    return followed


def _facts(intake: Intake, elder_ids: list[str], today: date) -> list[MemberFacts]:
    return [rules.facts_of(e, today) for e in intake.elders.by_ids(elder_ids)]


def _housed(intake: Intake, elder_ids: list[str]) -> set[str]:
    """Those of the elders who live in an active household already."""
    pointed = intake.household_keys.lookup([_elder_key(i) for i in elder_ids])
    households = _read(intake, {h for ids in pointed.values() for h in ids})
    return {
        elder_id
        for elder_id in elder_ids
        for household_id in pointed.get(_elder_key(elder_id), [])
        if household_id in households and elder_id in households[household_id].members
    }


def _existing(
    intake: Intake, groups: dict[GroupKey, list[Newcomer]]
) -> dict[GroupKey, list[Household]]:
    """The active households each group's key (户号, or address) finds."""
    pointed = intake.household_keys.lookup([_group_key(key) for key in groups])
    households = _read(intake, {h for ids in pointed.values() for h in ids})
    found: dict[GroupKey, list[Household]] = {}
    for key in groups:
        for household_id in pointed.get(_group_key(key), []):
            household = households.get(household_id)
            if household is not None and _group_of(household) == key:
                found.setdefault(key, []).append(household)
    return found


def _read(intake: Intake, household_ids: set[str]) -> dict[str, Household]:
    """The active households of these ids: one by one when few, else in one query."""
    if len(household_ids) <= 8:
        found = [intake.households.get(i) for i in household_ids]
    else:
        query = {"_id": {"$in": sorted(household_ids)}, "status": "active"}
        found = list(intake.households.each(query))
    return {h.household_id: h for h in found if h is not None and h.status == "active"}


def _index(intake: Intake, households: Iterable[Household]) -> None:
    """The keys that find each household, written before it is: by each elder living there,
    and by its 户号 or address."""
    intake.household_keys.point(
        (key, household.household_id)
        for household in households
        for key in (
            *(_elder_key(elder_id) for elder_id in household.members),
            _group_key(_group_of(household)),
        )
    )


def _group_of(household: Household) -> GroupKey:
    if household.household_number:
        return (household.community, "number", household.household_number)
    return (household.community, "address", household.address_key)


def _elder_key(elder_id: str) -> str:
    return f"elder:{elder_id}"


def _group_key(key: GroupKey) -> str:
    community, kind, value = key
    return f"{kind}:{community}|{value}"


def _two_households(members: list[Newcomer], count: int) -> Ambiguity:
    reason = (
        f"{count} households are already at this address or 户号; the elder is placed in a new "
        "one until a clerk chooses"
    )
    return Ambiguity(
        tuple(m.elder.elder_id for m in members),
        tuple(m.row for m in members if m.row is not None),
        reason,
    )


def _formed(intake: Intake, household: Household) -> Event:
    return announce(intake, "household.formed", household.household_id, state(household))


def _bereavement(intake: Intake, died: str, survivor: str, died_on: date) -> Event:
    """The must-visit of a death in the family, once per death and survivor: its id is
    made of the two, so the same news twice raises it once."""
    occurred = datetime.combine(died_on, time(), tzinfo=intake.settings.zone)
    return announce(
        intake,
        "incident.reported",
        survivor,
        {
            "incident_id": f"household-death:{died}:{survivor}",
            "elder_id": survivor,
            "trigger": BEREAVEMENT,
            "occurred_at": occurred,
            "reported_by": "intake:households",
            "reference": died,
            "note": "a member of the household died (家庭成员去世)",
        },
    )


def _apply(intake: Intake, household: Household, change: Change[Household]) -> Household:
    events = announce_change(intake, change, household.household_id, state(change.after))
    _save(intake, household, change, events)
    _follow(intake, change.after, {})
    return change.after


def _save(
    intake: Intake, before: Household, change: Change[Household], events: Iterable[Event]
) -> None:
    _index(intake, [change.after])
    saved = intake.households.save(before, change.after, *events, change=change.summary)
    intake.household_keys.changed()
    if not saved:
        raise Conflict(
            "the household changed meanwhile; try again",
            household_id=before.household_id,
        )


def _add(total: Grouping, part: Grouping) -> None:
    total.placed += part.placed
    total.households_formed += part.households_formed
    total.households_joined += part.households_joined
    total.types_followed += part.types_followed
    total.ambiguous += part.ambiguous


def _today(intake: Intake) -> date:
    return local_today(intake.clock, intake.settings.zone)
