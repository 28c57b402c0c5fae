"""Visits' own view of an elder, built from intake's events: who and where to visit."""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Elder:
    elder_id: str
    name: str
    sex: str
    birth_date: date
    community: str
    address: str
    phone: str | None
    status: str
    version: int
