"""The register's tallies in intake's store: one document per community, `members` holding
each elder's counted facts by elder id (services.intake.domain.tallies).

Writes are compare-and-set on the document's `rev`, and only ever put an entry of a newer
version or remove one not newer than the version the elder left at, so settling an elder again
(after a crash, by the relay, by a rebuild) changes nothing. Which elders need settling is
kept with the elder itself, by the outbox's pending flag of the same write (elder_store).
"""

import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError, OperationFailure

from services.intake.domain.tallies import Entry, merged

COLLECTION = "elder_tallies"
STATE = "elder_tally_state"
BUILT = "register"
ATTEMPTS = 50  # compare-and-set rounds before giving up (the relay settles it later)
WRITE_CONFLICT = 112  # MongoDB's code: a store error, retried as the relay retries any


class TallyStore:
    def __init__(self, db: Database) -> None:
        self.tallies = db[COLLECTION]
        self.state = db[STATE]
        self._built = False
        self._read: dict[str, tuple[int, dict[str, Entry]]] = {}  # community -> (rev, members)
        # what readers derive from a community's members as read: (community, rev, key) -> it
        self.derived: dict[tuple[str, int, Any], Any] = {}

    def built(self) -> bool:
        """Whether the tallies hold the whole register (a register older than them is
        counted in by a rebuild first)."""
        if not self._built:
            self._built = self.state.find_one({"_id": BUILT, "built": True}) is not None
        return self._built

    def mark_built(self) -> None:
        self.state.replace_one({"_id": BUILT}, {"built": True}, upsert=True)
        self._built = True

    def members(self, community: str) -> dict[str, Entry]:
        document = self.tallies.find_one({"_id": community})
        return document["members"] if document else {}

    def all(self) -> dict[str, dict[str, Entry]]:
        """Every community's members, by community."""
        return {d["_id"]: d["members"] for d in self.tallies.find({})}

    def current(self, community: str | None = None) -> dict[str, tuple[int, dict[str, Entry]]]:
        """Each community's (rev, members), or the one named: read again only where the rev
        changed since this process last read it (readers must not change what it returns)."""
        query = {"_id": community} if community else {}
        revs = {d["_id"]: d["rev"] for d in self.tallies.find(query, {"rev": 1})}
        stale = [c for c, rev in revs.items() if self._read.get(c, (None, {}))[0] != rev]
        if stale:
            for d in self.tallies.find({"_id": {"$in": stale}}):
                self._read[d["_id"]] = (d["rev"], d["members"])
        return {c: self._read[c] for c in revs if c in self._read}

    def settle(
        self,
        arriving: Mapping[str, Mapping[str, Entry]],
        leaving: Mapping[str, Mapping[str, int]],
    ) -> None:
        """Put the arriving entries (by community, then elder) and take out the leaving
        elders (by community, then elder: the version they left at)."""
        for community in sorted({*arriving, *leaving}):
            self._merge(community, arriving.get(community, {}), leaving.get(community, {}))

    def _merge(
        self, community: str, arriving: Mapping[str, Entry], leaving: Mapping[str, int]
    ) -> None:
        for _ in range(ATTEMPTS):
            document = self.tallies.find_one({"_id": community})
            members = document["members"] if document else {}
            changed, removed = merged(members, arriving, leaving)
            if not changed and not removed:
                return
            if document is None:
                try:
                    # a rev never seen before, even after the collection was dropped: readers
                    # keep what they read by it
                    first = {"_id": community, "rev": secrets.randbits(52), "members": changed}
                    self.tallies.insert_one(first)
                    return
                except DuplicateKeyError:
                    continue  # another writer made it first
            update: dict[str, Any] = {"$inc": {"rev": 1}}
            if changed:
                update["$set"] = {f"members.{i}": entry for i, entry in changed.items()}
            if removed:
                update["$unset"] = {f"members.{i}": "" for i in removed}
            found = self.tallies.update_one({"_id": community, "rev": document["rev"]}, update)
            if found.matched_count:
                return
        raise OperationFailure(f"the tally of {community!r} stayed busy", WRITE_CONFLICT)

    def strays(self, where: Mapping[str, tuple[str, int]]) -> dict[str, dict[str, int]]:
        """Entries of elders that a community holds though they are now elsewhere, with the
        version they were read at (`where`: elder id -> (community, version))."""
        out: dict[str, dict[str, int]] = {}
        for community, members in self.all().items():
            for elder_id in members:
                now_in, version = where.get(elder_id, (None, members[elder_id]["v"]))
                if now_in != community:
                    out.setdefault(community, {})[elder_id] = version
        return out


def by_community(rows: Iterable[tuple[str, str, Entry]]) -> dict[str, dict[str, Entry]]:
    """(community, elder id, entry) rows grouped as `settle` takes them."""
    grouped: dict[str, dict[str, Entry]] = {}
    for community, elder_id, entry in rows:
        grouped.setdefault(community, {})[elder_id] = entry
    return grouped
