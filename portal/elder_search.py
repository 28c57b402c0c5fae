"""Searching the register (intake's GET /elders): its filters as the search form names them,
and the pages of the results, each link keeping the filters."""

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

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
)
YES_NO = ("low_income", "disabled", "home_care", "key_target")
PAGE_SIZE = 20


def chosen_filters(args: Mapping[str, str]) -> dict[str, str]:
    """The filters given a value, in the form's order; any other argument is left out."""
    chosen = {name: (args.get(name) or "").strip() for name in FILTERS}
    return {name: value for name, value in chosen.items() if value}


def page_number(args: Mapping[str, str]) -> int:
    asked = (args.get("page") or "").strip()
    return int(asked) if asked.isdigit() and int(asked) >= 1 else 1


@dataclass(frozen=True)
class Pages:
    page: int
    total: int
    page_size: int = PAGE_SIZE

    @property
    def count(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def previous(self) -> int | None:
        return self.page - 1 if self.page > 1 else None

    @property
    def next(self) -> int | None:
        return self.page + 1 if self.page < self.count else None

    @property
    def first_shown(self) -> int:
        return min(self.total, (self.page - 1) * self.page_size + 1)

    @property
    def last_shown(self) -> int:
        return min(self.total, self.page * self.page_size)


def card_choices(categories: Mapping[str, str]) -> dict[str, object]:
    """The card filter's options: any card, none, each category, or an upgrade due."""
    return {
        "any": _l("Holds a card"),
        "none": _l("No card"),
        **categories,
        "upgrade_due": _l("Upgrade due"),
    }
