"""The reports the office files, from intake's register."""

from datetime import date, datetime, time, timedelta

from services.intake.domain.year_summary import IntakeYear, intake_year
from services.intake.service_layer.container import Intake
from services.intake.service_layer.queries import statistics
from shared.clock import local_today
from shared.months import check_year


def year_summary(intake: Intake, written: str, community: str | None = None) -> IntakeYear:
    """Intake's figures for the year's work summary, the district's or one community's: the
    register as it stood at the year's end (this year: today), the cards held then, every card
    issued in the year (from the elders' histories: those since reissued, upgraded or cancelled
    count too; by the elder's community now), the volunteers."""
    today = local_today(intake.clock, intake.settings.zone)
    year = check_year(written, today)
    as_of = min(date(year, 12, 31), today)
    days = {"$gte": f"{year}-01-01", "$lte": f"{year}-12-31"}
    mine = {"community": community} if community else {}
    cards = intake.elders.history_lines({"after.card.issued_on": days}, mine)
    priority = intake.elders.history_lines({"after.priority_card.issued_on": days}, mine)
    volunteers = intake.volunteers.each(mine)
    past = as_of < today
    return intake_year(
        year,
        community,
        statistics(intake, community, as_of=as_of if past else None)["district"],
        (line["after"]["card"]["category"] for line in cards),
        _priority_cards_held(intake, mine, as_of if past else None),
        sum(1 for _ in priority),
        (v.registered_at.astimezone(intake.settings.zone).date() for v in volunteers),
        as_of,
    )


def _priority_cards_held(intake: Intake, mine: dict[str, str], as_of: date | None) -> int:
    """The priority service cards held by elders in the register, now or at a past day's end
    (each record's later changes undone from its history)."""
    active = {**mine, "status": "active"}
    if as_of is None:
        return intake.elders.count({**active, "priority_card.number": {"$exists": True}})
    moment = datetime.combine(as_of + timedelta(days=1), time(), intake.settings.zone)
    rows = intake.elders.scan_as_of(active, ["priority_card"], moment)
    return sum(1 for row in rows if (row["priority_card"] or {}).get("number"))
