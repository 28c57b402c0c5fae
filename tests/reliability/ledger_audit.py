"""Reading every service back against the ledger: what is missing (lost) and what is there
more than once (duplicated). Services are read in their own databases and on the topics, so
that nothing an API might hide escapes the count."""

import json
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from pymongo.errors import PyMongoError
from stack_control import Stack
from traffic import Expectation, Ledger

from shared.events import Topics

SYNTHETIC_DEAD_LETTER = "reliability suite: simulated failure"
OUTBOX = "_outbox"


class Progress:
    """How many expected effects are not visible downstream yet. Cheap enough to poll: what
    was seen once is not read again (versions only grow, records are never deleted), and the
    rest is read by `_id`."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.seen: dict[tuple[str, str], int] = {}  # (collection, id) -> version seen
        self.present: set[tuple[str, str]] = set()

    def missing(self, expected: Expectation) -> list[str] | None:
        """The expected effects not visible yet; None while a store cannot be read."""
        try:
            behind = [
                f"{where}: elder {elder} v{version}"
                for where in ("visits", "allowances")
                for elder, version in self._behind(where, expected.versions)
            ]
            behind += [
                f"visits: obligation of admission {key} (elder {expected.admissions[key]})"
                for key in self._absent(
                    "obligations", {f"incident:{k}": k for k in expected.admissions}
                )
            ]
            behind += [
                f"visits: help request {key} (elder {expected.calls[key]})"
                for key in self._absent("help_requests", {k: k for k in expected.calls})
            ]
        except PyMongoError:
            return None
        return behind

    def _behind(self, service: str, versions: dict[str, int]) -> list[tuple[str, int]]:
        unsure = [e for e, v in versions.items() if self.seen.get((service, e), 0) < v]
        for chunk in _chunks(unsure, 500):
            query = {"_id": {"$in": chunk}}
            for document in self.stack.db(service).elders.find(query, {"version": 1}):
                self.seen[(service, document["_id"])] = document.get("version", 0)
        return [(e, versions[e]) for e in unsure if self.seen.get((service, e), 0) < versions[e]]

    def _absent(self, collection: str, ids: dict[str, str]) -> list[str]:
        unsure = [i for i in ids if (collection, i) not in self.present]
        for chunk in _chunks(unsure, 500):
            found = self.stack.db("visits")[collection].find({"_id": {"$in": chunk}}, {"_id": 1})
            self.present.update((collection, d["_id"]) for d in found)
        return [ids[i] for i in unsure if (collection, i) not in self.present]

    def outboxes_empty(self, timeout: float = 60.0) -> None:
        """Wait until no document of the run's services holds events not yet published."""
        pending = {"_outbox.0": {"$exists": True}}
        holders = {
            "intake": ["elders", "inbound", "inbound_http"],
            "visits": ["obligations", "visits", "services", "pairings", "help_requests"],
        }
        deadline = time.monotonic() + timeout
        while True:
            left = {
                f"{service}.{name}": self.stack.db(service)[name].count_documents(pending)
                for service, names in holders.items()
                for name in names
            }
            if not any(left.values()):
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"events never published: {left}")
            time.sleep(0.5)

    def wait(self, expected: Expectation, since: float, timeout: float = 120.0) -> float:
        """Seconds from `since` until every expected effect is visible."""
        last = None
        while time.monotonic() - since < timeout:
            last = self.missing(expected)
            if last == []:
                return time.monotonic() - since
            time.sleep(0.5)
        raise AssertionError(
            f"not recovered within {timeout:.0f}s: "
            + ("a store cannot be read" if last is None else f"{len(last)} missing: {last[:10]}")
        )


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


@dataclass
class Findings:
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    disordered: list[str] = field(default_factory=list)  # an elder's events out of order
    figures: dict[str, Any] = field(default_factory=dict)

    def check(self, ok: bool, kind: str, text: str) -> None:
        if not ok:
            {"lost": self.lost, "duplicated": self.duplicated}.get(kind, self.disordered).append(
                text
            )

    def verdict(self) -> list[tuple[str, object]]:
        """The three counts every run reports."""
        return [
            ("LOST", len(self.lost)),
            ("DUPLICATED", len(self.duplicated)),
            ("OUT OF ORDER (an elder's events on the topic)", len(self.disordered)),
        ]

    def assert_none(self) -> None:
        assert not self.lost, self.lost[:20]
        assert not self.duplicated, self.duplicated[:20]
        assert not self.disordered, self.disordered[:20]


def audit(stack: Stack, ledger: Ledger) -> Findings:
    found = Findings()
    read = stack.read_topic
    _audit_intake(stack, ledger, found)
    _audit_topics(ledger, found, read)
    _audit_visits(stack, ledger, found, read)
    _audit_allowances(stack, ledger, found)
    _audit_dead_letters(ledger, found, read)
    return found


