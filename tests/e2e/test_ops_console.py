"""The operator console as `./dev up` runs it, watching the real services: its JSON API, a
dead letter replayed through it and applied once by the running workers, and its page
rendered by headless Chromium with the live state."""

import re
import shutil
import struct
import subprocess
import tempfile
import time
import uuid
import zlib
from collections import Counter
from datetime import UTC, datetime

import pytest
import requests
from factories import registered_event
from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.structs import OffsetAndMetadata
from prometheus_client.parser import text_string_to_metric_families
from staff import E2E_STAFF, add_staff, bearer, e2e_headers, signed_tokens

from devstack.kafka_security import SUPER_USER
from devstack.stack import DEV_SECRET_KEY, intake_store, start_services, stop_services
from shared.config import Settings
from shared.consumer import DeadLetters, Received
from shared.events import Topics
from shared.kafka import ensure_topics

WATCHED_GROUP = "eldercare-ops-e2e"  # a group the test holds behind, so that lag shows
GROUPS = f"eldercare-intake,eldercare-visits,eldercare-allowances,{WATCHED_GROUP}"
E2E = e2e_headers()
OPERATOR_TOKEN = signed_tokens(E2E_STAFF, DEV_SECRET_KEY)["dev-operator"]
OPERATOR = bearer(OPERATOR_TOKEN)
OFFICER = E2E["dev-officer"]
VISITOR = E2E["dev-visitor"]
# the workers that read the elders' topic: intake too, to keep households true
CONSUMING = ("intake", "visits", "allowances")
WIDTH, HEIGHT = 1280, 900


@pytest.fixture(scope="module")
def system(infra, run_dir, ports):
    start_services(
        run_dir, infra, ports, KAFKA_SESSION_TIMEOUT_MS="6000", OPS_CONSUMER_GROUPS=GROUPS
    )
    add_staff(intake_store(infra, ports), E2E_STAFF)
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.apis.items()}
    yield {**urls, "ops": f"http://127.0.0.1:{ports.ops}"}
    stop_services(run_dir)


def overview(system) -> dict:
    response = requests.get(f"{system['ops']}/api/overview", headers=OPERATOR, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def open_counts(system) -> dict[str, int]:
    return {c["service"]: c["open"] for c in overview(system)["dead_letters"]["counts"]}


def eventually(check, timeout=45.0, every=0.5):
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(every)


def caught_up(system) -> bool:
    totals = {g["group"]: g["total"] for g in overview(system)["lag"]}
    return all(totals[f"eldercare-{service}"] == 0 for service in CONSUMING)


@pytest.fixture(scope="module")
def dead_letters(system, infra) -> dict[str, int]:
    """Two messages no consumer can read, dead-lettered by both consuming workers; returns
    the open counts the console must then show. Whatever earlier tests left on the shared
    topics is consumed first, so that only these two change the counts."""
    assert eventually(lambda: caught_up(system)), "the workers should catch up first"
    before = open_counts(system)
    producer = KafkaProducer(**infra.broker.client_options("intake"), acks="all")
    for n in range(2):
        producer.send(Topics.ELDERS, key=f"junk-{n}".encode(), value=b"\x00not an event").get(10)
    producer.close()
    expected = {**before, **{service: before[service] + 2 for service in CONSUMING}}
    assert eventually(lambda: open_counts(system) == expected), open_counts(system)
    return expected


@pytest.fixture(scope="module")
def held_back(infra) -> tuple[str, int, int]:
    """WATCHED_GROUP has committed 1 of 4 messages of a topic of its own: a lag of 3."""
    topic = f"eldercare.test.ops-{uuid.uuid4().hex[:8]}"
    admin = infra.broker.client_options(SUPER_USER)  # the test's own topic and group
    ensure_topics(Settings(service="ops", **infra.broker.client_settings(SUPER_USER)), [topic])
    producer = KafkaProducer(**admin, acks="all")
    for n in range(4):
        producer.send(topic, value=f"m{n}".encode(), partition=0).get(10)
    producer.close()
    group = KafkaConsumer(**admin, group_id=WATCHED_GROUP, enable_auto_commit=False)
    group.commit({TopicPartition(topic, 0): OffsetAndMetadata(1, "", -1)})
    group.close()
    return topic, 1, 4


def test_the_console_reports_every_component_and_the_dead_letters(system, dead_letters):
    state = overview(system)
    health = {(c["service"], c["component"]): c["state"] for c in state["health"]}
    assert health.pop(("kafka", "broker")) == "reachable"
    assert health == {
        **{(s, "api"): "ready" for s in ("intake", "visits", "allowances")},
        **{(s, "worker"): "running" for s in ("intake", "visits", "allowances")},
    }
    lag = {g["group"]: g for g in state["lag"]}
    assert set(lag) == set(GROUPS.split(","))
    consumed = {p["topic"] for p in lag["eldercare-visits"]["partitions"]}
    assert Topics.ELDERS in consumed

    assert eventually(lambda: caught_up(system)), "visits and allowances should have caught up"
    open_ones = [d for d in state["dead_letters"]["open"] if d["origin"]["topic"] == Topics.ELDERS]
    junk = [d for d in open_ones if d["reason"].startswith("not JSON")]
    assert {d["service"] for d in junk} >= set(CONSUMING)
    assert len(junk) >= 2 * len(CONSUMING)  # earlier tests may have left junk of their own
    assert any(e["source"] == "dead letter" for e in state["recent_errors"])
    assert {b["service"] for b in state["outbox"]} >= {"intake", "visits"}
    assert requests.get(f"{system['ops']}/api/overview", timeout=10).status_code == 401


def worker_applied(ports, service: str) -> float:
    text = requests.get(f"http://127.0.0.1:{ports.metrics[service]}/metrics", timeout=5).text
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        if family.name == "eldercare_events_consumed"
        for sample in family.samples
        if sample.name == "eldercare_events_consumed_total"
        and sample.labels["outcome"] == "applied"
        and sample.labels["type"] == "elder.registered"
    )


