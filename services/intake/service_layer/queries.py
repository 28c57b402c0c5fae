"""Read-side use cases: search the register, list key targets, compute statistics."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from services.intake.domain import tallies
from services.intake.domain.age_bands import birth_date_range, latest_birth_date
from services.intake.domain.elder import Elder
from services.intake.domain.household import Household
from services.intake.domain.statistics import (
    HouseholdRow,
    Tally,
    district_statistics,
    household_figures,
    no_households,
    statistics_of,
    tally_of,
)
from services.intake.service_layer.container import Intake
from services.intake.service_layer.stores import RegisterTallies
from shared.clock import local_today
from shared.documents import to_document
from shared.errors import RuleViolation
from shared.stores import filtered

UPGRADE_DUE = "upgrade_due"
STATISTICS_FIELDS = ["community", "birth_date", "circumstances", "key_target_reasons", "card"]


def receipts_query(filters: dict[str, Any]) -> dict[str, Any]:
    """Receipts of outside events by what became of them, their elder or their community."""
    return filtered(filters, ("status", "elder_id", "community"))


def volunteers_query(filters: dict[str, Any]) -> dict[str, Any]:
    """Volunteers by community, and by a skill they offer."""
    query = filtered(filters, ("community",))
    if "skill" in filters:
        query["skills"] = filters["skill"]
    return query


def search_query(intake: Intake, filters: dict[str, Any]) -> dict[str, Any]:
    """A store query from the list filters; unknown filters are the schema's job to refuse."""
    query: dict[str, Any] = {}
    for name in ("community", "status"):
        if name in filters:
            query[name] = filters[name]
    if "household_type" in filters:
        query["circumstances.household_type"] = filters["household_type"]
    for flag in tallies.FLAGS:
        if flag in filters:
            query[f"circumstances.{flag}"] = filters[flag]
    if "age_band" in filters:
        lower, upper = birth_date_range(
            filters["age_band"], local_today(intake.clock, intake.settings.zone)
        )
        born: dict[str, str] = {"$lte": upper.isoformat()}
        if lower:
            born["$gt"] = lower.isoformat()
        query["birth_date"] = born
    if "key_target" in filters:
        query["key_target_reasons.0"] = {"$exists": filters["key_target"]}
    if "key_target_reason" in filters:
        query["key_target_reasons"] = filters["key_target_reason"]
    if filters.get("card") == UPGRADE_DUE:
        query.update(card_upgrade_query(intake))
        query.setdefault("status", "active")
    elif "card" in filters:
        card = filters["card"]
        query.update(
            {"card": {"$ne": None}}
            if card == "any"
            else {"card": None}
            if card == "none"
            else {"card.category": card}
        )
    if "name" in filters:
        query["name"] = filters["name"]
    if "identity_correction" in filters:
        query["identity_corrections.status"] = filters["identity_correction"]
    if "not_checked_since" in filters:
        since = filters["not_checked_since"].isoformat()
        unchecked = [{"last_checked": None}, {"last_checked.checked_on": {"$lt": since}}]
        query.setdefault("$and", []).append({"$or": unchecked})
    return query


def card_upgrade_query(intake: Intake) -> dict[str, Any]:
    """Holders of a card whose age now allows a higher category."""
    today = local_today(intake.clock, intake.settings.zone)
    due = [
        {"card.category": held, "birth_date": {"$lte": latest_birth_date(today, age).isoformat()}}
        for held, age in intake.district.get().card_upgrade_ages().items()
    ]
    return {"$or": due} if due else {"card.category": {"$in": []}}


@dataclass(frozen=True)
class Window:
    """Which page of a list: after the elder id `after`, before the id `before`, or else
    `skip` elders from the start (the slower way, kept for page numbers)."""

    limit: int
    skip: int = 0
    after: str | None = None
    before: str | None = None


@dataclass(frozen=True)
class ElderPage:
    elders: list[Elder]
    total: int
    more_before: bool  # elders of the list before this page
    more_after: bool


@dataclass(frozen=True)
class ListedPage:
    """A page of the register as lists show it (`tallies.listed`)."""

    items: list[dict[str, Any]]
    total: int
    more_before: bool
    more_after: bool


def search(intake: Intake, filters: dict[str, Any], window: Window) -> ElderPage:
    """A page of the register in the order of elder ids, and how many match: counted from
    the communities' tallies when they answer the filters, else by the register's query."""
    if tallies.counted(filters) and intake.elders.tallies.built():
        rows, total, more_before, more_after = _counted(intake, filters, window)
        elders = intake.elders.by_ids([elder_id for elder_id, _, _ in rows])
        return ElderPage(elders, total, more_before, more_after)
    return _searched_page(intake, search_query(intake, filters), window)


def listed(intake: Intake, filters: dict[str, Any], window: Window) -> ListedPage:
    """The same page as `search`, as lists show it: answered from the tallies' entries,
    reading no elder, when they answer the filters; else from the register's search."""
    today = local_today(intake.clock, intake.settings.zone)
    if tallies.counted(filters) and intake.elders.tallies.built():
        rows, total, more_before, more_after = _counted(intake, filters, window)
        items = [tallies.listed(i, community, entry, today) for i, community, entry in rows]
        return ListedPage(items, total, more_before, more_after)
    page = _searched_page(intake, search_query(intake, filters), window)
    items = [
        tallies.listed(e.elder_id, e.community, tallies.entry_of(to_document(e)), today)
        for e in page.elders
    ]
    return ListedPage(items, page.total, page.more_before, page.more_after)