def _audit_allowances(stack: Stack, ledger: Ledger, found: Findings) -> None:
    """The elder projection (the allowance cycles are not audited here)."""
    projected = {d["_id"]: d for d in stack.db("allowances").elders.find({})}
    for elder in ledger.elders.values():
        copy = projected.get(elder.elder_id)
        found.check(copy is not None, "lost", f"allowances: elder {elder.elder_id} not projected")
        if copy is not None:
            seen = (copy["version"], copy["status"], copy["community"])
            want = (elder.version, elder.status, elder.community)
            found.check(seen == want, "lost", f"allowances: {elder.elder_id} is {seen}, not {want}")


def _audit_intake(stack: Stack, ledger: Ledger, found: Findings) -> None:
    intake = stack.db("intake")
    documents = [d for d in intake.elders.find({}) if d["national_id"].startswith(ledger.prefix)]
    per_id_number = Counter(d["national_id"] for d in documents)
    for number, count in per_id_number.items():
        found.check(count == 1, "duplicated", f"intake: {count} records for ID number {number}")
        found.check(
            number in ledger.by_national_id, "duplicated", f"intake: {number} stored, not accepted"
        )
    stored = {d["_id"]: d for d in documents}
    for elder in ledger.elders.values():
        document = stored.get(elder.elder_id)
        found.check(document is not None, "lost", f"intake: accepted elder {elder.elder_id}")
        if document is None:
            continue
        versions = [line["version"] for line in document["history"]]
        found.check(
            document["version"] >= elder.version, "lost", f"intake: {elder.elder_id} behind"
        )
        found.check(
            versions == list(range(1, elder.version + 1)) and document["version"] == elder.version,
            "duplicated",
            f"intake: {elder.elder_id} history versions {versions}, expected 1..{elder.version}",
        )
        lines = {line["version"]: line for line in document["history"]}
        for version, address in elder.updates:
            after = lines.get(version, {}).get("after", {})
            found.check(
                after.get("address") == address,
                "lost",
                f"intake: change v{version} of {elder.elder_id}",
            )
        state = (document["status"], document["community"], document["address"])
        found.check(
            state == (elder.status, elder.community, elder.address),
            "lost",
            f"intake: {elder.elder_id} is {state}",
        )
        found.check(
            not document.get(OUTBOX), "lost", f"intake: {elder.elder_id} events never published"
        )
    receipts = {d["_id"]: d for d in intake.inbound.find({}, {OUTBOX: 1, "status": 1})}
    for elder in ledger.elders.values():
        for key in elder.admissions | elder.calls:
            receipt = receipts.get(key)
            found.check(
                receipt is not None and receipt["status"] == "applied",
                "lost",
                f"intake: report {key} of {elder.elder_id} -> {receipt}",
            )
            found.check(
                receipt is None or not receipt.get(OUTBOX),
                "lost",
                f"intake: report {key} caused events never published",
            )
    found.figures["intake records (ID numbers of this run)"] = len(documents)


def _audit_topics(ledger: Ledger, found: Findings, read) -> None:
    mine = {e.elder_id.encode() for e in ledger.elders.values()}
    published: Counter = Counter()
    in_log_order: dict[str, list[int]] = defaultdict(list)  # one partition per elder
    for record in read(Topics.ELDERS):
        if record.key in mine:
            event = json.loads(record.value)
            elder_id, version = event["data"]["elder_id"], event["data"]["version"]
            published[(elder_id, version)] += 1
            in_log_order[elder_id].append(version)
    for elder_id, versions in in_log_order.items():
        # an event published again after a crash may follow later ones (consumers skip it by
        # its version); what must hold is that each version first appears after the one before
        first_seen = list(dict.fromkeys(versions))
        found.check(
            first_seen == sorted(first_seen),
            "out of order",
            f"{Topics.ELDERS}: {elder_id} published in the order {versions}",
        )
    for elder in ledger.elders.values():
        for version in range(1, elder.version + 1):
            found.check(
                published[(elder.elder_id, version)] >= 1,
                "lost",
                f"{Topics.ELDERS}: {elder.elder_id} v{version} never published",
            )
    causes: Counter = Counter()
    for record in read(Topics.INCIDENTS):
        if record.key in mine:
            data = json.loads(record.value)["data"]
            causes[data.get("incident_id") or data.get("request_id")] += 1
    for elder in ledger.elders.values():
        for key in elder.admissions | elder.calls:
            found.check(causes[key] >= 1, "lost", f"{Topics.INCIDENTS}: {key} never published")
    elder_events = sum(published.values())
    found.figures["elder events published (distinct / records)"] = (
        f"{len(published)} / {elder_events}"
    )
    found.figures["incidents and calls published (distinct / records)"] = (
        f"{len(causes)} / {sum(causes.values())}"
    )
    found.figures["events applied (distinct events x consuming services)"] = 2 * len(
        published
    ) + len(causes)
    found.figures["events published more than once (absorbed downstream)"] = (
        elder_events - len(published) + sum(causes.values()) - len(causes)
    )


