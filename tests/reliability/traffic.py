"""A steady stream of work from many clients, and the ledger of what the system accepted.

Clients behave like real ones: a request that got no answer, or a 503, is sent again (the
same ID number, the same version, the same event) until the system answers it; when the answer
is ambiguous (the first attempt may have been stored before the connection broke), the client
reads the record to find out. A request counts as accepted once the system confirmed it: a 2xx,
a 409 proving that an earlier attempt was stored, or a broker acknowledgement (acks=all) for
an event another system publishes.
"""

import hashlib
import json
import random
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import requests
from kafka import KafkaProducer
from kafka.errors import KafkaError
from staff import e2e_headers

from services.intake.domain.national_id import check_character
from shared.events import Topics

ZONE = ZoneInfo("Asia/Shanghai")
DISTRICT = "demo-district"
COMMUNITIES = [f"c{n:02d}" for n in range(1, 30)]
E2E = e2e_headers()  # the accounts the suite's stack makes (conftest.py)
CLERK, VISITOR, OFFICER = E2E["dev-clerk"], E2E["dev-visitor"], E2E["dev-officer"]
HOSPITAL = "urn:hospital:reliability-general"
HOTLINE = "urn:hotline:12345"
TIMEOUT = (3.0, 20.0)  # connect, read: a read that takes longer than this is a hang


def national_id(prefix: str, n: int) -> tuple[str, date]:
    """The n-th unique ID number of a run: birth dates from 1935 on, then the sequence."""
    born = date(1935, 1, 1) + timedelta(days=n % 9000)
    first17 = f"{prefix}{born:%Y%m%d}{n // 9000:03d}"
    return first17 + check_character(first17), born


def receipt_key(type_: str, source: str, reference: str) -> str:
    """How intake names the receipt of a report (and so the obligation it opens)."""
    return hashlib.sha256(f"{type_}\n{source}\n{reference}".encode()).hexdigest()[:32]


def local_today() -> date:
    return datetime.now(ZONE).date()


@dataclass
class Answer:
    status: int | None  # None: no answer (connection refused or reset, or a timeout)
    body: Any = None
    seconds: float = 0.0

    @property
    def retryable(self) -> bool:
        return self.status is None or self.status == 503


