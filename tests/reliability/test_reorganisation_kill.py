"""A reorganisation of a district's communities is one large batch: two communities of the
district (3,000 elders) merged into a new one, with intake's worker killed (SIGKILL) half-way
through and started again. It resumes by itself, and loses and doubles nothing: every elder
moves exactly once (one `elder.reorganised` event each), the figures counted back are exact,
the statistics as of before the merge still give the old communities, and visits' open work
follows the elders to the worker named."""

import json
import time
from collections import defaultdict
from datetime import UTC, datetime

import requests
from figures import report
from kafka import KafkaProducer
from traffic import CLERK, E2E, VISITOR, national_id

from devstack.demo_records import hospital_admission
from shared.events import Topics

PREFIX = "330782"
ELDERS = {"r01": 1800, "r02": 1200}
ADMIN = E2E["dev-admin"]
TIMEOUT = 30


def add_communities(intake: str) -> None:
    district = requests.get(f"{intake}/district", headers=ADMIN, timeout=TIMEOUT).json()
    communities = [
        *district["communities"],
        {"code": "r01", "name": "甲坊社区"},
        {"code": "r02", "name": "乙坊社区"},
    ]
    answer = requests.put(
        f"{intake}/district/communities",
        json={"communities": communities},
        headers=ADMIN,
        timeout=TIMEOUT,
    )
    assert answer.status_code == 200, answer.text


def import_survey(intake: str) -> list[str]:
    lines, numbers, n = ["身份证号,姓名,性别,出生日期,社区,地址"], [], 0
    for community, count in ELDERS.items():
        for _ in range(count):
            n += 1
            number, born = national_id(PREFIX, n)
            sex = "男" if int(number[16]) % 2 else "女"
            lines.append(f"{number},钱{n},{sex},{born},{community},坊前路{n}号")
            numbers.append(number)
    answer = requests.post(
        f"{intake}/imports",
        data="\n".join(lines).encode(),
        headers={**CLERK, "Content-Type": "text/csv"},
        timeout=600,
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["imported"] == sum(ELDERS.values()), answer.json()
    return numbers


def in_community(intake: str, community: str) -> int:
    answer = requests.get(
        f"{intake}/elders",
        params={"community": community, "page_size": 1},
        headers=CLERK,
        timeout=TIMEOUT,
    )
    return int(answer.json()["total"])


def admit(stack, number: str) -> None:
    """A hospital's admission, published on the inbound topic as an outside system does."""
    envelope = hospital_admission(number, datetime.now(UTC))
    producer = KafkaProducer(**stack.kafka("outside"), acks="all")
    raw = json.dumps(envelope, ensure_ascii=False).encode()
    producer.send(Topics.INBOUND, key=envelope["subject"].encode(), value=raw).get(30)
    producer.close()


def open_work(visits: str, community: str) -> list[dict]:
    answer = requests.get(
        f"{visits}/obligations",
        params={"community": community, "status": "open", "page_size": 100},
        headers=VISITOR,
        timeout=TIMEOUT,
    )
    return answer.json()["items"]


def wait_for(what: str, check, timeout: float = 300.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_merge_killed_half_way_resumes_and_moves_every_elder_exactly_once(stack):
    intake, visits = stack.api("intake"), stack.api("visits")
    add_communities(intake)
    numbers = import_survey(intake)
    wait_for("the register's figures", lambda: in_community(intake, "r02") == ELDERS["r02"])
    for number in numbers[:3]:
        admit(stack, number)
    wait_for("visits' work in r01", lambda: len(open_work(visits, "r01")) == 3)
    before = datetime.now(UTC)

    plan = {
        "kind": "merge",
        "sources": ["r01", "r02"],
        "target": "r09",
        "name": "甲乙坊社区",
        "worker": "visitor",
    }
    planned = requests.post(f"{intake}/reorganisations", json=plan, headers=ADMIN, timeout=120)
    assert planned.status_code == 201, planned.text
    preview = planned.json()["preview"]
    assert preview["elders"] == [{"community": c, "elders": n} for c, n in ELDERS.items()]
    rid = planned.json()["reorganisation_id"]
    applied = requests.post(
        f"{intake}/reorganisations/{rid}/application",
        json={"version": planned.json()["version"]},
        headers=ADMIN,
        timeout=TIMEOUT,
    )
    assert applied.status_code == 202, applied.text

    started, total = time.monotonic(), sum(ELDERS.values())
    moved_when_killed = wait_for(
        "a tenth of the elders to move",
        lambda: (moved := in_community(intake, "r09")) >= total // 10 and moved,
        timeout=300,
    )
    stack.kill("intake-worker")
    stack.restart("intake-worker")

    def finished() -> dict | None:
        answer = requests.get(f"{intake}/reorganisations/{rid}", headers=ADMIN, timeout=TIMEOUT)
        return answer.json() if answer.json()["status"] == "applied" else None

    done = wait_for("the reorganisation to finish", finished, timeout=600)
    took = time.monotonic() - started
    assert moved_when_killed < total, "the worker was killed after it had finished"
    assert done["moved"]["elders"] == preview["elders"]
    assert done["moved"]["elders_total"] == total and done["moved"]["households"] == total

    # Each elder moved exactly once: one event id each (a record republished after the kill
    # carries the same id, and its consumers apply it once).
    events: dict[str, set[str]] = defaultdict(set)
    published = 0
    for record in stack.read_topic(Topics.ELDERS):
        try:  # other tests of the suite put garbage on the topic too
            envelope = json.loads(record.value)
        except ValueError:
            continue
        if not isinstance(envelope, dict) or envelope.get("type") != "elder.reorganised":
            continue
        if envelope["data"]["reorganisation_id"] == rid:
            events[envelope["subject"]].add(envelope["id"])
            published += 1
    assert len(events) == total and all(len(ids) == 1 for ids in events.values())

    wait_for("the register's figures", lambda: in_community(intake, "r09") == total)
    figures = requests.get(f"{intake}/statistics", headers=CLERK, timeout=120).json()
    by_community = {c["community"]: c["elders"] for c in figures["communities"]}
    assert by_community["r09"] == total and "r01" not in by_community
    then = requests.get(
        f"{intake}/statistics",
        params={"as_of": before.isoformat()},
        headers=CLERK,
        timeout=300,
    ).json()
    as_of = {c["community"]: c["elders"] for c in then["communities"]}
    assert {c: as_of.get(c) for c in (*ELDERS, "r09")} == {**ELDERS, "r09": None}

    work = wait_for("visits' work to follow", lambda: len(open_work(visits, "r09")) == 3)
    assert {o["assignee"] for o in open_work(visits, "r09")} == {"visitor"}
    assert open_work(visits, "r01") == [] and work
    report(
        "Reorganisation: 2 communities merged, worker killed half-way",
        [
            ("elders moved (exactly once each)", total),
            ("elders counted in the new community when the worker was killed", moved_when_killed),
            ("elder.reorganised records published (same id if again)", published),
            ("seconds from applying to applied, with the kill", round(took, 1)),
            ("open visits that followed their elders to the worker named", 3),
        ],
    )
