"""The community pages' parts that need no running service: which communities a user works in,
who a visit may be given to, how help requests are grouped and read, the menus of the
community's staff, and a form saying what it needs before a service is asked."""

from werkzeug.datastructures import MultiDict

from portal.apis import Read
from portal.communities import communities_of
from portal.community import workers
from portal.forms import FormState
from portal.help_requests import split, unresolved_reads
from portal.menus import menu_for

STAFFING = [
    {"community": "c02", "worker": "wang", "head": "li"},
    {"community": "c01", "worker": "zhang", "head": "li"},
    {"community": "c03", "worker": None, "head": None},
]


def test_an_account_bound_to_a_community_works_in_that_one_only():
    assert communities_of("li", "c05", STAFFING) == ("c05",)


def test_an_unbound_account_works_in_the_communities_it_is_named_worker_or_head_of():
    assert communities_of("li", None, STAFFING) == ("c01", "c02")
    assert communities_of("zhang", None, STAFFING) == ("c01",)
    assert communities_of("zhao", None, STAFFING) == ()


def test_a_visit_may_be_given_to_the_named_worker_the_communitys_staff_and_who_holds_work():
    staff = [
        {"username": "sun", "roles": ["visitor"]},
        {"username": "qian", "roles": ["community_head"]},
        {"username": "clerk7", "roles": ["intake_clerk"]},
    ]
    loads = [
        {"assignee": None, "open": 2, "overdue": 1, "due_today": 0},
        {"assignee": "sun", "open": 1, "overdue": 0, "due_today": 0},
        {"assignee": "zhou", "open": 3, "overdue": 3, "due_today": 0},
    ]
    assert workers("zhang", loads, staff) == ["qian", "sun", "zhang", "zhou"]
    assert workers(None, [], []) == []


def help_request(request_id: str, status: str, respond_by: str, responder: str | None) -> dict:
    return {
        "request_id": request_id,
        "status": status,
        "respond_by": respond_by,
        "responder": responder,
    }


def test_help_requests_wait_most_pressing_first_and_those_being_handled_are_mine_or_others():
    found = [
        help_request("later", "open", "2026-12-04T10:00:00+00:00", None),
        help_request("sooner", "open", "2026-12-04T02:00:00+00:00", None),
        help_request("mine", "responding", "2026-12-03T00:00:00+00:00", "wang"),
        help_request("theirs", "responding", "2026-12-03T00:00:00+00:00", "zhang"),
    ]
    groups = split(found, "wang")
    assert [r["request_id"] for r in groups["waiting"]] == ["sooner", "later"]
    assert [r["request_id"] for r in groups["mine"]] == ["mine"]
    assert [r["request_id"] for r in groups["others"]] == ["theirs"]


def test_unresolved_help_requests_are_read_per_community_and_state():
    reads = unresolved_reads(("c01", "c02"))
    asked = {(r.params["community"], r.params["status"]) for r in reads if r.params}
    assert asked == {("c01", "open"), ("c01", "responding"), ("c02", "open"), ("c02", "responding")}
    assert all(r == Read("visits", "/help-requests", r.params) for r in reads)
    unscoped = unresolved_reads(None)
    assert [r.params["status"] for r in unscoped if r.params] == ["open", "responding"]
    assert all("community" not in (r.params or {}) for r in unscoped)
    assert unresolved_reads(()) == [], "a head of no community reads nothing"


def test_the_head_opens_on_the_community_and_the_visitor_has_help_requests_and_activities():
    head = menu_for(frozenset({"community_head"}))
    assert head[0].endpoint == "community.index"
    assert "community.assign" in head[0].current_on
    visitor = [item.endpoint for item in menu_for(frozenset({"visitor"}))]
    assert visitor == [
        "visits.worklist",
        "help_requests.index",
        "pairings.index",
        "activities.index",
        "elders.search",
    ]


def test_a_field_left_empty_is_said_to_be_needed_as_a_service_says_it(chinese):
    form = FormState(
        MultiDict({"resolution": "  ", "assignee": ""}),
        ("resolution", "assignee"),
        labels={"resolution": "处理结果", "assignee": "走访员"},
        choices=frozenset({"assignee"}),
    )
    assert form.require("resolution", "assignee") is False
    assert form.summary() == [("resolution", "请填写处理结果。"), ("assignee", "请选择走访员。")]
    filled = FormState(MultiDict({"resolution": "已解决"}), ("resolution",))
    assert filled.require("resolution") is True and not filled.has_errors