@dataclass
class Attempts:
    """Every HTTP attempt and broker send, by outcome; and anything a client must never see."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    outcomes: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    slowest_503: float = 0.0
    latencies: list[tuple[str, float]] = field(default_factory=list)

    def record(self, what: str, answer: Answer, response: requests.Response | None) -> None:
        with self.lock:
            key = "no answer" if answer.status is None else str(answer.status)
            self.outcomes[key] += 1
            self.latencies.append((what, answer.seconds))
            if answer.status is None:
                return
            if answer.status == 503:
                self.slowest_503 = max(self.slowest_503, answer.seconds)
                kind = response.headers.get("Content-Type", "") if response is not None else ""
                if kind != "application/problem+json":
                    self.problems.append(f"{what}: 503 as {kind!r}, not problem+json")
            elif answer.status >= 500:
                self.problems.append(f"{what}: {answer.status} {str(answer.body)[:300]}")

    def problem(self, text: str) -> None:
        with self.lock:
            self.problems.append(text)

    def count(self, key: str) -> None:
        with self.lock:
            self.outcomes[key] += 1


class Http:
    """One keep-alive session per client thread."""

    def __init__(self, attempts: Attempts) -> None:
        self.attempts = attempts
        self.local = threading.local()

    def session(self) -> requests.Session:
        if not hasattr(self.local, "session"):
            self.local.session = requests.Session()
        return self.local.session

    def call(self, method: str, url: str, headers: dict, body: dict | None = None) -> Answer:
        what = f"{method} {url.split('/', 3)[-1].split('?')[0]}"
        started = time.monotonic()
        response = None
        try:
            response = self.session().request(
                method, url, json=body, headers=headers, timeout=TIMEOUT
            )
            try:
                payload = response.json()
            except ValueError:
                payload = response.text
            answer = Answer(response.status_code, payload, time.monotonic() - started)
        except requests.Timeout:
            answer = Answer(None, None, time.monotonic() - started)
            self.attempts.problem(f"{what}: no answer within {TIMEOUT[1]:.0f}s (a hang)")
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError):
            # a process killed after sending its headers cuts the body: no answer either
            answer = Answer(None, None, time.monotonic() - started)
            self.local.session = requests.Session()  # start on fresh connections
        self.attempts.record(what, answer, response)
        return answer


@dataclass
class Elder:
    elder_id: str
    national_id: str
    born: date
    community: str
    address: str
    role: str  # "steady" (changed, admitted, calls), "dies" or "moves"
    registered_at: float
    low_income: bool = False
    version: int = 1
    status: str = "active"
    updates: list[tuple[int, str]] = field(default_factory=list)
    admissions: set[str] = field(default_factory=set)
    calls: set[str] = field(default_factory=set)
    moved_to: str | None = None
    busy: bool = False


@dataclass(frozen=True)
class Expectation:
    """What must be visible downstream for the requests accepted up to a moment."""

    versions: dict[str, int]
    admissions: dict[str, str]  # receipt key -> elder id, for elders who stay served
    calls: dict[str, str]


class Ledger:
    """What the system accepted, and so what every service must hold exactly once."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.lock = threading.Lock()
        self.elders: dict[str, Elder] = {}
        self.by_national_id: dict[str, str] = {}
        self.accepted: Counter = Counter()
        self.resent: Counter = Counter()
        self.resolved_by_reading: Counter = Counter()
        self.unresolved: list[str] = []
        self.next_number = 0

    def number(self) -> int:
        with self.lock:
            self.next_number += 1
            return self.next_number

    def add(self, elder: Elder) -> None:
        with self.lock:
            self.elders[elder.elder_id] = elder
            self.by_national_id[elder.national_id] = elder.elder_id
            self.accepted["registration"] += 1

    def take(self, role: str, rng: random.Random, fresh_only: bool = False) -> Elder | None:
        """An elder of that role no other client is working on (for one-off life events, one
        that has had none yet)."""
        with self.lock:
            candidates = [
                e
                for e in self.elders.values()
                if e.role == role and not e.busy and not (fresh_only and e.version > 1)
            ]
            if not candidates:
                return None
            chosen = rng.choice(candidates[-200:])  # mostly recent ones: their events may lag
            chosen.busy = True
            return chosen

    def release(self, elder: Elder) -> None:
        with self.lock:
            elder.busy = False

    def expectation(self) -> Expectation:
        with self.lock:
            versions = {e.elder_id: e.version for e in self.elders.values()}
            admissions = {  # a dying elder's admission may rightly open nothing
                key: e.elder_id
                for e in self.elders.values()
                if e.role != "dies"
                for key in e.admissions
            }
            calls = {key: e.elder_id for e in self.elders.values() for key in e.calls}
        return Expectation(versions, admissions, calls)


