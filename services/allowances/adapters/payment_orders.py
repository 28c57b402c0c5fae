"""Each exported cycle's payment order, stored once under the cycle's id."""

from collections.abc import Collection

from pymongo.database import Database

from services.allowances.domain.payment_orders import PaymentOrder
from shared.documents import from_document, to_document
from shared.mongo import insert_once

COLLECTION = "payment_orders"


class PaymentOrderStore:
    def __init__(self, db: Database) -> None:
        self.collection = db[COLLECTION]

    def get(self, cycle_id: str) -> PaymentOrder | None:
        document = self.collection.find_one({"_id": cycle_id})
        return from_document(PaymentOrder, document) if document else None

    def fix(self, order: PaymentOrder) -> PaymentOrder:
        """The cycle's order: `order` if none was stored yet, else the one stored first (an
        export tried before and not finished), so that a cycle has one order only."""
        if insert_once(self.collection, {"_id": order.cycle_id, **to_document(order)}):
            return order
        stored = self.get(order.cycle_id)
        assert stored is not None
        return stored

    def withheld(self, cycle_ids: Collection[str], line_ids: Collection[str]) -> set[str]:
        """Which of `line_ids` the exported orders of `cycle_ids` did not pay."""
        query = {"_id": {"$in": sorted(cycle_ids)}, "exceptions.line_id": {"$in": sorted(line_ids)}}
        wanted = set(line_ids)
        return {
            exception["line_id"]
            for document in self.collection.find(query, {"exceptions": 1})
            for exception in document["exceptions"]
            if exception["line_id"] in wanted
        }
