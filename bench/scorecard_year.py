"""Workload 10: the yearly evaluation of a district of 29 communities. Last year's records are
written into visits' store through visits' own record stores, in batches, as its API would
leave them (building a year through the API one visit at a time would take the bench hours,
and it is the reading that is measured): in each community 110 key targets visited monthly
and 30 home-care households, 48 must-visits, 12 urgent help requests and 150 ratings, some
late or missed; and the district's 24 monthly cycles.

Then the district's year counted again (`fresh=true`, what visits' worker does every quarter
of an hour), one call at a time; the district's scorecards (`GET /scorecards/district/<year>`)
read by 8 users at once, as the comparison page reads them, from that count;
one community's card, read as its records are now; the records behind one measure; and the
workbench's comparison page (年度考核) opened by 8 signed-in administrators at once."""

import random
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import MongoClient

from bench.http import Client
from bench.raw import concurrent_rate
from bench.stack import Stack
from bench.stats import summary_ms
from bench.workbench_pages import signed_in
from services.intake.entrypoints.demo_district import communities
from services.visits.bootstrap import FEEDBACK, FILINGS, HELP_REQUESTS, OBLIGATIONS
from services.visits.domain.feedback import Feedback
from services.visits.domain.filings import Filing
from services.visits.domain.help_requests import HelpRequest
from services.visits.domain.obligations import Obligation
from shared.clock import SystemClock

KEY_TARGETS, HOME_CARE, MUST_VISITS, URGENT, RATINGS = 110, 30, 48, 12, 150
USERS = 8
FRESH_READS = 3
TARGET_P95_MS = 300
HOUR = timedelta(hours=1)


def run(
    stack: Stack, community_count: int, seconds: float, portal: str, password: str
) -> dict[str, Any]:
    year = datetime.now(UTC).year - 1
    codes = [c["code"] for c in communities()][:community_count]
    started = time.perf_counter()
    written = _write_year(stack, codes, year)
    write_seconds = time.perf_counter() - started
    path = f"/scorecards/district/{year}"
    users = [Client(stack.api("visits"), stack.tokens["admin"]) for _ in range(USERS)]
    try:
        fresh = []
        for _n in range(FRESH_READS):
            began = time.perf_counter()
            found = users[0].get_json(f"{path}?fresh=true")
            fresh.append(time.perf_counter() - began)
        kept = concurrent_rate(lambda i: users[i % USERS].get_json(path), USERS, seconds)
        card = f"/scorecards/{codes[0]}/{year}"
        one = concurrent_rate(lambda i: users[i % USERS].get_json(card), USERS, seconds)
        behind = f"{card}/must_visits_in_time"
        lines = concurrent_rate(lambda i: users[i % USERS].get_json(behind), USERS, seconds)
        page = _page(f"{portal}/scorecards?year={year}", password, seconds)
    finally:
        for user in users:
            user.close()
    return {
        "communities": len(codes),
        "year": year,
        **written,
        "write_seconds": round(write_seconds, 1),
        "cards": len(found["communities"]),
        "district": kept,
        "district_fresh": summary_ms(fresh),
        "community_card": one,
        "measure_lines": lines,
        "page": page,
        "target_p95_ms": TARGET_P95_MS,
    }


def _page(url: str, password: str, seconds: float) -> dict[str, Any]:
    """The comparison page of the workbench, as the administrator opens it, 8 at once."""
    users = [signed_in(url.split("/scorecards")[0], "admin", password) for _ in range(USERS)]

    def opened(i: int) -> None:
        answer = users[i % USERS].get(url, timeout=60)
        if answer.status_code != 200 or 'id="scorecards-chart"' not in answer.text:
            raise RuntimeError(f"the page answered {answer.status_code}")

    try:
        return concurrent_rate(opened, USERS, seconds)
    finally:
        for user in users:
            user.close()


