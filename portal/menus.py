"""Each role's own menu: the pages its work needs, in the order of the day."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class MenuItem:
    endpoint: str
    label: object  # a lazy translation
    within: tuple[str, ...] = ()  # other pages the item stands for

    @property
    def current_on(self) -> tuple[str, ...]:
        """The endpoints on which this item is the current page."""
        return (self.endpoint, f"{self.endpoint}_send", *self.within)


FIND = MenuItem("elders.search", _l("Find an elder"))
HOUSEHOLDS = MenuItem("households.index", _l("Households"), ("households.show",))
GRID = MenuItem("grid.index", _l("Groups and buildings"), ("grid.show", "grid.open_cell"))
WORKLIST = MenuItem("visits.worklist", _l("My worklist"))
HELP_REQUESTS = MenuItem("help_requests.index", _l("Help requests"), ("help_requests.show",))
PAIRINGS = MenuItem("pairings.index", _l("Pairings"), ("pairings.show",))
TEAMS = MenuItem(
    "teams.index",
    _l("Teams and venues"),
    ("teams.team", "teams.form_team", "teams.open_venue", "teams.join"),
)
ACTIVITIES = MenuItem(  # courses, volunteer service and posts are reached from its page
    "activities.index",
    _l("Activities and learning"),
    (
        "activities.occasion",
        "activities.hold_activity",
        "courses.index",
        "courses.course",
        "courses.plan",
        "courses.enrol",
        "volunteering.index",
        "volunteering.serve",
        "volunteering.take_post",
    ),
)
PLANS = MenuItem("plans.index", _l("Service plan"))
BUDGETS = MenuItem("budgets.index", _l("Elder-work budget"))
SCORECARDS = MenuItem(
    "scorecards.index", _l("Yearly evaluation"), ("scorecards.community", "scorecards.measure")
)
INSPECTIONS = MenuItem("inspections.index", _l("Inspections and corrections"))
COMPLAINTS = MenuItem("feedback.complaints", _l("Complaints and satisfaction"))
ACTIVITY_FIGURES = MenuItem("activity_figures.index", _l("Activity figures"))
CAMPAIGNS = MenuItem(
    "campaigns.index", _l("Campaigns and door checks"), ("campaigns.show", "campaigns.plan")
)
CYCLES = MenuItem("cycles.index", _l("Monthly cycles"))
OVERPAYMENTS = MenuItem("overpayments.index", _l("Overpayments"), ("overpayments.show",))
ADMINISTRATION = (  # the district administrator's own pages
    MenuItem("staff.index", _l("Users and roles"), ("staff.edit", "staff.create", "staff.save")),
    MenuItem("district.index", _l("Communities"), ("district.community", "district.add")),
    MenuItem(
        "reorganisations.index",
        _l("Reorganise communities"),
        ("reorganisations.show", "reorganisations.plan", "reorganisations.act"),
    ),
    MenuItem("visit_rules.index", _l("Deadlines and routine visits")),
    MenuItem("service_contacts.index", _l("Service hotline and guide")),
    MenuItem("programmes.index", _l("Programmes")),
    CAMPAIGNS,
    INSPECTIONS,
    SCORECARDS,
    BUDGETS,
    MenuItem("audit.index", _l("Audit trail")),
)
EVERY_PAGE = MenuItem("home.index", _l("Every role's pages"))
MENUS: dict[str, tuple[MenuItem, ...]] = {
    "intake_clerk": (
        MenuItem("elders.register", _l("Register an elder")),
        FIND,
        MenuItem("imports.survey", _l("Import a survey")),
        HOUSEHOLDS,
        GRID,
        MenuItem("inbound.parked", _l("Events waiting")),
        MenuItem("statistics.index", _l("Statistics")),
        ACTIVITY_FIGURES,
    ),
    "visitor": (WORKLIST, HELP_REQUESTS, PAIRINGS, ACTIVITIES, FIND),
    "community_head": (
        MenuItem(
            "community.index",
            _l("My community"),
            (
                "community.show",
                "community.assign",
                "community.assign_send",
                "community.key_targets",
                "community.home_care_report",
                "inspections.index",
                "plans.index",
                "scorecards.index",
                "scorecards.community",
                "scorecards.measure",
                "budgets.index",
            ),
        ),
        WORKLIST,
        HELP_REQUESTS,
        COMPLAINTS,
        PAIRINGS,
        ACTIVITIES,
        TEAMS,
        ACTIVITY_FIGURES,
        CAMPAIGNS,
        FIND,
        HOUSEHOLDS,
        GRID,
    ),
    "allowance_officer": (
        CYCLES,
        OVERPAYMENTS,
        MenuItem("rosters.choose", _l("90+ roster"), ("rosters.ninety_plus",)),
        FIND,
    ),
    "approver": (MenuItem("approvals.index", _l("Waiting for approval")), CYCLES, OVERPAYMENTS),
}

ROLE_NAMES = {
    "intake_clerk": _l("Intake clerk"),
    "visitor": _l("Visitor (community worker)"),
    "community_head": _l("Community head"),
    "allowance_officer": _l("Allowance officer"),
    "approver": _l("Approver"),
    "district_admin": _l("District administrator"),
    "operator": _l("Operator"),
}


def menu_for(roles: frozenset[str]) -> list[MenuItem]:
    """The items of every role held, each page once; the administrator's own pages, and the
    start page that lists every role's (menu_groups)."""
    if "district_admin" in roles:
        return [*ADMINISTRATION, EVERY_PAGE]
    return pages_of(roles)


def menu_groups(roles: frozenset[str]) -> list[tuple[object, list[MenuItem]]]:
    """The start page's groups of pages: the administrator's own, then each role's."""
    if "district_admin" not in roles:
        return [(None, pages_of(roles))]
    groups: list[tuple[object, list[MenuItem]]] = [
        (ROLE_NAMES["district_admin"], [*ADMINISTRATION])
    ]
    return groups + [(ROLE_NAMES[role], list(items)) for role, items in MENUS.items()]


def pages_of(held: frozenset[str] | set[str]) -> list[MenuItem]:
    items: list[MenuItem] = []
    for role, entries in MENUS.items():
        if role in held:
            items.extend(e for e in entries if e.endpoint not in {i.endpoint for i in items})
    return items
