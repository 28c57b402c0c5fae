"""Workload 5: the staff workbench's main pages, each opened by 8 signed-in users at once a fixed
number of times; beside each page, the API calls behind it, made alone for the same records by
as many clients with the same user's token. A page much slower than its slowest call spends its
time in the workbench (calls one after another, a call per row); one about as slow, in the
service."""

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote, urlencode

import requests

from bench.stats import summary_ms

USERS = 8
TARGET_P95_MS = 300
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class Call:
    service: str
    path: str  # a template of Records.values: {elder_id}, {community}, {caseload}, ...


@dataclass(frozen=True)
class Page:
    name: str
    role: str  # the seeded account that opens it
    path: str
    calls: tuple[Call, ...]
    # A page that reads the whole register is asked this many times per user at most, so that
    # a full-size run ends in minutes rather than most of an hour on the development store.
    most_requests: int | None = None


# The pages measured, and what each asks of the services (portal/elders.py, visits.py, ...).
PAGES = (
    Page(
        "register search by community",
        "clerk",
        "/elders?community={community}",
        (
            Call("intake", "/elders/listed?community={community}&page_size=20"),
            Call("intake", "/district"),
        ),
    ),
    Page(
        "an elder's page",
        "admin",
        "/elders/{elder_id}",
        (
            Call("intake", "/elders/{elder_id}"),
            Call("intake", "/elders/{elder_id}/history"),
            Call("visits", "/obligations?elder_id={elder_id}&page_size=100"),
            Call("visits", "/visits?elder_id={elder_id}&page_size=100"),
            Call("allowances", "/elders/{elder_id}/statement"),
        ),
    ),
    Page(
        "the visitor's worklist",
        "visitor",
        "/worklist",
        (
            Call(
                "visits",
                "/obligations?assignee=visitor&status=open&page_size=100&due_by={week_end}"
                "&with_elder=true",  # with their elders' names: one call
            ),
        ),
    ),
    Page(
        "a community's work, for its head",
        "head",
        "/communities/{head_community}",
        (
            Call("intake", "/district"),
            Call(
                "visits",
                "/obligations?community={head_community}&status=open&page_size=100"
                "&due_by={week_end}&with_elder=true",
            ),
            Call("visits", "/caseload/visitors?community={head_community}"),
            Call("visits", "/help-requests?community={head_community}&overdue=true"),
            Call("visits", "/caseload/cells?community={head_community}"),
            Call("visits", "/complaints?community={head_community}&overdue=true&page_size=100"),
            Call("visits", "/inspections?community={head_community}&open=true&page_size=100"),
        ),
    ),
    Page("a cycle list", "officer", "/cycles", (Call("allowances", "/cycles?page_size=50"),)),
    Page(
        "an elder's allowance statement",
        "officer",
        "/elders/{elder_id}/statement",
        (Call("allowances", "/elders/{elder_id}/statement"),),
    ),
    Page(
        "the 90+ roster of the month",
        "officer",
        "/rosters/90-plus/{month}",
        (
            Call("allowances", "/rosters/90-plus/{month}?page=1&page_size=50"),
            Call("intake", "/district"),
        ),
    ),
    Page(
        "district statistics",
        "clerk",
        "/statistics",
        (Call("intake", "/statistics"),),
    ),
)


@dataclass(frozen=True)
class Records:
    """What the pages are opened for: the i-th request's elder and community."""

    elder_ids: list[str]
    communities: list[str]
    cycle_id: str
    caseload: list[str]  # the elders of the visitor's open obligations
    head_community: str  # the seeded head's

    def values(self, i: int) -> dict[str, str]:
        return {
            "elder_id": self.elder_ids[(i * 7919) % len(self.elder_ids)],
            "community": self.communities[i % len(self.communities)],
            "cycle_id": self.cycle_id,
            "head_community": self.head_community,
            "month": datetime.now(UTC).strftime("%Y-%m"),
            "caseload": urlencode([("elder_id", e) for e in self.caseload]),
            # quoted as the workbench's own call quotes it: a bare "+" in a query is a space
            "week_end": quote((datetime.now(UTC) + timedelta(days=7)).isoformat()),
        }