def _write_year(stack: Stack, codes: list[str], year: int) -> dict[str, int]:
    mongo: MongoClient[dict[str, Any]] = MongoClient(stack.store("visits"), tz_aware=True)
    db, clock = mongo["eldercare_visits"], SystemClock()
    obligations, help_requests = OBLIGATIONS.records(db, clock), HELP_REQUESTS.records(db, clock)
    ratings, filings = FEEDBACK.records(db, clock), FILINGS.records(db, clock)
    counts = {"obligations": 0, "help_requests": 0, "ratings": 0}
    try:
        for code in codes:
            rng = random.Random(code)
            work = _work(code, year, rng)
            obligations.add_many([(o, (), None) for o in work])
            calls = _calls(code, year, rng)
            help_requests.add_many([(r, (), None) for r in calls])
            given = _ratings(code, year, rng)
            ratings.add_many([(f, (), None) for f in given])
            counts["obligations"] += len(work)
            counts["help_requests"] += len(calls)
            counts["ratings"] += len(given)
        months = [f"{year}-{m:02d}" for m in range(1, 13)]
        cycles = [
            Filing(f"{p}:{m}", p, m, m.endswith("-07"), "bench")
            for p in ("high_age", "home_care_voucher")
            for m in months
        ]
        filings.add_many([(f, (), None) for f in cycles])
    finally:
        mongo.close()
    return counts


def _day(year: int, rng: random.Random) -> datetime:
    return datetime(year, 1, 1, tzinfo=UTC) + timedelta(hours=rng.randrange(364 * 24))


def _work(code: str, year: int, rng: random.Random) -> list[Obligation]:
    """Routine visits month by month (95 in 100 made), and must-visits (85 in time, 10 late)."""
    found = []
    for n in range(KEY_TARGETS + HOME_CARE):
        elder = f"bench-{code}-{n}"
        for month in range(1, 13):
            due = datetime(year, month, 25, 16, tzinfo=UTC)
            made = rng.random() < 0.95
            found.append(
                Obligation(
                    f"routine:{elder}:{year}-{month:02d}",
                    elder,
                    code,
                    "routine",
                    "key_target" if n < KEY_TARGETS else "home_care",
                    due - 24 * 24 * HOUR,
                    due,
                    due - 24 * 24 * HOUR,
                    assignee=f"worker-{code}",
                    status="met" if made else "open",
                    met_at=due - rng.randrange(1, 400) * HOUR if made else None,
                )
            )
    for n in range(MUST_VISITS):
        opened = _day(year, rng)
        due, luck = opened + 72 * HOUR, rng.random()
        met = None if luck > 0.95 else due + 20 * HOUR if luck > 0.85 else due - 30 * HOUR
        found.append(
            Obligation(
                f"incident:bench-{code}-{n}",
                f"bench-{code}-{n % KEY_TARGETS}",
                code,
                "mandatory",
                "incident",
                opened,
                due,
                opened,
                assignee=f"worker-{code}",
                trigger="hospitalised",
                status="open" if met is None else "met",
                met_at=met,
            )
        )
    return found


def _calls(code: str, year: int, rng: random.Random) -> list[HelpRequest]:
    found = []
    for n in range(URGENT):
        at = _day(year, rng)
        answered = at + rng.choice((1, 1, 1, 3)) * HOUR
        found.append(
            HelpRequest(
                f"bench-{code}-h{n}",
                f"bench-{code}-{n}",
                code,
                "hotline",
                "urgent",
                "求助",
                "热线",
                at,
                at + 2 * HOUR,
                status="resolved",
                responder=f"worker-{code}",
                responded_at=answered,
            )
        )
    return found


def _ratings(code: str, year: int, rng: random.Random) -> list[Feedback]:
    return [
        Feedback(
            f"bench-{code}-f{n}",
            f"bench-{code}-{n % KEY_TARGETS}",
            code,
            "visit",
            None,
            None,
            f"worker-{code}",
            rng.choice((5, 5, 4, 4, 3, 2)),
            "",
            "elder",
            f"worker-{code}",
            _day(year, rng),
        )
        for n in range(RATINGS)
    ]
