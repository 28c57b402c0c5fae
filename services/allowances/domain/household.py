"""Allowances' own view of a household (户), built from intake's events: which elders live in a
home-care household (居家养老户), so that the voucher reports count households beside persons."""

from dataclasses import dataclass

ACTIVE = "active"  # else closed: no elder of the register lives there any more


@dataclass(frozen=True)
class Household:
    household_id: str
    version: int
    community: str
    members: tuple[str, ...]  # the elders of the register living there
    home_care: bool = False
    status: str = ACTIVE


def home_care_homes(households: list[Household]) -> dict[str, str]:
    """The household of each elder living in an active home-care household, by elder id."""
    return {
        elder_id: household.household_id
        for household in households
        if household.home_care and household.status == ACTIVE
        for elder_id in household.members
    }
