"""Allowances' own view of an elder, built from intake's events: who may be paid."""

from dataclasses import dataclass
from datetime import date

ACTIVE = "active"  # living in the district; else deceased, moved_out or merged


@dataclass(frozen=True)
class Absence:
    """A time the elder lived outside the district, moved out and then back."""

    moved_out_on: date
    returned_on: date


@dataclass(frozen=True)
class Elder:
    elder_id: str
    name: str
    birth_date: date
    community: str
    version: int
    low_income: bool = False
    home_care: bool = False
    status: str = ACTIVE
    died_on: date | None = None
    moved_out_on: date | None = None
    absences: tuple[Absence, ...] = ()