def test_a_replayed_dead_letter_is_applied_once_by_the_running_workers(system, infra, ports):
    # An event allowances could not handle (say, a bug since fixed), dead-lettered as its
    # consumer does it; it never reached visits' or allowances' projection.
    settings = Settings(service="intake", **infra.broker.client_settings("intake"))
    event = registered_event(
        settings, f"ops-{uuid.uuid4().hex[:8]}", registered_at=datetime.now(UTC)
    )
    producer = KafkaProducer(**infra.broker.client_options("allowances"), acks="all")
    DeadLetters(producer, "allowances", "eldercare-allowances").send(
        Received(Topics.ELDERS, 1, 0, event.subject.encode(), event.to_json()),
        "RuntimeError: allowances could not read the record (after 3 retries)",
    )
    producer.close()
    applied_before = worker_applied(ports, "allowances")
    letter = eventually(
        lambda: next(
            (
                d
                for d in overview(system)["dead_letters"]["open"]
                if d["event"].get("id") == event.id
            ),
            None,
        )
    )
    assert letter and letter["service"] == "allowances"

    url = f"{system['ops']}/api/dead-letters/{letter['id']}/replay"
    replayed = requests.post(url, headers=OPERATOR, timeout=30)
    assert replayed.status_code == 200, replayed.text
    assert replayed.json()["state"] == "replayed"
    assert replayed.json()["resolution"]["by"] == "operator"
    assert replayed.json()["resolution"]["replayed_to"].startswith(f"{Topics.ELDERS}:1:")

    elder = f"{system['allowances']}/elders/{event.subject}"
    found = eventually(lambda: requests.get(elder, headers=OFFICER, timeout=10).ok)
    assert found, "the replayed event never reached allowances"
    assert requests.get(elder, headers=OFFICER, timeout=10).json()["version"] == 1
    in_visits = f"{system['visits']}/elders/{event.subject}"
    assert eventually(lambda: requests.get(in_visits, headers=VISITOR, timeout=10).ok)

    again = requests.post(url, headers=OPERATOR, timeout=30)
    assert again.status_code == 409
    assert again.headers["Content-Type"] == "application/problem+json"
    assert "already replayed by operator" in again.json()["detail"]
    time.sleep(2)  # were it sent twice, the worker would have taken it by now
    assert worker_applied(ports, "allowances") == applied_before + 1


