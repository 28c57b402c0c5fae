"""Workload 2: open (compute and freeze) the high-age roll of a city's elders.

The city is the imported street plus generated elders up to the city's size, about a tenth
of them 80 or over. The generated ones are stored straight into allowances' projection, in
the shape intake's events leave there (workload 1 measures the event path); the figure is
the cycle's opening alone, as an officer asks for it over the API.
"""

import random
import time
import uuid
from datetime import date, timedelta
from typing import Any

from pymongo import MongoClient

from bench.http import Client
from bench.stack import Stack
from services.allowances.domain.elder import Elder
from shared.documents import to_document
from shared.projection import Projection
from shared.stamps import StoredStamp

# ages of a city's elders: about 10% aged 80 and over
BANDS = [(60, 70, 0.52), (70, 80, 0.38), (80, 90, 0.085), (90, 100, 0.014), (100, 106, 0.001)]
SEED_BATCH = 5000


def city_elders(count: int, today: date, seed: int = 200) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    elders = []
    for n in range(count):
        lower, upper = _band(rng.random())
        born = today - timedelta(days=rng.randint(lower * 365 + 1, upper * 365 - 1))
        elders.append(
            {
                "elder_id": f"city-{n:06d}",
                "name": "居民",
                "birth_date": born,
                "community": f"c{n % 29 + 1:02d}",
                "low_income": n % 41 == 0,
                "home_care": n % 97 == 0,
                "status": "active",
                "died_on": None,
                "moved_out_on": None,
            }
        )
    return elders


def _band(pick: float) -> tuple[int, int]:
    total = 0.0
    for lower, upper, share in BANDS:
        total += share
        if pick < total:
            return lower, upper
    return BANDS[-1][0], BANDS[-1][1]


def seed(stack: Stack, city: int) -> dict[str, Any]:
    """Bring allowances' projection up to `city` elders; returns how many were added, how
    long it took and how many are 80 or over."""
    client: MongoClient = MongoClient(stack.store("allowances"))
    try:
        collection = client["eldercare_allowances"]["elders"]
        fields = Projection(client["eldercare_allowances"], "elders", Elder).fields
        held = collection.count_documents({})
        generated = city_elders(max(0, city - held), date.today())
        started = time.perf_counter()
        for start in range(0, len(generated), SEED_BATCH):
            collection.insert_many(
                [
                    {
                        "_id": elder["elder_id"],
                        # a fact the generator leaves out takes the model's default
                        **{name: to_document(elder[name]) for name in fields if name in elder},
                        "version": 1,
                        "last_event_id": f"seed-{uuid.uuid4()}",
                    }
                    for elder in generated[start : start + SEED_BATCH]
                ]
            )
        # written behind the service's back: the rosters it keeps until an elder is written
        # must give way, as after its worker's writes
        StoredStamp(client["eldercare_allowances"], "elders").bump()
        seconds = time.perf_counter() - started
        limit = date.today().replace(year=date.today().year - 80)
        aged_80 = sum(1 for e in generated if e["birth_date"] <= limit)
        return {
            "held_before": held,
            "added": len(generated),
            "seed_seconds": round(seconds, 1),
            "generated_aged_80_plus": aged_80,
        }
    finally:
        client.close()


def run(stack: Stack, city: int, timeout: float) -> dict[str, Any]:
    seeded = seed(stack, city)
    officer = Client(stack.api("allowances"), stack.tokens["officer"], timeout=timeout)
    month = date.today().strftime("%Y-%m")
    started = time.perf_counter()
    status, cycle = officer.post_json("/cycles", {"programme": "high_age", "month": month})
    seconds = time.perf_counter() - started
    officer.close()
    if status != 201:
        return {"city_elders": city, **seeded, "error": f"{status}: {cycle}", "seconds": None}
    totals = cycle.get("totals") or {}
    return {
        "city_elders": city,
        **seeded,
        "cycle_id": cycle["cycle_id"],
        "seconds": round(seconds, 2),
        "lines": totals.get("lines"),
        "eligible": totals.get("eligible"),
        "payable_fen": totals.get("payable_fen"),
        "reconciles": totals.get("reconciles"),
        "elders_per_s": round(city / seconds, 1),
    }


def line_bytes(stack: Stack) -> int:
    import bson

    client: MongoClient = MongoClient(stack.store("allowances"))
    try:
        line = client["eldercare_allowances"]["roll_lines"].find_one({})
        return len(bson.encode(line)) if line else 600
    finally:
        client.close()
