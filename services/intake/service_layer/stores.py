"""What intake's use cases may ask of its stores: the register of elders (with its tallies),
the district's configuration, the staff accounts, the sign-in failures and the receipts of
outside events. The adapters (`services/intake/adapters`) answer them on MongoDB; the unit
tests' container answers them in memory, so that a use case runs the same on both. The
volunteers are plain records (`shared.stores.RecordStore`)."""

from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any, Protocol

from services.intake.domain.elder import Elder, RegisterIndex
from services.intake.domain.sign_in_throttle import Failures
from services.intake.domain.tallies import Entry, Row
from services.intake.domain.user import User
from shared.audit import Actor
from shared.events import Event
from shared.records import Line


class RegisterTallies(Protocol):
    """A small entry per elder, by community, that lists and statistics count from."""

    derived: dict[tuple[str, int | None, Any], Any]  # what readers work out, by community's rev

    def built(self) -> bool: ...

    def mark_built(self) -> None: ...

    def current(self, community: str | None = None) -> dict[str, dict[str, Entry]]: ...

    def rev(self, community: str) -> int | None: ...

    def put(self, rows: list[Row]) -> None: ...


class ElderRegister(Protocol):
    """The elders, each written with its history line and events in one compare-and-set."""

    @property
    def tallies(self) -> RegisterTallies: ...

    def add(self, elder: Elder, history: Line, *events: Event) -> None: ...

    def add_many(self, rows: list[tuple[Elder, Line, list[Event]]]) -> set[str]: ...

    def save(
        self, elder: Elder, expected_version: int, history: Line, events: list[Event]
    ) -> None: ...

    def settle(self, elder_ids: list[str]) -> None: ...

    def tally(self, documents: list[dict[str, Any]]) -> None: ...

    def rebuild_tallies(self) -> int: ...

    def get(self, elder_id: str) -> Elder: ...

    def history(self, elder_id: str) -> list[dict[str, Any]]: ...

    def history_lines(
        self, line_query: dict[str, Any], of: dict[str, Any] | None = None
    ) -> Iterator[dict[str, Any]]:
        """Every line of the history of every elder (or of those matching `of`) that matches
        `line_query` (a condition on the line's own fields, such as `after.card.issued_on`)."""
        ...

    def changed_by(self, change: str) -> int: ...

    def by_national_id(self, national_id: str) -> Elder | None: ...

    def lookalikes(self, elder: Elder) -> tuple[str, ...]: ...

    def index(self) -> RegisterIndex: ...

    def search(self, query: dict[str, Any], skip: int, limit: int) -> tuple[list[Elder], int]: ...

    def after(
        self, query: dict[str, Any], after: str | None, before: str | None, limit: int
    ) -> list[Elder]: ...

    def by_ids(self, elder_ids: list[str]) -> list[Elder]: ...

    def count(self, query: dict[str, Any]) -> int: ...

    def with_lapsed_assessments(self, today: date) -> list[str]: ...

    def scan(self, query: dict[str, Any], fields: list[str]) -> Iterator[dict[str, Any]]: ...

    def scan_as_of(
        self, query: dict[str, Any], fields: list[str], moment: datetime
    ) -> Iterator[dict[str, Any]]:
        """`scan` of the register as it stood at `moment` (from each record's history)."""
        ...


class HouseholdIndex(Protocol):
    """Households found by key (an elder's, an address's, a household number's) without
    reading them all; a key may point at a household that no longer matches it, so a caller
    checks what it finds."""

    def point(self, pointers: Iterable[tuple[str, str]]) -> None: ...

    def lookup(self, keys: list[str]) -> dict[str, list[str]]: ...

    derived: dict[int, Any]  # figures worked out from every household, by revision

    def revision(self) -> int: ...

    def changed(self) -> None: ...


class CardNumbering(Protocol):
    """The sequences that number the district's cards: a number is never given twice."""

    def next_number(self, sequence: str) -> int: ...


class StaffAccounts(Protocol):
    """The staff accounts, each change with its history line and events."""

    def add(self, user: User, *events: Event) -> None: ...

    def get(self, username: str) -> User | None: ...

    def change(self, before: User, after: User, *events: Event, summary: str = ...) -> None: ...

    def note_failed_sign_in(self, username: str, who: Actor, reason: str) -> None: ...

    def set_password_hash(self, username: str, password_hash: str) -> None: ...

    def all(self) -> list[User]: ...


class SignInCounts(Protocol):
    """Failed sign-ins per user name and per address, shared by every API process."""

    def of(self, key: str, free: int) -> Failures | None: ...

    def count(self, key: str, free: int) -> Failures: ...

    def forget(self, key: str) -> None: ...


class EventsAccepted(Protocol):
    """Events other systems sent over HTTP, on their way to the inbound topic."""

    def accept(self, event: Event) -> bool: ...
