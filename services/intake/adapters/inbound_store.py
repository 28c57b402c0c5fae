"""Receipts of events from other systems: what each became, and those parked for matching.

A receipt's id is derived from the reporter and its reference, so the same report received
twice finds its receipt and changes nothing. The events a receipt causes (an incident, a help
request) are stored in the receipt itself and published by the outbox relay.
"""

from datetime import datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.database import Database

from shared.errors import Conflict, NotFound
from shared.events import Event
from shared.mongo import insert_once, total_of
from shared.outbox import OUTBOX, hint, push_events, with_events
from shared.records import HISTORY

COLLECTION = "inbound"
HTTP_COLLECTION = "inbound_http"  # events accepted over HTTP, on their way to the topic


class InboundStore:
    def __init__(self, db: Database) -> None:
        self.receipts = db[COLLECTION]
        self.accepted = db[HTTP_COLLECTION]

    def seen(self, key: str) -> bool:
        return self.receipts.find_one({"_id": key}, {"_id": 1}) is not None

    def record(
        self,
        key: str,
        event: Event,
        at: datetime,
        elder_id: str,
        community: str,
        outcome: str,
        caused: list[Event],
    ) -> bool:
        receipt = receipt_of(key, event, at, community) | {
            "status": "applied",
            "elder_id": elder_id,
            "outcome": outcome,
        }
        stored = insert_once(self.receipts, with_events(receipt, *caused))
        if stored and caused:
            hint(self.receipts, [key])
        return stored

    def park(
        self,
        key: str,
        event: Event,
        at: datetime,
        national_id: str,
        reason: str,
        community: str | None,
    ) -> bool:
        """An event for no known elder, kept for staff; `community` is the one it names, if
        any (else it is the district's)."""
        receipt = receipt_of(key, event, at, community) | {
            "status": "parked",
            "national_id": national_id,
            "reason": reason,
            "envelope": event.to_dict(),
        }
        return insert_once(self.receipts, receipt)

    def get(self, key: str) -> dict[str, Any]:
        receipt = self.receipts.find_one({"_id": key}, {OUTBOX: 0, HISTORY: 0})
        if receipt is None:
            raise NotFound(f"No inbound event {key!r}.")
        return receipt

    def search(
        self, query: dict[str, Any], skip: int, limit: int
    ) -> tuple[list[dict[str, Any]], int]:
        cursor = (
            self.receipts.find(query, {OUTBOX: 0, HISTORY: 0, "envelope": 0})
            .sort("received_at", ASCENDING)
            .skip(skip)
            .limit(limit)
        )
        found = list(cursor)
        return found, total_of(self.receipts, query, skip, limit, len(found))

    def close_parked(
        self,
        key: str,
        status: str,
        line: dict[str, Any],
        changes: dict[str, Any],
        caused: list[Event],
    ) -> None:
        """Match or discard a parked event, once: a second attempt finds it no longer parked.
        The history `line` says who did it, and why."""
        closed = {"status": status, "closed_by": line["by"], **changes}
        update = push_events({"$set": closed, "$push": {HISTORY: line}}, *caused)
        result = self.receipts.update_one({"_id": key, "status": "parked"}, update)
        if result.matched_count == 1 and caused:
            hint(self.receipts, [key])
        if result.matched_count == 0:
            raise Conflict(f"inbound event {key} is not parked (status: {self.get(key)['status']})")

    def accept(self, event: Event) -> bool:
        """Keep an event received over HTTP until the relay has put it on the inbound topic."""
        stored = insert_once(self.accepted, with_events({"_id": event.id}, event))
        if stored:
            hint(self.accepted, [event.id])
        return stored


def receipt_of(key: str, event: Event, at: datetime, community: str | None) -> dict[str, Any]:
    return {
        "_id": key,
        "community": community,
        "type": event.type,
        "event_id": event.id,
        "source": event.source,
        "reference": event.data.get("reference"),
        "occurred_at": event.time,
        "received_at": at,
    }
