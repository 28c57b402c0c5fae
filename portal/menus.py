"""Each role's own menu: the pages its work needs, in the order of the day."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class MenuItem:
    endpoint: str
    label: object  # a lazy translation


FIND = MenuItem("elders.search", _l("Find an elder"))
MENUS: dict[str, tuple[MenuItem, ...]] = {
    "intake_clerk": (
        MenuItem("elders.register", _l("Register an elder")),
        FIND,
        MenuItem("imports.survey", _l("Import a survey")),
        MenuItem("inbound.parked", _l("Events waiting")),
        MenuItem("statistics.index", _l("Statistics")),
    ),
    "visitor": (MenuItem("visits.worklist", _l("My worklist")), FIND),
    "community_head": (MenuItem("visits.worklist", _l("My worklist")), FIND),
    "allowance_officer": (MenuItem("cycles.index", _l("Monthly cycles")), FIND),
    "approver": (MenuItem("cycles.index", _l("Monthly cycles")),),
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
    """The items of every role held, each page once; the administrator sees them all."""
    held = set(MENUS) if "district_admin" in roles else roles
    items: list[MenuItem] = []
    for role, entries in MENUS.items():
        if role in held:
            items.extend(e for e in entries if e.endpoint not in {i.endpoint for i in items})
    return items
