"""The reports the office files, from intake's register."""

from services.intake.domain.year_summary import IntakeYear, intake_year
from services.intake.service_layer.container import Intake
from services.intake.service_layer.queries import statistics
from shared.clock import local_today
from shared.months import check_year


def year_summary(intake: Intake, written: str, community: str | None = None) -> IntakeYear:
    """Intake's figures for the year's work summary, the district's or one community's: the
    register as it stands today, the cards held, every card issued in the year (from the
    elders' histories: those since reissued, upgraded or cancelled count too; by the elder's
    community now), the volunteers."""
    today = local_today(intake.clock, intake.settings.zone)
    year = check_year(written, today)
    days = {"$gte": f"{year}-01-01", "$lte": f"{year}-12-31"}
    mine = {"community": community} if community else {}
    cards = intake.elders.history_lines({"after.card.issued_on": days}, mine)
    priority = intake.elders.history_lines({"after.priority_card.issued_on": days}, mine)
    held = {**mine, "status": "active", "priority_card.number": {"$exists": True}}
    volunteers = intake.volunteers.each(mine)
    return intake_year(
        year,
        community,
        statistics(intake, community)["district"],
        (line["after"]["card"]["category"] for line in cards),
        intake.elders.count(held),
        sum(1 for _ in priority),
        (v.registered_at.astimezone(intake.settings.zone).date() for v in volunteers),
        today,
    )