def chromium(*args: str, timeout: float = 90) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        return subprocess.run(
            [
                shutil.which("chromium") or "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}",
                f"--window-size={WIDTH},{HEIGHT}",
                "--virtual-time-budget=5000",
                *args,
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
        )


def cell(dom: str, element_id: str) -> str:
    """The text of the element with this id, tags stripped."""
    found = re.search(rf'id="{re.escape(element_id)}"[^>]*>(.*?)</(dd|td)>', dom, re.S)
    assert found, f"no #{element_id} in the rendered page"
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


@pytest.mark.skipif(
    not shutil.which("chromium"), reason="needs chromium: devstack/install-chromium"
)
def test_the_page_renders_the_live_state_in_chromium(system, dead_letters, held_back, tmp_path):
    topic, committed, end = held_back
    page = f"{system['ops']}/#token={OPERATOR_TOKEN}"

    rendered = chromium("--dump-dom", page)
    assert rendered.returncode == 0, rendered.stderr[-2000:]
    dom = rendered.stdout
    assert "updated " in dom, "the page never loaded its data"
    for service in ("intake", "visits", "allowances"):
        assert cell(dom, f"health-{service}-api") == "ready"
        assert cell(dom, f"health-{service}-worker") == "running"
        assert cell(dom, f"dlq-open-{service}") == str(dead_letters[service])
    assert cell(dom, "health-kafka-broker") == "reachable"
    row = re.search(rf'<tr data-lag="{WATCHED_GROUP}\|{re.escape(topic)}\|0">(.*?)</tr>', dom, re.S)
    assert row, "the held-back group's partition is not shown"
    numbers = [
        re.sub(r"<[^>]+>", "", c)
        for c in re.findall(r'<td class="num[^"]*">(.*?)</td>', row.group(1))
    ]
    assert numbers == ["0", str(committed), str(end), str(end - committed)]
    assert "not JSON" in dom  # the dead letters' reason, in the open list and recent errors

    screenshot = tmp_path / "console.png"
    shot = chromium(f"--screenshot={screenshot}", page)
    assert shot.returncode == 0, shot.stderr[-2000:]
    width, height, pixels = decode_png(screenshot.read_bytes())
    assert (width, height) == (WIDTH, HEIGHT)
    sample = [pixels[i : i + 3] for i in range(0, len(pixels), 3 * 7)]  # every 7th pixel
    colours = Counter(sample)
    assert len(colours) > 12, "the screenshot is blank or nearly so"
    background, count = colours.most_common(1)[0]
    assert len(sample) - count > len(sample) // 20, f"little is drawn besides {background!r}"


def decode_png(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and RGB bytes of an 8-bit RGB or RGBA PNG, without any imaging library."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, idat, header = 8, b"", None
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        position += 12 + length
    width, height, depth, colour_type, _, _, interlace = header
    assert depth == 8 and colour_type in (2, 6) and interlace == 0, header
    channels = 3 if colour_type == 2 else 4
    stride = width * channels
    raw = zlib.decompress(idat)
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        unfilter(kind, line, previous, channels)
        rows.append(line)
        previous = line
    rgb = bytearray()
    for line in rows:
        if channels == 3:
            rgb += line
        else:
            for x in range(0, stride, 4):
                rgb += line[x : x + 3]
    return width, height, bytes(rgb)


def unfilter(kind: int, line: bytearray, previous: bytearray, step: int) -> None:
    if kind == 0:
        return
    for x in range(len(line)):
        left = line[x - step] if x >= step else 0
        up = previous[x]
        if kind == 1:
            line[x] = (line[x] + left) & 0xFF
        elif kind == 2:
            line[x] = (line[x] + up) & 0xFF
        elif kind == 3:
            line[x] = (line[x] + ((left + up) >> 1)) & 0xFF
        else:
            corner = previous[x - step] if x >= step else 0
            estimate = left + up - corner
            pa, pb, pc = abs(estimate - left), abs(estimate - up), abs(estimate - corner)
            nearest = left if pa <= pb and pa <= pc else up if pb <= pc else corner
            line[x] = (line[x] + nearest) & 0xFF
