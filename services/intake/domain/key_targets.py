"""Key service targets (重点服务对象): explicit rules, each named, so that every elder's place on
the list is explained by the rules that put them there."""

from collections.abc import Callable
from dataclasses import dataclass

LOW_SELF_CARE = ("moderate", "severe", "total")


@dataclass(frozen=True)
class Facts:
    """What the rules look at: the household, the flags and the assessment in force."""

    household_type: str = "unknown"
    low_income: bool = False
    disabled: bool = False
    chronic_illness: bool = False
    self_care_level: str | None = None


RULES: dict[str, Callable[[Facts], bool]] = {
    "chronic_illness_low_self_care": lambda f: (
        f.chronic_illness and f.self_care_level in LOW_SELF_CARE
    ),
    "empty_nest": lambda f: f.household_type == "empty_nest",
    "living_alone": lambda f: f.household_type == "living_alone",
    "widowed_childless": lambda f: f.household_type == "widowed_childless",
    "low_income": lambda f: f.low_income,
    "disabled": lambda f: f.disabled,
}


def key_target_reasons(facts: Facts) -> tuple[str, ...]:
    """The names of the rules these facts meet, in the rules' order; empty if none."""
    return tuple(name for name, rule in RULES.items() if rule(facts))
