"""The register's tallies in intake's store: a small document per elder (`elder_tallies`, `_id`
the elder's id) holding its community and counted facts at its version, indexed by community
(services.intake.domain.tallies). A list's total and the district's statistics read these,
a few hundred bytes an elder, never the elders' own documents with their histories.

An entry is only ever replaced by one of a newer version, so settling an elder again (after a
crash, by the relay, by a rebuild) changes nothing. Which elders need settling is kept with the
elder itself, by the outbox's pending flag of the same write (elder_store).

Beside them, one small document per community (`elder_tally_revs`) counts the settlings that
touched it, raised after the entries are written: readers keep a community's entries by that
rev and read them again only when it moved.
"""

import threading
from typing import Any

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from services.intake.domain.tallies import FORMAT, Entry, Row, newer
from shared.mongo import insert_many_once

COLLECTION = "elder_tallies"
REVS = "elder_tally_revs"
STATE = "elder_tally_state"
BUILT = "register"


class TallyStore:
    def __init__(self, db: Database) -> None:
        self.tallies = db[COLLECTION]
        self.revs = db[REVS]
        self.state = db[STATE]
        self._built = False
        self._read: dict[str, tuple[int, dict[str, Entry]]] = {}  # community -> (rev, members)
        self._reading = threading.Lock()
        # what readers derive from a community's members as read: (community, rev, key) -> it
        self.derived: dict[tuple[str, int | None, Any], Any] = {}

    def built(self) -> bool:
        """Whether the tallies hold the whole register, in the entries' present shape (a
        register older than them, or tallies of an older shape, are counted again first)."""
        if not self._built:
            found = {"_id": BUILT, "built": True, "format": FORMAT}
            self._built = self.state.find_one(found) is not None
        return self._built

    def mark_built(self) -> None:
        self.state.replace_one({"_id": BUILT}, {"built": True, "format": FORMAT}, upsert=True)
        self._built = True

    def forget_older_shape(self) -> None:
        """Tallies of an older shape are dropped before they are counted again: a newer entry
        replaces an older one by its version only, and the versions have not moved."""
        state = self.state.find_one({"_id": BUILT})
        if state is not None and state.get("format") != FORMAT:
            self.tallies.delete_many({})
            self.state.delete_one({"_id": BUILT})

    def members(self, community: str) -> dict[str, Entry]:
        """The community's entries, by elder id, as stored now: by equality, which the
        development store narrows through the index (it reads every entry for an `$in`)."""
        found = self.tallies.find({"community": community}, {"community": 0})
        return {d.pop("_id"): d for d in found}

    def current(self, community: str | None = None) -> dict[str, dict[str, Entry]]:
        """Each community's entries, or the one named's: read again only where its rev moved
        since this process last read them (readers must not change what it returns)."""
        query = {"_id": community} if community else {}
        revs = {d["_id"]: d["rev"] for d in self.revs.find(query)}
        if any(self.rev(c) != rev for c, rev in revs.items()):
            # one reader reads what is stale while the others wait for it, rather than all
            # of them reading the same entries at once
            with self._reading:
                for c, rev in revs.items():
                    if self.rev(c) != rev:
                        self._read[c] = (rev, self.members(c))
        return {c: self._read[c][1] for c in revs}

    def rev(self, community: str) -> int | None:
        """The rev this process last read the community's entries at."""
        return self._read.get(community, (None, {}))[0]

    def put(self, rows: list[Row]) -> None:
        """Store the entries newer than those held, then raise the rev of every community
        they were or are in: also when none was newer, since a writer that stopped before
        raising it left readers with what they read before its entries."""
        if not rows:
            return
        held = {
            d["_id"]: d
            for d in self.tallies.find(
                {"_id": {"$in": [i for i, _, _ in rows]}}, {"v": 1, "community": 1}
            )
        }
        versions = {i: d["v"] for i, d in held.items()}
        writing = newer(versions, {i: entry for i, _, entry in rows})
        fresh = [
            {"_id": i, "community": c, **entry}
            for i, c, entry in rows
            if i in writing and i not in held
        ]
        raced = {fresh[n]["_id"] for n in insert_many_once(self.tallies, fresh)}
        for i, community, entry in rows:
            if i in writing and (i in held or i in raced):
                self.tallies.update_one(
                    {"_id": i, "v": {"$lt": entry["v"]}},
                    {"$set": {"community": community, **entry}},
                )
        touched = {c for _, c, _ in rows} | {d["community"] for d in held.values()}
        for community in sorted(touched):
            self._raise(community)

    def _raise(self, community: str) -> None:
        try:
            self.revs.update_one({"_id": community}, {"$inc": {"rev": 1}}, upsert=True)
        except DuplicateKeyError:  # two first writers at once: the other inserted it
            self.revs.update_one({"_id": community}, {"$inc": {"rev": 1}})