def _audit_visits(stack: Stack, ledger: Ledger, found: Findings, read) -> None:
    visits = stack.db("visits")
    projected = {d["_id"]: d for d in visits.elders.find({})}
    work: dict[str, list[dict]] = defaultdict(list)
    for obligation in visits.obligations.find({}):
        if obligation["elder_id"] in ledger.elders:
            work[obligation["elder_id"]].append(obligation)
    requests = {d["_id"]: d for d in visits.help_requests.find({})}
    waiting = [
        d["_id"]
        for d in visits.incidents.find({"status": "waiting"})
        if d.get("elder_id") in ledger.elders
    ]
    found.check(not waiting, "lost", f"visits: incidents still waiting for their elder: {waiting}")
    calls_waiting = [
        d["_id"]
        for d in visits.waiting_calls.find({"status": "waiting"})
        if d.get("elder_id") in ledger.elders
    ]
    found.check(not calls_waiting, "lost", f"visits: calls still waiting: {calls_waiting}")
    obligations = 0
    for elder in ledger.elders.values():
        copy = projected.get(elder.elder_id)
        found.check(copy is not None, "lost", f"visits: elder {elder.elder_id} not projected")
        if copy is not None:
            seen = (copy["version"], copy["status"], copy["community"])
            want = (elder.version, elder.status, elder.community)
            found.check(seen == want, "lost", f"visits: {elder.elder_id} is {seen}, not {want}")
        mine = work[elder.elder_id]
        obligations += len(mine)
        found.check(
            not any(o.get(OUTBOX) for o in mine), "lost", f"visits: {elder.elder_id} unpublished"
        )
        admitted = [o for o in mine if o.get("trigger") == "hospitalised"]
        moving = [o for o in mine if o.get("trigger") == "moving_house"]
        # The monthly duty owes key targets and home-care households their routine visit, one
        # per period, under an id made of the elder and the period.
        routine = [
            o
            for o in mine
            if o.get("kind") == "routine"
            and o["_id"].startswith((f"key_target:{elder.elder_id}:", f"routine:{elder.elder_id}:"))
        ]
        expected_work = admitted + moving + routine
        others = [o["_id"] for o in mine if o not in expected_work]
        found.check(not others, "duplicated", f"visits: unexpected obligations {others}")
        ids = Counter(o["_id"] for o in admitted)
        expected = {f"incident:{key}" for key in elder.admissions}
        found.check(set(ids) <= expected, "duplicated", f"visits: {set(ids) - expected}")
        if elder.status == "deceased":  # an admission may have come first: at most one, closed
            found.check(
                not any(o["status"] == "open" for o in mine),
                "lost",
                f"visits: {elder.elder_id} died, yet has open work",
            )
        else:
            found.check(
                set(ids) == expected, "lost", f"visits: obligations {expected - set(ids)} missing"
            )
        if elder.moved_to:
            found.check(len(moving) >= 1, "lost", f"visits: no moving visit for {elder.elder_id}")
            found.check(len(moving) <= 1, "duplicated", f"visits: {len(moving)} moving visits")
            found.check(
                all(o["community"] == elder.moved_to for o in mine if o["status"] == "open"),
                "lost",
                f"visits: open work of {elder.elder_id} did not follow the move",
            )
        else:
            found.check(not moving, "duplicated", f"visits: moving visit for {elder.elder_id}")
        for key in elder.calls:
            request = requests.get(key)
            found.check(
                request is not None and request["elder_id"] == elder.elder_id,
                "lost",
                f"visits: help request {key} of {elder.elder_id} -> {request}",
            )
            found.check(
                request is None or not request.get(OUTBOX), "lost", f"visits: {key} unpublished"
            )
    calls = {key for elder in ledger.elders.values() for key in elder.calls}
    mine_requests = [k for k, d in requests.items() if d["elder_id"] in ledger.elders]
    found.check(
        len(mine_requests) == len(calls),
        "duplicated",
        f"visits: {len(mine_requests)} help requests for {len(calls)} calls",
    )
    announced: Counter = Counter()
    keys = {e.elder_id.encode() for e in ledger.elders.values()}
    for record in read(Topics.VISITS):
        if record.key in keys:
            event = json.loads(record.value)
            if event["type"] == "obligation.created":
                announced[event["data"]["obligation_id"]] += 1
    for elder_work in work.values():
        for obligation in elder_work:
            found.check(
                announced[obligation["_id"]] >= 1,
                "lost",
                f"{Topics.VISITS}: creation of {obligation['_id']} never published",
            )
    found.figures["visit obligations of this run"] = obligations
    found.figures["help requests of this run"] = len(mine_requests)


def _audit_dead_letters(ledger: Ledger, found: Findings, read) -> None:
    """A dead letter of this run's events (other than the suite's own) is an effect lost."""
    keys = {e.elder_id.encode() for e in ledger.elders.values()}
    for service in ("intake", "visits", "allowances"):
        for record in read(Topics.dead_letter(service)):
            headers = {name: value.decode() for name, value in record.headers or []}
            ours = record.key in keys or ledger.prefix.encode() in (record.key or b"")
            if ours and SYNTHETIC_DEAD_LETTER not in headers.get("dlq.reason", ""):
                found.lost.append(
                    f"dead-lettered by {service}: {headers.get('dlq.reason')} "
                    f"({headers.get('dlq.original.topic')})"
                )
