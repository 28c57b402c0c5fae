"""The pure parts of the workbench's page-speed workload and of the screenshots: which
records a request asks for, how the figures are laid out, and the pictures' names."""

from urllib.parse import parse_qsl

from bench.stats import percentile
from bench.workbench_pages import CSRF, PAGES, TARGET_P95_MS, Records, table
from devstack.screenshots import DESKTOP, PHONE, Shot, file_name, index

RECORDS = Records(["e-1", "e-2", "e-3"], ["c01", "c02"], "cycle-1", ["e-2", "e-3"], "c01")


def test_each_request_asks_for_an_elder_and_a_community_in_turn():
    asked = [RECORDS.values(i) for i in range(4)]
    assert [a["community"] for a in asked] == ["c01", "c02", "c01", "c02"]
    assert {a["elder_id"] for a in asked} <= set(RECORDS.elder_ids)
    assert parse_qsl(asked[0]["caseload"]) == [("elder_id", "e-2"), ("elder_id", "e-3")]


def test_every_page_and_call_path_is_filled_from_the_records():
    for page in PAGES:
        assert "{" not in page.path.format(**RECORDS.values(0)), page.name
        assert page.calls, f"{page.name} names the API calls behind it"
        for call in page.calls:
            assert call.service in ("intake", "visits", "allowances")
            assert "{" not in call.path.format(**RECORDS.values(0)), call.path


def test_the_table_says_whether_each_page_meets_the_target_and_which_are_absent():
    figures = {"p50_ms": 40.0, "p95_ms": 80.0, "max_ms": 90.0}
    slow = {"p50_ms": 200.0, "p95_ms": TARGET_P95_MS + 1.0, "max_ms": 400.0}
    shown = table(
        [
            {"page": "fast", "path": "/a", **figures, "calls": [{"call": "x GET /a", **figures}]},
            {"page": "slow", "path": "/b", **slow, "calls": []},
            {"page": "statistics", "path": "/s", "absent": True},
        ]
    ).splitlines()
    assert shown[1].startswith("fast (/a)") and shown[1].endswith("yes")
    assert shown[2].strip().startswith("x GET /a") and "80.0" in shown[2]
    assert shown[3].startswith("slow (/b)") and shown[3].endswith("NO")
    assert shown[4] == "statistics (/s): not in the workbench"


def test_the_csrf_token_is_read_from_the_sign_in_form():
    form = '<input type="hidden" name="csrf_token" value="Ijk3.abc-_">'
    assert CSRF.search(form).group(1) == "Ijk3.abc-_"


def test_percentiles_are_nearest_rank():
    values = [float(n) for n in range(1, 101)]
    assert (percentile(values, 50), percentile(values, 95), percentile(values, 100)) == (
        50.0,
        95.0,
        100.0,
    )
    assert percentile([7.0], 95) == 7.0


def test_pictures_are_named_after_their_page_and_listed_by_role():
    assert [file_name(p) for p in ("/elders/new", "/worklist", "/", "/elders?community=c01")] == [
        "elders-new",
        "worklist",
        "home",
        "elders",
    ]
    listed = index(
        [
            Shot("visitor-worklist.png", "visitor", "我的走访任务", "/worklist", DESKTOP),
            Shot("visitor-worklist-phone.png", "visitor", "我的走访任务", "/worklist", PHONE),
        ]
    )
    assert "| visitor | 我的走访任务 (`/worklist`) | desktop | [visitor-worklist.png]" in listed
    assert "| phone | [visitor-worklist-phone.png](visitor-worklist-phone.png) |" in listed
