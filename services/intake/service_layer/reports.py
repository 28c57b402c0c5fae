"""The reports the office files, from intake's register."""

from datetime import date

from services.intake.domain.year_summary import IntakeYear, intake_year
from services.intake.service_layer.container import Intake
from services.intake.service_layer.queries import statistics
from shared.clock import local_today
from shared.months import check_year


def year_summary(intake: Intake, written: str) -> IntakeYear:
    """Intake's figures for the year's work summary: the register as it stands today, the
    cards held and issued in the year, the volunteers."""
    today = local_today(intake.clock, intake.settings.zone)
    year = check_year(written, today)
    days = {"$gte": f"{year}-01-01", "$lte": f"{year}-12-31"}
    issued = intake.elders.scan({"card.issued_on": days}, ["card"])
    held = {"status": "active", "priority_card.number": {"$exists": True}}
    priority = intake.elders.scan(held, ["priority_card"])
    volunteers = intake.volunteers.each({})
    return intake_year(
        year,
        statistics(intake)["district"],
        (row["card"]["category"] for row in issued),
        (date.fromisoformat(row["priority_card"]["issued_on"]) for row in priority),
        (v.registered_at.astimezone(intake.settings.zone).date() for v in volunteers),
        today,
    )
