"""What allowances' use cases may ask of the stores that are not plain records: the frozen
rolls, the elders' standing per programme, and the exported payment orders. The adapters
(`services/allowances/adapters`) answer them on MongoDB; the unit tests' container answers
them in memory, so that a use case runs the same on both."""

from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import Any, Protocol

from services.allowances.domain.entitlements import Entitlement
from services.allowances.domain.payment_orders import PaymentOrder
from services.allowances.domain.roll import RollLine
from shared.changes import Change
from shared.events import Event


class Rolls(Protocol):
    """One line per elder and cycle, written once; and the stops noted while writing."""

    def note_stop(self, cycle_id: str, elder_id: str) -> None: ...

    def stops_noted(self, cycle_id: str) -> list[str]: ...

    def add(self, lines: Iterable[RollLine]) -> bool: ...

    def get(self, line_id: str) -> RollLine | None: ...

    def find(self, query: dict[str, Any], skip: int, limit: int) -> tuple[list[RollLine], int]: ...

    def each_of_cycle(self, cycle_id: str) -> Iterator[RollLine]: ...

    def of_elders(self, programme: str, elder_ids: list[str]) -> dict[str, list[RollLine]]: ...

    def of_elder(
        self, elder_id: str, programmes: Iterable[str] | None = None
    ) -> list[RollLine]: ...


class Entitlements(Protocol):
    """Each elder's standing per programme, each change with the events announcing it."""

    def of_programme(self, programme: str) -> dict[str, Entitlement]: ...

    def of_elder(self, elder_id: str) -> list[Entitlement]: ...

    def apply(
        self,
        changes: Sequence[tuple[Change[Entitlement], Sequence[Event]]],
        held: list[str] | None = None,
    ) -> bool: ...

    def release(self, held: list[str]) -> None: ...


class PaymentOrders(Protocol):
    """Each exported cycle's one payment order."""

    def get(self, cycle_id: str) -> PaymentOrder | None: ...

    def fix(self, order: PaymentOrder) -> PaymentOrder: ...

    def withheld(self, cycle_ids: Collection[str], line_ids: Collection[str]) -> set[str]: ...
