"""Allowances' rolls, entitlements and payment orders in memory
(`services.allowances.service_layer.stores`): documents shaped as the adapters store them
(their own `line_document` and `entitlement_document`), read by `shared.memory_queries`, so
that a use case's queries read the same here. The events each write carried are kept in
`announced`, in the order written."""

from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import Any

from services.allowances.adapters.entitlement_store import (
    entitlement_document,
    stored_entitlement,
)
from services.allowances.adapters.roll_store import line_document, stored_line
from services.allowances.domain.entitlements import Entitlement
from services.allowances.domain.payment_orders import PaymentOrder
from services.allowances.domain.roll import RollLine, line_id
from shared.changes import Change
from shared.events import Event
from shared.memory_queries import matching, sorted_by


class MemoryRolls:
    def __init__(self) -> None:
        self.documents: dict[str, dict[str, Any]] = {}
        self.stops: dict[str, tuple[str, str]] = {}

    def note_stop(self, cycle_id: str, elder_id: str) -> None:
        self.stops[line_id(cycle_id, elder_id)] = (cycle_id, elder_id)

    def stops_noted(self, cycle_id: str) -> list[str]:
        return sorted(elder for cycle, elder in self.stops.values() if cycle == cycle_id)

    def add(self, lines: Iterable[RollLine]) -> bool:
        fresh = True
        for line in lines:
            if line.line_id in self.documents:
                fresh = False
            else:
                self.documents[line.line_id] = line_document(line)
        return fresh

    def get(self, line_id: str) -> RollLine | None:
        document = self.documents.get(line_id)
        return stored_line(document) if document else None

    def find(self, query: dict[str, Any], skip: int, limit: int) -> tuple[list[RollLine], int]:
        found = self._found(query)
        return [stored_line(d) for d in found[skip : skip + limit]], len(found)

    def each_of_cycle(self, cycle_id: str) -> Iterator[RollLine]:
        return (stored_line(d) for d in self._found({"cycle_id": cycle_id}))

    def of_elders(self, programme: str, elder_ids: list[str]) -> dict[str, list[RollLine]]:
        found: dict[str, list[RollLine]] = {elder_id: [] for elder_id in elder_ids}
        for document in self._found({"programme": programme, "elder_id": {"$in": elder_ids}}):
            found[document["elder_id"]].append(stored_line(document))
        return found

    def of_elder(self, elder_id: str, programmes: Iterable[str] | None = None) -> list[RollLine]:
        query: dict[str, Any] = {"elder_id": elder_id}
        if programmes is not None:
            query["programme"] = {"$in": list(programmes)}
        lines = [stored_line(d) for d in self._found(query)]
        return sorted(lines, key=lambda line: (line.month, line.cycle_id))

    def _found(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        return sorted_by(matching(self.documents.values(), query), [("_id", 1)])


class MemoryEntitlements:
    def __init__(self) -> None:
        self.documents: dict[str, dict[str, Any]] = {}
        self.announced: list[Event] = []

    def of_programme(self, programme: str) -> dict[str, Entitlement]:
        found = matching(self.documents.values(), {"programme": programme})
        return {d["elder_id"]: stored_entitlement(d) for d in found}

    def of_elder(self, elder_id: str) -> list[Entitlement]:
        found = sorted_by(matching(self.documents.values(), {"elder_id": elder_id}), [("_id", 1)])
        return [stored_entitlement(d) for d in found]

    def apply(
        self,
        changes: Sequence[tuple[Change[Entitlement], Sequence[Event]]],
        held: list[str] | None = None,
    ) -> bool:
        stored = False
        for change, events in changes:
            document = entitlement_document(change.after)
            current = self.documents.get(document["_id"])
            if change.after.version == 1:
                fits = current is None  # a new one, not stored yet
            else:  # a change of the standing it was decided on
                fits = current is not None and current["version"] == change.after.version - 1
            if not fits:
                continue
            self.documents[document["_id"]] = document
            self.announced.extend(events)
            stored = True
            if held is not None:
                held.append(document["_id"])
        return stored

    def release(self, held: list[str]) -> None:
        pass


class MemoryPaymentOrders:
    def __init__(self) -> None:
        self.orders: dict[str, PaymentOrder] = {}

    def get(self, cycle_id: str) -> PaymentOrder | None:
        return self.orders.get(cycle_id)

    def fix(self, order: PaymentOrder) -> PaymentOrder:
        return self.orders.setdefault(order.cycle_id, order)

    def withheld(self, cycle_ids: Collection[str], line_ids: Collection[str]) -> set[str]:
        wanted = set(line_ids)
        return {
            exception.line_id
            for cycle_id in cycle_ids
            if cycle_id in self.orders
            for exception in self.orders[cycle_id].exceptions
            if exception.line_id in wanted
        }
