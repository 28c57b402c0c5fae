"""The reports the office files, from intake's register."""

from services.intake.domain.year_summary import IntakeYear, intake_year
from services.intake.service_layer.container import Intake
from services.intake.service_layer.queries import statistics
from shared.clock import local_today
from shared.errors import RuleViolation


def year_summary(intake: Intake, year: int) -> IntakeYear:
    """Intake's figures for the year's work summary: the register as it stands today, the
    cards issued in the year, the volunteers."""
    today = local_today(intake.clock, intake.settings.zone)
    if not 2000 <= year <= today.year:
        raise RuleViolation(f"{year} is not a year the register has figures for", field="year")
    days = {"$gte": f"{year}-01-01", "$lte": f"{year}-12-31"}
    issued = intake.elders.scan({"card.issued_on": days}, ["card"])
    volunteers = intake.volunteers.each({})
    return intake_year(
        year,
        statistics(intake)["district"],
        (row["card"]["category"] for row in issued),
        (v.registered_at.astimezone(intake.settings.zone).date() for v in volunteers),
        today,
    )