def _counted(
    intake: Intake, filters: dict[str, Any], window: Window
) -> tuple[list[tallies.Row], int, bool, bool]:
    """The page's (elder id, community, entry), how many match, and whether the list goes
    on before and after the page, from the tallies."""
    held = intake.elders.tallies.current(filters.get("community"))
    today = local_today(intake.clock, intake.settings.zone)
    matching = sorted(
        (elder_id, community, entry)
        for community, members in held.items()
        for elder_id, entry in members.items()
        if tallies.matches(entry, filters, today)
    )
    ids = [elder_id for elder_id, _, _ in matching]
    if window.before is not None:
        end = bisect_left(ids, window.before)
        start = max(0, end - window.limit)
    else:
        start = bisect_right(ids, window.after) if window.after is not None else window.skip
        end = min(len(ids), start + window.limit)
    return matching[start:end], len(ids), start > 0, end < len(ids)


def _searched_page(intake: Intake, query: dict[str, Any], window: Window) -> ElderPage:
    if window.after is None and window.before is None:
        elders, total = intake.elders.search(query, window.skip, window.limit)
        return ElderPage(elders, total, window.skip > 0, window.skip + len(elders) < total)
    found = intake.elders.after(query, window.after, window.before, window.limit + 1)
    total = intake.elders.count(query)
    if window.before is not None:
        more_before = len(found) > window.limit
        return ElderPage(found[-window.limit :], total, more_before, True)
    more_after = len(found) > window.limit
    return ElderPage(found[: window.limit], total, True, more_after)


def statistics(
    intake: Intake, community: str | None = None, as_of: date | datetime | None = None
) -> dict[str, Any]:
    """The district's figures (or one community's), counted from the tallies; or as the
    register stood at the end of a day (or at a moment), by the communities of then."""
    if as_of is not None:
        return statistics_as_of(intake, community, as_of)
    if community:
        intake.district.get().community(community)
    today = local_today(intake.clock, intake.settings.zone)
    store = intake.elders.tallies
    if not store.built():  # counted in once the register's tallies are built
        query = {"status": "active", **({"community": community} if community else {})}
        figures = district_statistics(intake.elders.scan(query, STATISTICS_FIELDS), today)
    else:
        figures = statistics_of(
            {
                code: _counts(store, code, members, today)
                for code, members in store.current(community).items()
            },
            today,
        )
    return _with_households(figures, _household_figures(intake), community)


def statistics_as_of(
    intake: Intake, community: str | None, as_of: date | datetime
) -> dict[str, Any]:
    """The figures as the register stood then: each record's later changes undone from its
    history, so that a community merged or split since counts as it was (and a community
    merged away may still be asked for)."""
    zone, now = intake.settings.zone, intake.clock.now()
    if isinstance(as_of, datetime):
        moment = as_of if as_of.tzinfo else as_of.replace(tzinfo=zone)
        day = moment.astimezone(zone).date()
    else:  # the day's end; today's, so far
        moment, day = min(datetime.combine(as_of + timedelta(days=1), time(), zone), now), as_of
    if moment > now or day > now.astimezone(zone).date():
        raise RuleViolation("statistics can be asked for as of a time past, or now", field="as_of")
    if community:
        district = intake.district.get()
        if district.retired_as(community) is None:
            district.community(community)
    query = {"status": "active", **({"community": community} if community else {})}
    rows = intake.elders.scan_as_of(query, STATISTICS_FIELDS, moment)
    figures = district_statistics(rows, day)
    households = [_household_row(h) for h in intake.households.as_of(query, moment)]
    return _with_households(figures, household_figures(households), community)


def _with_households(
    figures: dict[str, Any], counted: dict[str, dict[str, dict[str, int]]], community: str | None
) -> dict[str, Any]:
    """Households beside persons, as the office reports them (空巢家庭 N户 / M人)."""
    figures["district"]["households"] = counted.get(community or "") or no_households()
    for tally in figures["communities"]:
        tally["households"] = counted.get(tally["community"]) or no_households()
    return figures


def _household_figures(intake: Intake) -> dict[str, dict[str, dict[str, int]]]:
    """The district's households by community and type, read once for each revision of the
    households (every write raises it) and kept."""
    index = intake.household_keys
    revision = index.revision()
    if revision not in index.derived:
        rows = [_household_row(h) for h in intake.households.each({"status": "active"})]
        index.derived.clear()
        index.derived[revision] = household_figures(rows)
    return index.derived[revision]


def _household_row(household: Household) -> HouseholdRow:
    return HouseholdRow(
        household.community,
        household.household_type,
        len(household.members),
        household.persons,
        household.home_care is not None,
    )


def _counts(store: RegisterTallies, community: str, members: dict[str, Any], today: date) -> Tally:
    """A community's counts, worked out once for each rev of its tally and each day."""
    key = (community, store.rev(community), today)
    if key not in store.derived:
        for older in [k for k in list(store.derived) if k[0] == community]:
            store.derived.pop(older, None)
        store.derived[key] = tally_of(tallies.statistics_rows({community: members}), today)
    return store.derived[key]
