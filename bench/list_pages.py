"""Workload 6: one community's elders, 20 to a page with the total, as the staff's register
search reads them (`GET /elders/listed`: each elder as a list shows them): each of 32 clients
walks a community's list by cursor (`after` the page's `next`), five pages deep, then starts
another community. Beside it, the same pages with plain pymongo from as many threads: the
keyset query on the `_id` index and a count of the community."""

from typing import Any
from urllib.parse import quote

from pymongo import MongoClient

from bench.http import Client
from bench.raw import concurrent_rate
from bench.stack import Stack
from services.intake.entrypoints.demo_district import communities

PAGE_SIZE = 20
DEPTH = 5  # pages walked before the next community
TARGET_P95_MS = 200


def run(stack: Stack, clients: int, seconds: float) -> dict[str, Any]:
    codes = [c["code"] for c in communities()]
    per_thread = [Client(stack.api("intake"), stack.tokens["clerk"]) for _ in range(clients)]
    cursors: dict[int, str | None] = {}
    failures: list[str] = []

    def list_page(i: int) -> None:
        thread, step = i % clients, i // clients
        community = codes[(thread + step // DEPTH) % len(codes)]
        after = cursors.get(thread) if step % DEPTH else None
        path = f"/elders/listed?community={community}&page_size={PAGE_SIZE}"
        if after:
            path += f"&after={quote(after)}"
        page = per_thread[thread].get_json(path)
        if "total" not in page:
            failures.append(f"intake {path}: no total")
        cursors[thread] = page["next"]

    try:
        pages = concurrent_rate(list_page, clients, seconds)
    finally:
        for client in per_thread:
            client.close()
    return {
        "clients": clients,
        "seconds": seconds,
        "page": pages,
        "failures": len(failures) + pages["errors"],
        "first_failures": failures[:5] + pages["first_errors"],
    }


def raw_pages(stack: Stack, clients: int, seconds: float) -> dict[str, Any]:
    """The same walk with plain pymongo: `find` after the last `_id` seen, sorted on `_id`,
    limited to the page, and `count_documents` of the community for the total."""
    mongo: MongoClient[dict[str, Any]] = MongoClient(stack.store("intake"), maxPoolSize=clients)
    elders = mongo["eldercare_intake"]["elders"]
    codes = [c["code"] for c in communities()]
    last: dict[int, str | None] = {}

    def list_page(i: int) -> None:
        thread, step = i % clients, i // clients
        community = codes[(thread + step // DEPTH) % len(codes)]
        after = last.get(thread) if step % DEPTH else None
        query: dict[str, Any] = {"community": community}
        if after:
            query["_id"] = {"$gt": after}
        found = list(elders.find(query).sort("_id", 1).limit(PAGE_SIZE))
        elders.count_documents({"community": community})
        last[thread] = found[-1]["_id"] if found else None

    try:
        return {"page": concurrent_rate(list_page, clients, seconds)}
    finally:
        mongo.close()
