"""Events other systems sent over HTTP, kept until the outbox relay has put them on the inbound
topic, where the inbound consumer takes them as it takes those sent to Kafka. Their receipts,
what each became, are records (`domain.inbound_receipt`, in the `inbound` collection)."""

from pymongo.database import Database

from shared.events import Event
from shared.mongo import insert_once
from shared.outbox import hint, with_events

COLLECTION = "inbound"  # the receipts
HTTP_COLLECTION = "inbound_http"  # events accepted over HTTP, on their way to the topic


class AcceptedEvents:
    def __init__(self, db: Database) -> None:
        self.accepted = db[HTTP_COLLECTION]

    def accept(self, event: Event) -> bool:
        """Keep an event received over HTTP until the relay has put it on the inbound topic;
        False if it was accepted before."""
        stored = insert_once(self.accepted, with_events({"_id": event.id}, event))
        if stored:
            hint(self.accepted, [event.id])
        return stored
