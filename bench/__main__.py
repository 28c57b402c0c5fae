"""`python -m bench`: start a stack, run each workload, print a table, write JSON."""

import argparse
import json
import os
import signal
import sys
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from types import FrameType
from typing import Any

from pymongo import MongoClient

from bench import (
    activities_year,
    api_load,
    district_import,
    event_latency,
    list_pages,
    machine,
    monthly_cycle,
    raw,
    reorganisation,
    report,
    scorecard_year,
    stores,
    workbench_pages,
    workbench_setup,
    worker_copies,
)
from bench.memory import MemorySampler, hwm_mib, idle_interpreter_mib
from bench.profiling import Profiles
from bench.stack import Stack, describe, start_stack
from devstack.ferretdb import STORE_BACKENDS, store_backend
from devstack.stack import SERVICES

RESULTS = Path(__file__).resolve().parent / "results"
Step = Callable[[str, Callable[[], Any]], Any]  # runs one named step, None if it failed
WORKLOADS = (
    "import",
    "latency",
    "api",
    "cycle",
    "workbench",
    "pages",
    "copies",
    "activities",
    "scorecards",
    "reorganise",
)  # the district import is the others' data; the reorganisation, which changes it, comes last
IMPORT_TARGET = 1000  # elders a second, end to end
LATENCY_TARGETS_MS = {"p95": 300, "p99": 600}  # admission -> obligation
FULL = {
    "district_elders": 18_788,
    "city_elders": 200_000,
    "rate": 50.0,
    "seconds": 60.0,
    "clients": 32,
    "api_seconds": 20.0,
    "raw_messages": 20_000,
    "raw_documents": 20_000,
    "raw_updates": 3_000,
    "raw_latency_seconds": 10.0,
    "page_requests": 40,
    "activity_communities": 29,
}
QUICK = {
    "district_elders": 1_000,
    "city_elders": 3_000,
    "rate": 20.0,
    "seconds": 4.0,
    "clients": 8,
    "api_seconds": 2.0,
    "raw_messages": 2_000,
    "raw_documents": 2_000,
    "raw_updates": 300,
    "raw_latency_seconds": 2.0,
    "page_requests": 4,
    "activity_communities": 3,
}


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument("--district-elders", type=int, help="elders of the imported street")
    parser.add_argument("--city-elders", type=int, help="elders of the city's monthly cycle")
    parser.add_argument("--rate", type=float, help="hospital admissions per second")
    parser.add_argument("--seconds", type=float, help="how long admissions are sent")
    parser.add_argument("--clients", type=int, help="concurrent API clients")
    parser.add_argument("--api-seconds", type=float, help="how long each API load runs")
    parser.add_argument(
        "--page-requests", type=int, help="requests of each workbench page by each of 8 users"
    )
    parser.add_argument("--output", type=Path, help="where to write the JSON")
    parser.add_argument("--keep", action="store_true", help="keep the run directory (logs)")
    parser.add_argument(
        "--only",
        help=f"comma-separated workloads to run, of: {', '.join(WORKLOADS)} (default: all)",
    )
    parser.add_argument(
        "--stores",
        help="comma-separated FerretDB backends to compare in one run, of: "
        f"{', '.join(STORE_BACKENDS)}; each passes the store conformance test, then every "
        "workload runs on a stack of its own (default: ELDERCARE_STORE_BACKEND, or sqlite)",
    )
    parser.add_argument(
        "--profile",
        metavar="WORKLOAD",
        help="py-spy flame graphs of the services during one workload (e.g. 'district "
        "import'), and each store's CPU by command where perf is installed",
    )
    args = parser.parse_args(argv)
    sizes = dict(QUICK if args.quick else FULL)
    for name in sizes:
        if getattr(args, name, None) is not None:
            sizes[name] = getattr(args, name)
    args.sizes = sizes
    args.workloads = set(args.only.split(",")) if args.only else set(WORKLOADS)
    unknown = args.workloads - set(WORKLOADS)
    if unknown:
        parser.error(f"unknown workloads: {', '.join(sorted(unknown))}")
    args.stores = args.stores.split(",") if args.stores else [store_backend()]
    default = "stores.json" if len(args.stores) > 1 else "latest.json"
    args.output = args.output or RESULTS / ("quick.json" if args.quick else default)
    unknown = set(args.stores) - set(STORE_BACKENDS)
    if unknown:
        parser.error(f"unknown stores: {', '.join(sorted(unknown))}")
    return args


