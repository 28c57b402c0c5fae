"""MongoDB access limited to the portable subset that MongoDB and FerretDB v1 both get right.

See tests/integration/test_store_conformance.py for the exact operations relied on here.
"""

import logging
import time
from collections.abc import Callable
from typing import Any

from pymongo import MongoClient
from pymongo.collection import Collection
from pymongo.database import Database
from pymongo.errors import BulkWriteError, ConnectionFailure, DuplicateKeyError

from shared.config import Settings
from shared.secret_files import SecretUnavailable

log = logging.getLogger(__name__)
DUPLICATE_KEY = 11000


def connect(settings: Settings) -> Database:
    client: MongoClient = MongoClient(
        settings.mongo_url,
        serverSelectionTimeoutMS=3000,
        connectTimeoutMS=3000,
        socketTimeoutMS=10_000,
        tz_aware=True,
        **credentials(settings),
    )
    return client[settings.database]


def credentials(settings: Settings) -> dict[str, Any]:
    """The service's own user, kept out of the URL so that it never shows in a log line."""
    if not settings.mongo_username:
        return {}
    if not settings.mongo_password:
        raise SecretUnavailable("MONGO_USERNAME is set: give its password in MONGO_PASSWORD_FILE")
    return {"username": settings.mongo_username, "password": settings.mongo_password}


def prepare_store(prepare: Callable[[], None], wait: bool, every: float = 2.0) -> None:
    """Create indexes and the like. An API starts without its store (it answers 503 until the
    store is back); a worker waits for the store, because it must not work without indexes."""
    while True:
        try:
            prepare()
            return
        except ConnectionFailure as error:
            if not wait:
                log.warning("store unreachable at start", extra={"error": str(error)})
                return
            log.warning("store unreachable at start; waiting", extra={"error": str(error)})
            time.sleep(every)


def ping(db: Database) -> None:
    db.client.admin.command("ping")


def apply_versioned(
    collection: Collection, doc_id: str, version: int, event_id: str, facts: dict[str, Any]
) -> bool:
    """Store an event's facts in one document unless it already holds that version or newer.

    This makes a projection idempotent and order-safe: a duplicate delivery, or an older event
    replayed late, changes nothing. The first version is an insert (a conditional upsert that
    matches nothing is slow on FerretDB); a later one is a compare-and-set on `version`.
    Returns whether the document changed.
    """
    state = versioned(doc_id, version, event_id, facts)
    if insert_once(collection, state):
        return True
    del state["_id"]
    result = collection.update_one({"_id": doc_id, "version": {"$lt": version}}, {"$set": state})
    return result.modified_count == 1


def versioned(doc_id: str, version: int, event_id: str, facts: dict[str, Any]) -> dict[str, Any]:
    """A projection's document holding an event's facts at the owner's version."""
    return {"_id": doc_id, **facts, "version": version, "last_event_id": event_id}


def total_of(
    collection: Collection, query: dict[str, Any], skip: int, limit: int, shown: int
) -> int:
    """How many documents match `query`, given that the page at `skip` showed `shown` of at most
    `limit`: a page short of its limit ends the list, so its total needs no count (a count makes
    the store read every match again; FerretDB decodes each one)."""
    if shown < limit and (shown > 0 or skip == 0):
        return skip + shown
    return collection.count_documents(query)


# Documents per insert: a survey's 17,000 households in one insert kept the development store
# busy past the client's 10 s timeout; a thousand take a fraction of a second and cost no more.
INSERT_CHUNK = 1000


def insert_many_once(collection: Collection, documents: list[dict[str, Any]]) -> list[int]:
    """Insert documents in unordered batches, skipping any whose key exists already (so that
    doing it again is harmless); returns the positions of those skipped."""
    skipped: list[int] = []
    for start in range(0, len(documents), INSERT_CHUNK):
        chunk = documents[start : start + INSERT_CHUNK]
        skipped += [start + n for n in _insert_chunk_once(collection, chunk)]
    return skipped


def _insert_chunk_once(collection: Collection, documents: list[dict[str, Any]]) -> list[int]:
    try:
        collection.insert_many(documents, ordered=False)
    except BulkWriteError as error:
        failures = error.details["writeErrors"]
        if any(failure.get("code") != DUPLICATE_KEY for failure in failures):
            raise
        return sorted(failure["index"] for failure in failures)
    return []


def insert_once(collection: Collection, document: dict[str, Any]) -> bool:
    """Insert a document whose `_id` is derived from the event that causes it; False if present."""
    try:
        collection.insert_one(document)
    except DuplicateKeyError:
        return False
    return True
