"""The office's and the administrator's pages, the parts that need no running service: amounts
typed in yuan, pages of lists, the approval queue, the audit trail's order and filter, and the
bodies the forms send."""

import pytest
from werkzeug.datastructures import MultiDict

from portal.approvals import waiting
from portal.audit import doing, newest_first
from portal.cycles import programme_names
from portal.district import aliases_for, staff_of, with_entry
from portal.forms import FormState
from portal.menus import ADMINISTRATION, menu_for, menu_groups
from portal.money import fen, yuan
from portal.overpayments import proposal
from portal.paging import Pages, requested_page
from portal.programmes import BAND_FIELDS, body_of
from portal.staff import account, change
from portal.visit_rules import deadlines, routine, values_of


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("300", 30000),
        ("300.5", 30050),
        ("300.05", 30005),
        (" 1,200.00 ", 120000),
        ("0.01", 1),
        ("abc", None),
        ("1.234", None),
        ("-5", None),
        ("", None),
    ],
)
def test_an_amount_typed_in_yuan_is_whole_fen_exactly(typed, expected):
    assert fen(typed) == expected


def test_fen_and_yuan_agree_both_ways():
    for amount in (0, 1, 99, 100, 30000, 123456):
        assert fen(yuan(amount)) == amount


def test_pages_of_a_list():
    pages = Pages.of({"page": 2, "total": 101, "page_size": 50})
    assert (pages.count, pages.previous, pages.next) == (3, 1, 3)
    assert Pages(1, 0).count == 1 and Pages(1, 0).next is None and Pages(1, 0).previous is None
    assert Pages(3, 101).next is None
    assert [requested_page({"page": p}) for p in ("3", "0", "x", "-1")] == [3, 1, 1, 1]
    assert requested_page({}) == 1


def test_the_queue_holds_reviewed_cycles_oldest_first_and_says_which_are_ones_own():
    cycles = [
        {
            "cycle_id": "high_age:2026-11",
            "month": "2026-11",
            "state": "reviewed",
            "opened_by": "li",
        },
        {
            "cycle_id": "high_age:2026-10",
            "month": "2026-10",
            "state": "reviewed",
            "opened_by": "wu",
        },
        {
            "cycle_id": "home_care_voucher:2026-10",
            "month": "2026-10",
            "state": "reviewed",
            "opened_by": "wu",
            "reviewed_by": "li",
        },
        {"cycle_id": "x:2026-09", "month": "2026-09", "state": "approved", "opened_by": "wu"},
        {"cycle_id": "y:2026-09", "month": "2026-09", "state": "open", "opened_by": "wu"},
    ]
    queue = waiting(cycles, "li")
    assert [(c["cycle_id"], c["own"]) for c in queue] == [
        ("high_age:2026-10", None),
        ("home_care_voucher:2026-10", "reviewed"),
        ("high_age:2026-11", "prepared"),
    ]


def test_the_audit_trail_is_newest_first_across_services_and_filtered_by_what_was_done():
    lines = [
        {"at": "2026-12-01T02:00:00+00:00", "change": "user created", "service": "intake"},
        {"at": "2026-12-01T10:30:00+08:00", "change": "cycle approved", "service": "allowances"},
        {"at": "2026-12-01T03:00:00+00:00", "change": "User changed", "service": "intake"},
    ]
    ordered = newest_first(lines)
    assert [line["change"] for line in ordered] == [
        "User changed",
        "cycle approved",
        "user created",
    ]
    assert [line["change"] for line in doing(ordered, " USER ")] == ["User changed", "user created"]
    assert doing(ordered, "deleted") == []


def test_a_community_replaces_the_one_of_its_code_in_place_or_is_added_last():
    communities = [
        {"code": "c01", "name": "一", "kind": "community"},
        {"code": "c02", "name": "二", "kind": "village"},
    ]
    renamed = with_entry(communities, {"code": "c01", "name": "新一", "kind": "community"})
    assert [c["name"] for c in renamed] == ["新一", "二"]
    added = with_entry(communities, {"code": "c03", "name": "三", "kind": "village"})
    assert [c["code"] for c in added] == ["c01", "c02", "c03"]
    assert aliases_for(2)["communities.2.code"] == "code"


def test_only_active_staff_of_the_role_are_offered_and_whoever_is_named_is_kept():
    users = [
        {"username": "wang", "roles": ["visitor"], "active": True},
        {"username": "zhao", "roles": ["visitor"], "active": False},
        {"username": "head", "roles": ["community_head"], "active": True},
    ]
    assert staff_of(users, "visitor", None) == {"wang": "wang"}
    assert staff_of(users, "visitor", "zhao") == {"wang": "wang", "zhao": "zhao"}