def elder_ids_and_numbers(stack: Stack) -> tuple[list[str], list[str]]:
    client: MongoClient = MongoClient(stack.store("intake"))
    try:
        found = list(client["eldercare_intake"]["elders"].find({}, {"national_id": 1}))
        return [d["_id"] for d in found], [d["national_id"] for d in found]
    finally:
        client.close()


def _interrupted(signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")  # so that the stack is stopped on the way out


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGTERM, _interrupted)
    args = parse(argv)
    if len(args.stores) == 1:
        os.environ["ELDERCARE_STORE_BACKEND"] = args.stores[0]
        return run(args, args.output)
    return stores.compare(args.stores, lambda output: run(args, output), args.output)


def run(args: argparse.Namespace, output: Path) -> int:
    """Every chosen workload on a stack of its own, on the store ELDERCARE_STORE_BACKEND names."""
    sizes = args.sizes
    load_before = machine.load_average()
    print(f"bench: load average before {load_before}; starting the stack", flush=True)
    started = time.perf_counter()
    stack = start_stack()
    startup = round(time.perf_counter() - started, 1)
    sampler = MemorySampler(stack.processes)
    sampler.start()
    results: dict[str, Any] = {"startup_seconds": startup}
    figures: list[dict[str, Any]] = []
    errors: list[str] = []
    try:
        profiles = Profiles(output.parent / "profiles") if args.profile else None
        run_workloads(
            stack, sizes, args.workloads, sampler, results, figures, errors, profiles, args.profile
        )
        memory = {name: round(hwm_mib(pid), 1) for name, pid in stack.processes().items()}
    finally:
        sampler.stop()
        described = describe(stack)
        stack.stop(keep=args.keep)
    baselines = {
        s: idle_interpreter_mib([f"services.{s}.entrypoints.app", f"services.{s}.bootstrap"])
        for s in SERVICES
    }
    for name, peak in sorted(memory.items()):
        service, _, role = name.partition("-")
        if service in SERVICES:
            figures.append(
                report.figure(
                    "memory",
                    f"peak RSS {name}" + (" (gunicorn master + worker)" if role == "api" else ""),
                    peak,
                    "MiB",
                    baselines[service],
                    "idle interpreter with the service's code imported",
                )
            )
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": args.quick,
        "sizes": sizes,
        "machine": {
            **machine.describe(described),
            "load_average_before": load_before,
            "load_average_after": machine.load_average(),
        },
        "figures": figures,
        "details": {**results, "memory_peaks_by_workload_mib": sampler.peaks},
        "errors": errors,
        "elapsed_seconds": round(time.perf_counter() - started, 1),
    }
    report.write(output, result)
    print()
    print(report.table(figures))
    print(f"\nmachine: {json.dumps(result['machine'], ensure_ascii=False)}")
    print(f"wrote {output} in {result['elapsed_seconds']} s")
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    return 1 if errors else 0


