"""The reports the office files and keeps, made from visits' own records."""

from dataclasses import replace
from datetime import date, datetime, time

from services.visits.domain.activity_figures import Period
from services.visits.domain.filings import due_on
from services.visits.domain.home_care_report import HomeCareVisitReport, filed, home_care_visits
from services.visits.domain.key_target_list import KeyTargetReport, key_target_list
from services.visits.domain.public_notice import PublicNotice, public_notice
from services.visits.domain.visit_records import VisitRecord
from services.visits.domain.year_summary import VisitsYear, visits_year
from services.visits.service_layer.activity_figures import activity_figures
from services.visits.service_layer.container import Visits
from shared.batches import batches
from shared.clock import local_today
from shared.months import add_months, check_month, check_year, first_day
from shared.service_contacts import in_force


def key_targets(visits: Visits, community: str | None) -> KeyTargetReport:
    """The key-target list of one community (or of them all), with each elder's reasons and
    last visit."""
    today = local_today(visits.clock, visits.settings.zone)
    query = (
        {"status": "active"} if community is None else {"community": community, "status": "active"}
    )
    elders = [e for e in visits.elders.each(query) if e.key_target_reasons]
    ids = [e.elder_id for e in elders]
    contacts = {
        c.elder_id: c
        for part in batches(ids, 500)
        for c in visits.contacts.each({"_id": {"$in": part}})
    }
    targets = key_target_list(elders, contacts, _last_visits(visits, ids), today)
    config = visits.config.get()
    communities = sorted({t.community for t in targets} | ({community} if community else set()))
    staff = tuple(config.staff(name) for name in communities)
    return KeyTargetReport(community, today, staff, tuple(targets))


def _last_visits(visits: Visits, elder_ids: list[str]) -> dict[str, VisitRecord]:
    last: dict[str, VisitRecord] = {}
    for part in batches(elder_ids, 500):
        for visit in visits.visits.each({"elder_id": {"$in": part}}, [("visited_at", -1)]):
            last.setdefault(visit.elder_id, visit)
    return last


def home_care_month(visits: Visits, month: str) -> HomeCareVisitReport:
    """Visits' part of the month's home-care report (居家养老月报表): the home-care visits and
    must-visits whose deadline falls in the month (the district's month), and the services
    delivered in it."""
    zone = visits.settings.zone
    start = datetime.combine(first_day(check_month(month)), time(), zone)
    end = datetime.combine(first_day(add_months(month, 1)), time(), zone)
    work = visits.obligations.each(
        {"due_at": {"$gte": start, "$lt": end}, "kind": {"$in": ["routine", "mandatory"]}}
    )
    counts = visits.reports.service_counts(month, month, None)
    report = home_care_visits(month, work, counts, visits.clock.now())
    filing = visits.filings.get(f"home_care_voucher:{month}")
    due = due_on(month, visits.filings.each({}))
    today = local_today(visits.clock, zone)
    return replace(report, filed=filed(due, filing.late if filing else None, today))


def year_summary(visits: Visits, written: str, community: str | None = None) -> VisitsYear:
    """Visits' figures for the year's work summary, the district's or one community's:
    must-visits made in the year (the district's year), per trigger, services delivered, by
    type, and the year's teams, person-times of learning and activities and hours of volunteer
    service."""
    year = check_year(written, local_today(visits.clock, visits.settings.zone))
    zone = visits.settings.zone
    start = datetime(year, 1, 1, tzinfo=zone)
    end = datetime(year + 1, 1, 1, tzinfo=zone)
    mine = {"community": community} if community else {}
    met = visits.obligations.each(
        {**mine, "kind": "mandatory", "status": "met", "met_at": {"$gte": start, "$lt": end}}
    )
    counts = visits.reports.service_counts(f"{year}-01", f"{year}-12", community)
    whole_year = Period(date(year, 1, 1), date(year, 12, 31))
    activities = activity_figures(visits, whole_year, community)["district"]
    return visits_year(year, community, met, counts, activities)


def notice_of(visits: Visits, community: str, name: str) -> PublicNotice:
    """The community's public notice from the configuration and the staff's numbers as they
    stand; `name`: the community's name as the caller knows it (intake holds the names)."""
    config = visits.config.get()
    staff = config.staff(community)
    mobiles = {
        user: contact.mobile if contact else None
        for user in (staff.head, staff.worker)
        if user
        for contact in (visits.staff_contacts.get(user),)
    }
    contacts = in_force(visits)
    return public_notice(community, name, config, mobiles, contacts.hotline, contacts.service_guide)
