"""Optimistic concurrency under contention: many clerks change the same elder at once, each from
the version they read. Exactly one change per version wins; every other gets 409 naming the
current version; the history holds every winning change, in order, with no gap; and the other
services end at the same version. A stale write is refused, never lost and never applied."""

import threading
import time

import requests
from figures import report
from traffic import CLERK, OFFICER, VISITOR, national_id

PREFIX = "320584"
WRITERS = 12
WINS = 40


def test_a_stale_write_gets_409_and_no_change_is_lost(stack):
    intake = stack.api("intake")
    number, born = national_id(PREFIX, 1)
    created = requests.post(
        f"{intake}/elders",
        json={
            "national_id": number,
            "name": "赵玉珍",
            "sex": "male" if int(number[16]) % 2 else "female",
            "birth_date": born.isoformat(),
            "community": "c02",
            "address": "争用路0号",
        },
        headers=CLERK,
        timeout=10,
    )
    assert created.status_code == 201, created.text
    elder_id = created.json()["elder_id"]
    url = f"{intake}/elders/{elder_id}"
    lock = threading.Lock()
    wins: list[tuple[int, str]] = []  # (version reached, address written)
    refused: list[tuple[int, int]] = []  # (version sent, current version named)
    other: list[str] = []

    def clerk(writer: int) -> None:
        session = requests.Session()
        attempt = 0
        while True:
            with lock:
                if len(wins) >= WINS:
                    return
            attempt += 1
            seen = session.get(url, headers=CLERK, timeout=30).json()["version"]
            address = f"争用路{writer}-{attempt}号"
            answer = session.patch(
                url, json={"version": seen, "address": address}, headers=CLERK, timeout=30
            )
            with lock:
                if answer.status_code == 200:
                    wins.append((answer.json()["version"], address))
                    if answer.json()["version"] != seen + 1:
                        other.append(f"{seen} -> {answer.json()['version']}")
                elif answer.status_code == 409:
                    refused.append((seen, answer.json().get("current_version", -1)))
                else:
                    other.append(f"{answer.status_code} {answer.text[:200]}")

    started = time.monotonic()
    clerks = [threading.Thread(target=clerk, args=(n,)) for n in range(WRITERS)]
    for thread in clerks:
        thread.start()
    for thread in clerks:
        thread.join()
    took = time.monotonic() - started

    assert not other, other[:10]
    reached = sorted(version for version, _ in wins)
    assert reached == list(range(2, len(wins) + 2)), "a version was won twice, or skipped"
    assert all(current > sent for sent, current in refused), "a 409 named a version not newer"
    final = requests.get(url, headers=CLERK, timeout=10).json()
    assert final["version"] == len(wins) + 1
    history = requests.get(f"{url}/history", headers=CLERK, timeout=10).json()
    assert [line["version"] for line in history] == list(range(1, len(wins) + 2))
    written = {line["version"]: line["after"].get("address") for line in history}
    assert all(written[version] == address for version, address in wins), "a change was lost"
    assert final["address"] == max(wins)[1]

    deadline = time.monotonic() + 60
    copies = {}
    while time.monotonic() < deadline:
        copies = {
            service: requests.get(f"{stack.api(service)}/elders/{elder_id}", headers=h, timeout=10)
            for service, h in (("visits", VISITOR), ("allowances", OFFICER))
        }
        caught_up = all(c.ok and c.json()["version"] == final["version"] for c in copies.values())
        if caught_up and copies["visits"].json()["address"] == final["address"]:
            break
        time.sleep(0.5)
    assert all(c.json()["version"] == final["version"] for c in copies.values())
    assert copies["visits"].json()["address"] == final["address"]

    report(
        "reliability: concurrent changes to one elder",
        [
            ("clerks changing the same elder at once", WRITERS),
            ("changes accepted (200), one per version", len(wins)),
            ("stale changes refused (409)", len(refused)),
            ("history lines (registration + changes), no gap", len(history)),
            ("changes lost", 0),
            ("version in visits and allowances", final["version"]),
            ("duration", f"{took:.1f} s"),
        ],
    )