def run_workloads(
    stack: Stack,
    sizes: dict[str, Any],
    workloads: set[str],
    sampler: MemorySampler,
    results: dict[str, Any],
    figures: list[dict[str, Any]],
    errors: list[str],
    profiles: Profiles | None = None,
    profiled: str | None = None,
) -> None:
    def step(name: str, work: Any) -> Any:
        sampler.mark(name)
        print(f"bench: {name}", flush=True)
        began = time.perf_counter()
        profiling = profiles if name == profiled else None
        if profiling:
            profiling.start(stack.processes())
        try:
            return work()
        except Exception as error:  # noqa: BLE001 - one workload failing still reports the rest
            errors.append(f"{name}: {type(error).__name__}: {error}")
            traceback.print_exc()
            return None
        finally:
            if profiling:
                profiling.stop()
                print(f"bench: profiles in {profiling.directory}", flush=True)
            print(f"bench: {name} took {time.perf_counter() - began:.1f} s", flush=True)

    timeout = 120 + sizes["district_elders"] / 20  # far beyond any useful rate
    imported = step(
        "district import",
        lambda: district_import.run(stack, sizes["district_elders"], timeout=timeout),
    )
    measured = step("sizes", lambda: district_import.sizes(stack)) or {}
    message_bytes = measured.get("message_bytes", 1500)
    kafka = step(
        "raw kafka",
        lambda: raw.kafka_throughput(stack.kafka(), sizes["raw_messages"], message_bytes),
    )
    mongo = step(
        "raw mongo",
        lambda: raw.mongo_writes(
            stack.store("intake"),
            sizes["raw_documents"],
            measured.get("document_bytes", 2000),
            sizes["raw_updates"],
        ),
    )
    results.update(district_import=imported, sizes=measured, raw_kafka=kafka, raw_mongo=mongo)
    if imported and kafka and mongo:
        limits = {
            "kafka produce+consume": kafka["produce_and_consume_per_s"],
            "pymongo insert_many": mongo["insert_many_per_s"],
            # the relay clears a batch's published events in one update_many
            "pymongo update_many (500 a batch)": mongo["update_many_per_s"],
        }
        bound = min(limits, key=lambda k: limits[k])
        rate = imported["elders_per_s"]
        figures.append(
            report.figure(
                "1 district import",
                f"{imported['elders']} elders, end to end (their contacts and households too)",
                rate,
                "elders/s",
                limits[bound],
                f"slowest raw step: {bound}",
                f">= {IMPORT_TARGET:,}",
                rate >= IMPORT_TARGET and imported["complete"],
            )
        )
        held = max(imported["milestones_s"].get(s, 0.0) for s in district_import.CONSUMERS)
        if held:
            figures.append(
                report.figure(
                    "1 district import",
                    "— its elders alone held by visits and allowances (the import's figure "
                    "until its households were counted)",
                    round(imported["elders"] / held, 1),
                    "elders/s",
                    limits[bound],
                    f"slowest raw step: {bound}",
                )
            )
        figures += cpu_per_elder(imported)

    ids, _ = elder_ids_and_numbers(stack)
    if "latency" in workloads:
        event_path(stack, sizes, step, results, figures)
    if "api" in workloads:
        api_reads(stack, sizes, ids, step, results, figures)
    if "cycle" in workloads:
        city_cycle(stack, sizes, step, results, figures)
    if "workbench" in workloads:
        workbench(stack, sizes, ids, step, results, figures)
    if "pages" in workloads:
        community_pages(stack, sizes, step, results, figures)
    if "copies" in workloads:
        copies_of_a_worker(stack, step, results, figures, kafka)
    if "activities" in workloads:
        activities(stack, sizes, step, results, figures, mongo)
    if "scorecards" in workloads:
        scorecards(stack, sizes, step, results, figures)
    if "reorganise" in workloads:
        reorganised(stack, sizes, step, results, figures, mongo, kafka)
    sampler.mark("end")


def activities(
    stack: Stack, sizes: dict[str, Any], step: Step, results: dict, figures: list, mongo: Any
) -> None:
    """A year of learning, activities and teams recorded through visits' API, and its
    statistics read by 8 users (bench/activities_year.py)."""
    seconds = sizes["api_seconds"]
    year = step(
        "activities year",
        lambda: activities_year.run(stack, sizes["activity_communities"], seconds),
    )
    raw_reads = step("raw activity reads", lambda: activities_year.raw_reads(stack, seconds))
    results.update(activities_year=year, raw_activity_reads=raw_reads)
    if not year or not raw_reads:
        return
    figures.append(
        report.figure(
            "9 activities",
            f"a year of {year['communities']} communities recorded through the API "
            f"({year['requests']} requests, {year['teams']} teams, {year['person_times']} "
            "person-times)",
            year["requests_per_s"],
            "req/s",
            mongo["update_one_per_s"] if mongo else None,
            "pymongo update_one",
        )
    )
    p95 = year["statistics"]["p95_ms"]
    figures.append(
        report.figure(
            "9 activities",
            f"the year's statistics, {activities_year.USERS} users, p95",
            p95,
            "ms",
            raw_reads["p95_ms"],
            "plain pymongo reads every record they count, same threads",
            f"< {activities_year.TARGET_P95_MS}",
            p95 < activities_year.TARGET_P95_MS and year["exact"],
        )
    )


