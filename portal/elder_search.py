"""Searching the register (intake's GET /elders): its filters as the search form names them,
and the pages of the results, each link keeping the filters."""

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l

from shared.vocabulary import ELDER_FLAGS

FILTERS = (
    "name",
    "community",
    "status",
    "age_band",
    "household_type",
    "low_income",
    "disabled",
    "home_care",
    "key_target",
    "key_target_reason",
    "card",
    "identity_correction",
    "not_checked_since",
)
NOT_CHOSEN = frozenset({"name", "not_checked_since"})  # typed, not chosen from a list
YES_NO = (*ELDER_FLAGS, "key_target")
PAGE_SIZE = 20


def chosen_filters(args: Mapping[str, str]) -> dict[str, str]:
    """The filters given a value, in the form's order; any other argument is left out."""
    chosen = {name: (args.get(name) or "").strip() for name in FILTERS}
    return {name: value for name, value in chosen.items() if value}


def place_in_list(args: Mapping[str, str]) -> dict[str, str]:
    """Where the page starts, as the previous and next links give it: `after` or `before`
    a cursor of intake's (the page number beside it only says which page it is)."""
    for name in ("after", "before"):
        if (args.get(name) or "").strip():
            return {name: args[name].strip()}
    return {}


def card_choices(categories: Mapping[str, str]) -> dict[str, object]:
    """The card filter's options: any card, none, each category, or an upgrade due."""
    return {
        "any": _l("Holds a card"),
        "none": _l("No card"),
        **categories,
        "upgrade_due": _l("Upgrade due"),
    }
