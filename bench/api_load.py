"""Workload 4: the APIs under gunicorn with 32 concurrent clients: lookups by id and list
pages; beside each, the same reads made with plain pymongo from as many threads."""

import random
from typing import Any

from pymongo import MongoClient

from bench.http import Client
from bench.raw import concurrent_rate
from bench.stack import Stack
from services.intake.entrypoints.demo_district import communities

# who calls each API: district-wide staff (the seeded visitor sees c01 only)
CALLERS = {"intake": "clerk", "visits": "admin", "allowances": "officer"}
PAGE_SIZE = 20


def _clients(stack: Stack, count: int) -> list[dict[str, Client]]:
    return [
        {
            service: Client(stack.api(service), stack.tokens[user])
            for service, user in CALLERS.items()
        }
        for _ in range(count)
    ]


def run(stack: Stack, elder_ids: list[str], clients: int, seconds: float) -> dict[str, Any]:
    codes = [c["code"] for c in communities()]
    per_thread = _clients(stack, clients)  # operation i runs in thread i % clients
    failures: list[str] = []

    def lookup(i: int) -> None:
        service = ("intake", "visits", "allowances")[(i // clients) % 3]
        elder_id = elder_ids[(i * 7919) % len(elder_ids)]
        status, _ = per_thread[i % clients][service].get(f"/elders/{elder_id}")
        if status != 200:
            failures.append(f"{service} /elders/{elder_id}: {status}")

    def list_page(i: int) -> None:
        community = codes[i % len(codes)]
        page = 1 + (i // len(codes)) % 5
        status, _ = per_thread[i % clients]["intake"].get(
            f"/elders?community={community}&page={page}&page_size={PAGE_SIZE}"
        )
        if status != 200:
            failures.append(f"intake /elders?community={community}: {status}")

    lookups = concurrent_rate(lookup, clients, seconds)
    pages = concurrent_rate(list_page, clients, seconds)
    for group in per_thread:
        for client in group.values():
            client.close()
    return {
        "clients": clients,
        "seconds": seconds,
        "lookup_by_id": lookups,
        "list_page": pages,
        "failures": len(failures) + lookups["errors"] + pages["errors"],
        "first_failures": failures[:5],
    }


def raw_reads(stack: Stack, elder_ids: list[str], clients: int, seconds: float) -> dict[str, Any]:
    """The same reads with plain pymongo: find_one by _id, and a page with its count."""
    mongo: dict[str, MongoClient[dict[str, Any]]] = {
        s: MongoClient(stack.store(s), maxPoolSize=clients) for s in CALLERS
    }
    elders = {s: mongo[s][f"eldercare_{s}"]["elders"] for s in CALLERS}
    codes = [c["code"] for c in communities()]
    rng = random.Random(3)
    shuffled = elder_ids[:]
    rng.shuffle(shuffled)

    def lookup(i: int) -> None:
        service = ("intake", "visits", "allowances")[(i // clients) % 3]
        elders[service].find_one({"_id": shuffled[(i * 7919) % len(shuffled)]})

    def list_page(i: int) -> None:
        query = {"community": codes[i % len(codes)]}
        page = 1 + (i // len(codes)) % 5
        cursor = elders["intake"].find(query).sort("_id", 1).skip((page - 1) * PAGE_SIZE)
        list(cursor.limit(PAGE_SIZE))
        elders["intake"].count_documents(query)

    try:
        return {
            "lookup_by_id": concurrent_rate(lookup, clients, seconds),
            "list_page": concurrent_rate(list_page, clients, seconds),
        }
    finally:
        for client in mongo.values():
            client.close()