def scorecards(
    stack: Stack, sizes: dict[str, Any], step: Step, results: dict, figures: list
) -> None:
    """A year of a district's records, and its scorecards read (bench/scorecard_year.py)."""
    started = step("workbench for the scorecards", lambda: workbench_setup.portal_of(stack))
    if not started:
        return
    portal, passwords = started
    year = step(
        "scorecards year",
        lambda: scorecard_year.run(
            stack, sizes["activity_communities"], sizes["api_seconds"], portal, passwords["admin"]
        ),
    )
    results.update(scorecard_year=year)
    if not year:
        return
    records = (
        f"{year['obligations']} obligations, {year['help_requests']} urgent help requests, "
        f"{year['ratings']} ratings"
    )
    target = f"< {scorecard_year.TARGET_P95_MS}"
    for name, read, with_target in (
        ("the workbench's comparison page (年度考核)", year["page"], True),
        ("the district's scorecards, as last counted", year["district"], True),
        ("one community's card, as its records are now", year["community_card"], False),
        ("the records behind one measure of a card", year["measure_lines"], False),
    ):
        p95 = read["p95_ms"]
        figures.append(
            report.figure(
                "10 scorecards",
                f"{name}: {scorecard_year.USERS} users, p95 ({year['communities']} "
                f"communities, {records})",
                p95,
                "ms",
                year["district_fresh"]["p95_ms"],
                "the district's year counted again from the records, one call, p95 of "
                f"{scorecard_year.FRESH_READS}",
                target if with_target else None,
                (p95 < scorecard_year.TARGET_P95_MS and read["errors"] == 0)
                if with_target
                else None,
            )
        )


def reorganised(
    stack: Stack,
    sizes: dict[str, Any],
    step: Step,
    results: dict,
    figures: list,
    mongo: dict | None,
    kafka: dict | None,
) -> None:
    """The statistics as of a moment past, and a merge of the street's two largest
    communities (bench/reorganisation.py)."""
    timeout = 300 + sizes["district_elders"] / 5
    found = step("reorganisation", lambda: reorganisation.run(stack, timeout))
    results.update(reorganisation=found)
    if not found:
        return
    scan = "pymongo reads every elder document"
    for name, key in (
        ("today (the tallies)", "statistics_today_s"),
        ("as of a moment past (the histories)", "statistics_as_of_s"),
    ):
        figures.append(
            report.figure(
                "8 reorganisation",
                f"statistics of {found['elders']} elders, {name}",
                found[key],
                "s",
                found["raw_scan_s"],
                scan,
            )
        )
    update_one = mongo["update_one_per_s"] if mongo else None
    figures.append(
        report.figure(
            "8 reorganisation",
            f"merge of two communities, {found['moved']} of {found['elders_merged']} elders "
            "moved by intake",
            found["intake_records_per_s"],
            "elders/s",
            update_one,
            "pymongo update_one",
            None,
            found["complete"],
        )
    )
    read = found["moved"] / kafka["consume_per_s"] if kafka else None
    for service in ("visits", "allowances"):
        figures.append(
            report.figure(
                "8 reorganisation",
                f"merge: {service} has read every elder moved, from the application",
                found["milestones_s"].get(service),
                "s",
                round(read, 3) if read else None,
                "a plain kafka-python consumer reads as many events",
            )
        )