def signed_in(portal: str, username: str, password: str) -> requests.Session:
    """A browser's session: the sign-in form sent with its CSRF token."""
    user = requests.Session()
    form = user.get(f"{portal}/sign-in", timeout=30)
    token = CSRF.search(form.text)
    if not token:
        raise RuntimeError("the sign-in page has no CSRF token")
    answer = user.post(
        f"{portal}/sign-in",
        data={"csrf_token": token.group(1), "username": username, "password": password},
        timeout=30,
    )
    if 'id="sign-out"' not in answer.text:
        raise RuntimeError(f"{username} could not sign in: {answer.status_code}")
    return user


def api_client(intake: str, username: str, password: str) -> requests.Session:
    """A client of the APIs with the token the workbench would hold for this user."""
    answer = requests.post(
        f"{intake}/auth/token", json={"username": username, "password": password}, timeout=30
    )
    answer.raise_for_status()
    client = requests.Session()
    client.headers["Authorization"] = f"Bearer {answer.json()['access_token']}"
    return client


def timed(
    clients: list[requests.Session], url: str, records: Records, requests_each: int
) -> dict[str, Any]:
    """Each client asks for `url` (a template) `requests_each` times, all at once; the
    latencies, and how many answers were not 200."""
    failures: list[str] = []

    def one_user(n: int) -> list[float]:
        seconds = []
        for k in range(requests_each):
            target = url.format(**records.values(n * requests_each + k))
            answer = clients[n].get(target, timeout=60)
            seconds.append(answer.elapsed.total_seconds())
            if answer.status_code != 200:
                failures.append(f"{target}: {answer.status_code}")
        return seconds

    with ThreadPoolExecutor(len(clients)) as pool:
        latencies = [s for per_user in pool.map(one_user, range(len(clients))) for s in per_user]
    return {**summary_ms(latencies), "failures": len(failures), "first_failures": failures[:3]}


def measure_page(
    page: Page, portal: str, apis: dict[str, str], password: str, records: Records, each: int
) -> dict[str, Any]:
    """The page under USERS concurrent users, and beside it each of its API calls alone."""
    each = min(each, page.most_requests or each)
    users = [signed_in(portal, page.role, password) for _ in range(USERS)]
    first = users[0].get(portal + page.path.format(**records.values(0)), timeout=60)
    if first.status_code == 404:
        return {"page": page.name, "path": page.path, "absent": True}
    calls = []
    for call in page.calls:
        clients = [api_client(apis["intake"], page.role, password) for _ in range(USERS)]
        measured = timed(clients, apis[call.service] + call.path, records, each)
        calls.append({"call": f"{call.service} GET {call.path}", **measured})
    measured = timed(users, portal + page.path, records, each)
    return {"page": page.name, "path": page.path, "role": page.role, **measured, "calls": calls}


def table(results: list[dict[str, Any]]) -> str:
    """Each page's p50/p95/max, its calls' beneath it, and whether p95 is under the target."""
    lines = [f"{'':<4}{'page / API call':<78}{'p50':>8}{'p95':>8}{'max':>8}  p95 < 300 ms"]
    for result in results:
        if result.get("absent"):
            lines.append(f"{result['page']} ({result['path']}): not in the workbench")
            continue
        met = "yes" if result["p95_ms"] < TARGET_P95_MS else "NO"
        lines.append(_row(f"{result['page']} ({result['path']})", result, met))
        lines += [_row(f"  {call['call']}", call, "") for call in result["calls"]]
    return "\n".join(lines)


def _row(name: str, figures: dict[str, Any], met: str) -> str:
    shown = name if len(name) <= 80 else name[:77] + "..."
    p50, p95, top = (figures[k] for k in ("p50_ms", "p95_ms", "max_ms"))
    return f"{shown:<82}{p50:>8.1f}{p95:>8.1f}{top:>8.1f}  {met}"
