"""Visits' own view of an elder, built from intake's events: who and where to visit."""

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Elder:
    elder_id: str
    name: str
    sex: str
    birth_date: date
    community: str
    version: int
    household_type: str = "unknown"
    low_income: bool = False
    disabled: bool = False
    home_care: bool = False
    retired_cadre_employer: str | None = None
    key_target_reasons: list[str] = field(default_factory=list)
    status: str = "active"
    died_on: date | None = None
    moved_out_on: date | None = None
    last_checked_on: date | None = None  # facts last checked at the door (入户核对)
    priority_card: bool = False  # holds a priority service card (one of the five ones)


@dataclass(frozen=True)
class Contact:
    """Where to find the elder, from intake's contact events (a topic of their own)."""

    elder_id: str
    address: str
    phone: str | None
    version: int  # the version of intake's record that holds this address and phone