def cpu_per_elder(imported: dict[str, Any]) -> list[dict[str, Any]]:
    """The import's CPU time per elder, the whole machine's and that of each process that took
    a tenth of it or more, beside what the import's target leaves per elder on these cores:
    a figure past it means that no change to waiting or round trips alone meets the target."""
    cores = os.cpu_count() or 1
    budget_ms = cores * 1000 / IMPORT_TARGET
    what = f"the CPU time per elder that {IMPORT_TARGET:,} elders/s leaves on {cores} cores"
    elders = imported["elders"]
    found = [
        report.figure(
            "1 district import",
            "CPU time per elder, every process of the machine",
            imported["cpu_ms_per_elder"],
            "ms",
            budget_ms,
            what,
        )
    ]
    for name, seconds in imported["cpu_s"].items():
        if seconds >= imported["machine_cpu_s"] / 10:
            per_elder = round(seconds * 1000 / elders, 3)
            found.append(
                report.figure("1 district import", f"— {name}", per_elder, "ms", budget_ms, what)
            )
    return found


def copies_of_a_worker(
    stack: Stack, step: Step, results: dict, figures: list, kafka: dict | None
) -> None:
    """One copy of the allowances worker against two, consuming the district's elder events
    again (bench/worker_copies.py); last, since it stops and starts that worker."""
    found = step("worker copies", lambda: worker_copies.run(stack))
    results.update(worker_copies=found)
    if not found:
        return
    raw = kafka["consume_per_s"] if kafka else None
    for copies in (1, 2):
        figures.append(
            report.figure(
                "7 worker copies",
                f"allowances consumes the {found['events']} elder events again, "
                f"{copies} cop{'y' if copies == 1 else 'ies'}",
                found[f"copies_{copies}"]["per_s"],
                "events/s",
                raw,
                "plain kafka-python consumer, same broker",
            )
        )


def event_path(
    stack: Stack, sizes: dict[str, Any], step: Any, results: dict, figures: list
) -> None:
    _, numbers = elder_ids_and_numbers(stack)
    latency = step(
        "event path latency",
        lambda: event_latency.run(stack, numbers, sizes["rate"], sizes["seconds"]),
    )
    one_hop = step(
        "raw kafka latency",
        lambda: raw.kafka_latency(stack.kafka(), sizes["rate"], sizes["raw_latency_seconds"], 600),
    )
    results.update(event_latency=latency, raw_kafka_latency=one_hop)
    if latency and one_hop and latency.get("count"):
        for q in ("p50", "p95", "p99"):
            value = latency[f"{q}_ms"]
            limit = LATENCY_TARGETS_MS.get(q)
            target = f"< {limit}" if limit else None
            figures.append(
                report.figure(
                    "3 event path",
                    f"admission -> obligation on the API, {q}",
                    value,
                    "ms",
                    one_hop[f"{q}_ms"],
                    "one plain Kafka hop, same rate",
                    target,
                    (value < limit and latency["lost"] == 0) if limit else None,
                )
            )
        for name, split in latency["steps"].items():
            if isinstance(split, dict) and split.get("count"):
                figures.append(
                    report.figure(
                        "3 event path",
                        f"— {name.replace('_', ' ')}, p95",
                        split["p95_ms"],
                        "ms",
                        one_hop["p95_ms"],
                        "one plain Kafka hop, same rate, p95",
                    )
                )


def api_reads(
    stack: Stack, sizes: dict[str, Any], ids: list[str], step: Step, results: dict, figures: list
) -> None:
    api = step("api", lambda: api_load.run(stack, ids, sizes["clients"], sizes["api_seconds"]))
    api_raw = step(
        "raw reads", lambda: api_load.raw_reads(stack, ids, sizes["clients"], sizes["api_seconds"])
    )
    results.update(api=api, raw_reads=api_raw)
    if api and api_raw:
        for kind, label in (("lookup_by_id", "lookup by id"), ("list_page", "list page")):
            what = "plain pymongo, same reads and threads"
            figures.append(
                report.figure(
                    "4 API",
                    f"{label}, {api['clients']} clients, requests/s",
                    api[kind]["per_s"],
                    "req/s",
                    api_raw[kind]["per_s"],
                    what,
                )
            )
            figures.append(
                report.figure(
                    "4 API",
                    f"{label}, p99",
                    api[kind]["p99_ms"],
                    "ms",
                    api_raw[kind]["p99_ms"],
                    what,
                )
            )