def test_the_bodies_of_new_and_changed_accounts():
    typed = MultiDict(
        [
            ("username", " li "),
            ("password", "pw long enough"),
            ("roles", "visitor"),
            ("roles", "approver"),
            ("community", ""),
            ("mobile", " 13800138000 "),
        ]
    )
    assert account(FormState(typed)) == {
        "username": "li",
        "password": "pw long enough",
        "roles": ["visitor", "approver"],
        "community": None,
        "mobile": "13800138000",
    }
    disabled = change(FormState(MultiDict([("roles", "visitor"), ("community", "c01")])))
    assert disabled == {"roles": ["visitor"], "community": "c01", "mobile": None, "active": False}


CONFIG = {
    "triggers": [{"trigger": "hospitalised", "hours": 72}, {"trigger": "worries", "hours": 120}],
    "help_request_hours": {"urgent": 2},
    "routine": {"due_day": 25, "key_targets": [{"reason": "low_income", "frequency": "quarterly"}]},
}


def test_visits_rules_are_shown_as_in_force_and_sent_as_typed():
    values = values_of(CONFIG)
    assert values["trigger-worries"] == "120" and values["frequency-low_income"] == "quarterly"
    values["trigger-worries"] = "abc"  # visits names what is not a number
    body = deadlines(FormState(values))
    assert body["triggers"]["hospitalised"] == 72 and body["triggers"]["worries"] == "abc"
    assert body["help_requests"]["urgent"] == 2
    assert routine(FormState(values))["due_day"] == 25


def test_programme_amounts_are_sent_in_fen_with_the_version_read():
    typed = MultiDict(
        [("version", "3"), ("starts", "month_after")]
        + [
            (name, amount)
            for name, amount in zip(BAND_FIELDS, ("100", "300.50", "600"), strict=True)
        ]
    )
    body = body_of("high-age", FormState(typed))
    assert body["version"] == 3 and body["starts"] == "month_after"
    assert [a["amount_fen"] for a in body["amounts"]] == [10000, 30050, 60000]
    voucher = body_of(
        "vouchers",
        FormState(MultiDict([("version", "3"), ("voucher_amount", "60"), ("valid_months", "3")])),
    )
    assert voucher == {"version": 3, "amount_fen": 6000, "valid_months": 3}


def test_each_role_sees_its_own_menu_and_the_administrator_their_own_pages_first():
    endpoints = lambda roles: [i.endpoint for i in menu_for(frozenset(roles))]  # noqa: E731
    assert endpoints({"approver"})[0] == "approvals.index"
    assert "rosters.choose" in endpoints({"allowance_officer"})
    assert "staff.index" not in endpoints({"allowance_officer", "approver"})
    assert endpoints({"district_admin"}) == [i.endpoint for i in ADMINISTRATION] + ["home.index"]
    groups = menu_groups(frozenset({"district_admin"}))
    assert [i.endpoint for i in groups[0][1]] == [i.endpoint for i in ADMINISTRATION]
    assert any("cycles.index" in [i.endpoint for i in items] for _title, items in groups[1:])


def test_a_proposal_sends_what_its_outcome_needs():
    recovered = MultiDict(
        [
            ("outcome", "recovered"),
            ("receipt", "R-1"),
            ("received_on", "2026-12-01"),
            ("reason", "x"),
        ]
    )
    assert proposal(FormState(recovered)) == {
        "outcome": "recovered",
        "receipt": "R-1",
        "received_on": "2026-12-01",
    }
    waived = MultiDict([("outcome", "waived"), ("receipt", "R-1"), ("reason", "家属无力偿还")])
    assert proposal(FormState(waived)) == {"outcome": "waived", "reason": "家属无力偿还"}


def test_one_of_a_pages_forms_keeps_what_was_typed_and_shows_the_others_in_force():
    sent = FormState(MultiDict([("due_day", "40")]), ("due_day",))
    sent.add_error("due_day", "1 to 28")
    in_force = MultiDict([("due_day", "25"), ("trigger-worries", "120")])
    page = sent.among(in_force, ("trigger-worries", "due_day"))
    assert (page["due_day"], page["trigger-worries"]) == ("40", "120")
    assert page.summary() == [("due_day", "1 to 28")] and page.fields[0] == "trigger-worries"


def test_festival_campaigns_are_named_beside_the_standing_programmes():
    names = programme_names({"items": [{"programme": "festival:cy-2026", "name": "重阳节慰问"}]})
    assert names["festival:cy-2026"] == "重阳节慰问" and "high_age" in names