class Driver:
    """Staff clients sending registrations, changes, deaths, moves and reads over HTTP, and
    other systems publishing hospital admissions and hotline calls, until told to stop. The
    two kinds of client are separate threads, as they are separate systems: a broker outage
    holds up the other systems, never the staff."""

    STAFF = {  # noqa: RUF012 - a table, not state
        "register": 40,
        "update": 16,
        "death": 9,
        "move": 9,
        "read": 16,
    }
    OTHER_SYSTEMS = {  # noqa: RUF012
        "admit": 60,
        "admit_dying": 15,
        "call": 25,
    }

    def __init__(
        self,
        apis: dict[str, str],
        kafka: dict[str, Any],  # an outside system's client options: it publishes inbound
        prefix: str,
        clients: int = 5,
        systems: int = 1,
        pause: float = 0.2,
        system_pause: float = 0.5,
        max_operations: int = 50_000,
        give_up_after: float = 150.0,
    ) -> None:
        self.apis = apis
        self.ledger = Ledger(prefix)
        self.attempts = Attempts()
        self.http = Http(self.attempts)
        self.clients = clients
        self.systems = systems
        self.pause = pause
        self.system_pause = system_pause
        self.max_operations = max_operations
        self.give_up_after = give_up_after
        self.stopping = threading.Event()
        self.threads: list[threading.Thread] = []
        self.operations = 0
        self.producer = KafkaProducer(
            **kafka,
            acks="all",
            max_block_ms=5000,
            request_timeout_ms=5000,
            retries=3,
            reconnect_backoff_max_ms=2000,
        )

    # -- running --

    def start(self) -> None:
        kinds = [("staff", self.STAFF, self.pause)] * self.clients + [
            ("system", self.OTHER_SYSTEMS, self.system_pause)
        ] * self.systems
        for n, (who, table, pause) in enumerate(kinds):
            thread = threading.Thread(
                target=self._client, args=(n, table, pause), name=f"{who}-{n}"
            )
            thread.start()
            self.threads.append(thread)

    def stop(self) -> None:
        """No new operations; those in flight are finished (each has its own deadline)."""
        self.stopping.set()
        for thread in self.threads:
            thread.join()
        self.producer.close(timeout=10)

    def _client(self, n: int, table: dict[str, int], pause: float) -> None:
        rng = random.Random(n)
        kinds, weights = zip(*table.items(), strict=True)
        while not self.stopping.is_set():
            with self.ledger.lock:
                if self.operations >= self.max_operations:
                    return
                self.operations += 1
            kind = rng.choices(kinds, weights)[0]
            try:
                getattr(self, f"_{kind}")(rng)
            except Exception as error:  # noqa: BLE001 - a client bug must fail the suite, loudly
                self.attempts.problem(f"client {n} {kind}: {type(error).__name__}: {error}")
            self.stopping.wait(pause)

    def _until_answered(self, send) -> tuple[Answer | None, bool]:
        """Send until the system answers (not a 503, not silence); also whether an earlier
        attempt may have been applied without the client knowing."""
        deadline = time.monotonic() + self.give_up_after
        ambiguous, backoff = False, 0.2
        while time.monotonic() < deadline:
            answer = send()
            if not answer.retryable:
                return answer, ambiguous
            ambiguous = True
            time.sleep(backoff)
            backoff = min(backoff * 2, 2.0)
        return None, ambiguous

    # -- operations --

    def _register(self, rng: random.Random) -> None:
        number = self.ledger.number()
        nid, born = national_id(self.ledger.prefix, number)
        role = rng.choices(["steady", "dies", "moves"], [70, 15, 15])[0]
        community = rng.choice(COMMUNITIES)
        address = f"和平路{self.ledger.prefix}-{number}号"  # a home of its own, in every suite
        low_income = rng.random() < 0.4
        body = {
            "national_id": nid,
            "name": rng.choice(["王秀英", "李桂兰", "张建国", "刘淑珍", "陈志强"]),
            "sex": "male" if int(nid[16]) % 2 else "female",
            "birth_date": born.isoformat(),
            "community": community,
            "address": address,
            "phone": "13800138000",
            "circumstances": {
                "household_type": rng.choice(["living_alone", "with_family"]),
                "low_income": low_income,
            },
        }
        answer, ambiguous = self._until_answered(
            lambda: self.http.call("POST", f"{self.apis['intake']}/elders", CLERK, body)
        )
        if answer is None:
            self.ledger.unresolved.append(f"registration {nid}")
            return
        if answer.status == 201:
            elder_id = answer.body["elder_id"]
            if answer.body["version"] != 1:
                self.attempts.problem(f"registration {nid}: version {answer.body['version']}")
        elif answer.status == 409 and ambiguous and "existing_elder_id" in answer.body:
            elder_id = answer.body["existing_elder_id"]  # an earlier attempt was stored
            self.ledger.resolved_by_reading["registration (409: stored before)"] += 1
        else:
            self.attempts.problem(f"registration {nid}: {answer.status} {answer.body}")
            return
        self.ledger.add(
            Elder(elder_id, nid, born, community, address, role, time.monotonic(), low_income)
        )

    def _update(self, rng: random.Random) -> None:
        elder = self.ledger.take("steady", rng)
        if elder is None:
            return self._register(rng)
        try:
            version, address = elder.version, f"幸福路{self.ledger.prefix}-{self.ledger.number()}号"
            url = f"{self.apis['intake']}/elders/{elder.elder_id}"
            answer, ambiguous = self._until_answered(
                lambda: self.http.call(
                    "PATCH", url, CLERK, {"version": version, "address": address}
                )
            )
            if answer is not None and answer.status == 200:
                if answer.body["version"] != version + 1 or answer.body["address"] != address:
                    self.attempts.problem(f"update {elder.elder_id}: answered {answer.body}")
                applied = True
            elif answer is not None and ambiguous:
                applied = self._in_history(elder.elder_id, version + 1, "address", address)
                self.ledger.resolved_by_reading["update (read the history)"] += 1
                if not applied:
                    self.attempts.problem(f"update {elder.elder_id}: {answer.status}, not applied")
            else:
                self.attempts.problem(
                    f"update {elder.elder_id} v{version}: {answer and answer.status} "
                    f"{answer and answer.body}"
                )
                applied = False
            if applied:
                with self.ledger.lock:
                    elder.version, elder.address = version + 1, address
                    elder.updates.append((version + 1, address))
                    self.ledger.accepted["update"] += 1
        finally:
            self.ledger.release(elder)

    def _death(self, rng: random.Random) -> None:
        elder = self.ledger.take("dies", rng, fresh_only=True)
        if elder is None:
            return self._register(rng)
        try:
            body = {"version": 1, "died_on": local_today().isoformat(), "reported_by": "staff"}
            url = f"{self.apis['intake']}/elders/{elder.elder_id}/death"
            if self._life_event(elder, url, body, {"status": "deceased"}):
                with self.ledger.lock:
                    elder.version, elder.status = 2, "deceased"
                    self.ledger.accepted["death"] += 1
        finally:
            self.ledger.release(elder)

    def _move(self, rng: random.Random) -> None:
        elder = self.ledger.take("moves", rng, fresh_only=True)
        if elder is None:
            return self._register(rng)
        try:
            to = rng.choice([c for c in COMMUNITIES if c != elder.community])
            address = f"{to}新村{self.ledger.prefix}-{self.ledger.number()}号"
            body = {
                "version": 1,
                "moved_on": local_today().isoformat(),
                "to_community": to,
                "address": address,
            }
            url = f"{self.apis['intake']}/elders/{elder.elder_id}/moves"
            if self._life_event(elder, url, body, {"community": to}):
                with self.ledger.lock:
                    elder.version, elder.community, elder.address = 2, to, address
                    elder.moved_to = to
                    self.ledger.accepted["move"] += 1
        finally:
            self.ledger.release(elder)

    def _life_event(self, elder: Elder, url: str, body: dict, expected: dict) -> bool:
        answer, ambiguous = self._until_answered(lambda: self.http.call("POST", url, CLERK, body))
        if answer is not None and answer.status == 200:
            return True
        if answer is not None and ambiguous:
            current = self._read_elder(elder.elder_id)
            if (
                current
                and current["version"] == 2
                and all(current[k] == v for k, v in expected.items())
            ):
                self.ledger.resolved_by_reading["life event (read the record)"] += 1
                return True
        self.attempts.problem(f"{url}: {answer and answer.status} {answer and answer.body}")
        return False

    def _admit(self, rng: random.Random) -> None:
        self._report("steady", "hospital.admitted", rng)

    def _admit_dying(self, rng: random.Random) -> None:
        """An admission of an elder who is about to die: the death closes that work."""
        self._report("dies", "hospital.admitted", rng)

    def _call(self, rng: random.Random) -> None:
        self._report("steady", "hotline.called", rng)

    def _report(self, role: str, type_: str, rng: random.Random) -> None:
        elder = self.ledger.take(role, rng, fresh_only=role == "dies")
        if elder is None:
            return
        try:
            self._send_report(elder, type_, rng)
        finally:
            self.ledger.release(elder)

    def _read(self, rng: random.Random) -> None:
        with self.ledger.lock:
            known = list(self.ledger.elders)[-300:]
        if not known:
            return
        elder_id = rng.choice(known)
        service, headers = rng.choice(
            [("intake", CLERK), ("visits", VISITOR), ("allowances", OFFICER)]
        )
        answer = self.http.call("GET", f"{self.apis[service]}/elders/{elder_id}", headers)
        if answer.status == 200 and answer.body["elder_id"] != elder_id:
            self.attempts.problem(f"read {service} {elder_id}: {answer.body}")
        if service == "intake" and answer.status == 404:
            self.attempts.problem(f"read intake {elder_id}: an accepted registration is missing")

    # -- other systems' events --

    def _send_report(self, elder: Elder, type_: str, rng: random.Random) -> None:
        source = HOSPITAL if type_ == "hospital.admitted" else HOTLINE
        reference = f"{type_.split('.')[0]}-{self.ledger.prefix}-{self.ledger.number()}"
        data: dict[str, Any] = {
            "national_id": elder.national_id,
            "reference": reference,
            "occurred_at": datetime.now(UTC).isoformat(),
            "note": None,
        }
        if type_ == "hospital.admitted":
            data["hospital"] = "第一人民医院"
        else:
            data["urgency"] = rng.choice(["urgent", "normal"])
        envelope = {
            "specversion": "1.0",
            "id": str(uuid.uuid4()),
            "source": source,
            "type": type_,
            "time": datetime.now(UTC).isoformat(),
            "subject": reference,
            "district": DISTRICT,
            "schemaversion": 1,
            "data": data,
        }
        if not self._publish(reference, envelope):
            self.ledger.unresolved.append(f"{type_} {reference}")
            return
        key = receipt_key(type_, source, reference)
        with self.ledger.lock:
            (elder.admissions if type_ == "hospital.admitted" else elder.calls).add(key)
            self.ledger.accepted[type_] += 1
        again = {**envelope, "id": str(uuid.uuid4())}  # the same report, as a new event
        if rng.random() < 0.15 and self._publish(reference, again):
            self.ledger.resent[f"{type_} (same report, new event id)"] += 1
        if rng.random() < 0.1 and self._publish(reference, envelope):  # the very same event
            self.ledger.resent[f"{type_} (same event again)"] += 1

    def _publish(self, reference: str, envelope: dict) -> bool:
        deadline = time.monotonic() + self.give_up_after
        raw = json.dumps(envelope, ensure_ascii=False).encode()
        while time.monotonic() < deadline:
            started = time.monotonic()
            try:
                self.producer.send(Topics.INBOUND, key=reference.encode(), value=raw).get(10)
                self.attempts.count("event acknowledged")
                return True
            except KafkaError:
                self.attempts.count("event not acknowledged")
                time.sleep(max(0.0, 1.0 - (time.monotonic() - started)))
        return False

    # -- reading back, to resolve an ambiguous answer --

    def _read_elder(self, elder_id: str) -> dict | None:
        url = f"{self.apis['intake']}/elders/{elder_id}"
        answer, _ = self._until_answered(lambda: self.http.call("GET", url, CLERK))
        return answer.body if answer is not None and answer.status == 200 else None

    def _in_history(self, elder_id: str, version: int, name: str, value: str) -> bool:
        url = f"{self.apis['intake']}/elders/{elder_id}/history"
        answer, _ = self._until_answered(lambda: self.http.call("GET", url, CLERK))
        if answer is None or answer.status != 200:
            return False
        return any(
            line["version"] == version and line["after"].get(name) == value for line in answer.body
        )