def community_pages(
    stack: Stack, sizes: dict[str, Any], step: Step, results: dict, figures: list
) -> None:
    pages = step(
        "community pages", lambda: list_pages.run(stack, sizes["clients"], sizes["api_seconds"])
    )
    raw_pages = step(
        "raw community pages",
        lambda: list_pages.raw_pages(stack, sizes["clients"], sizes["api_seconds"]),
    )
    results.update(community_pages=pages, raw_community_pages=raw_pages)
    if not (pages and raw_pages):
        return
    what = "plain pymongo: keyset find on _id and count_documents, same threads"
    clients = pages["clients"]
    measured, raw_measured = pages["page"], raw_pages["page"]
    figures.append(
        report.figure(
            "6 community page",
            f"one community's elders, page of {list_pages.PAGE_SIZE} with total, "
            f"{clients} clients, requests/s",
            measured["per_s"],
            "req/s",
            raw_measured["per_s"],
            what,
        )
    )
    for q in ("p50", "p95", "p99"):
        target = q == "p95"
        value = measured.get(f"{q}_ms")
        figures.append(
            report.figure(
                "6 community page",
                f"one community's elders, page with total, {q}",
                value,
                "ms",
                raw_measured.get(f"{q}_ms"),
                what,
                f"< {list_pages.TARGET_P95_MS}" if target else None,
                (value is not None and value < list_pages.TARGET_P95_MS and pages["failures"] == 0)
                if target
                else None,
            )
        )


def city_cycle(
    stack: Stack, sizes: dict[str, Any], step: Any, results: dict, figures: list
) -> None:
    cycle = step(
        "monthly cycle", lambda: monthly_cycle.run(stack, sizes["city_elders"], timeout=1800)
    )
    line_bytes = monthly_cycle.line_bytes(stack) if cycle and cycle.get("seconds") else 600
    raw_lines = step(
        "raw roll insert",
        lambda: raw.mongo_writes(stack.store("allowances"), sizes["city_elders"], line_bytes, 1),
    )
    results.update(monthly_cycle=cycle, raw_roll_insert=raw_lines)
    if cycle and cycle.get("seconds") and raw_lines:
        raw_seconds = round(cycle["lines"] / raw_lines["insert_many_per_s"], 2)
        figures.append(
            report.figure(
                "2 monthly cycle",
                f"open and freeze the high-age roll of a city of {cycle['city_elders']} elders "
                f"({cycle['lines']} lines)",
                cycle["seconds"],
                "s",
                raw_seconds,
                "plain insert_many of as many roll-line documents",
                "< 10",
                cycle["seconds"] < 10 and bool(cycle.get("reconciles")),
            )
        )


def workbench(
    stack: Stack, sizes: dict[str, Any], ids: list[str], step: Step, results: dict, figures: list
) -> None:
    ready = step("workbench start", lambda: workbench_setup.prepare(stack, ids))
    if not ready:
        return
    measured = []
    for page in workbench_pages.PAGES:
        result = step(
            f"workbench page: {page.name}",
            partial(
                workbench_pages.measure_page,
                page,
                ready["portal"],
                {s: stack.api(s) for s in SERVICES},
                ready["passwords"][page.role],
                ready["records"],
                sizes["page_requests"],
            ),
        )
        if result:
            measured.append(result)
            print(workbench_pages.table([result]), flush=True)  # a long run shows each as it ends
    results["workbench_pages"] = {"caseload": ready["caseload"], "pages": measured}
    print(workbench_pages.table(measured), flush=True)
    for result in measured:
        if result.get("absent") or not result.get("count"):
            continue
        slowest = max(result["calls"], key=lambda c: c["p95_ms"])
        p95 = result["p95_ms"]
        figures.append(
            report.figure(
                "5 workbench",
                f"{result['page']}, {workbench_pages.USERS} users, p95",
                p95,
                "ms",
                slowest["p95_ms"],
                f"its slowest API call alone: {slowest['call']}",
                f"< {workbench_pages.TARGET_P95_MS}",
                p95 < workbench_pages.TARGET_P95_MS and result["failures"] == 0,
            )
        )


if __name__ == "__main__":
    sys.exit(main())
