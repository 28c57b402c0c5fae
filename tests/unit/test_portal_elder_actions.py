"""The workbench's changes to an elder's record and its search of the register, without a
running service: which changes each state and role is offered, the bodies sent to intake, the
pages of results, and the page's reads made at once."""

from typing import Any

import pytest
from flask import Flask, session
from werkzeug.datastructures import MultiDict

from portal import apis
from portal.apis import ApiProblem, Read, read_all
from portal.config import PortalSettings
from portal.elder_changes import BY_NAME, details_body, details_values, move_body, offered
from portal.elder_record import assessments_of
from portal.elder_search import PAGE_SIZE, chosen_filters, place_in_list
from portal.forms import FormState
from portal.paging import Pages, requested_page

CLERK, ADMIN = frozenset({"intake_clerk"}), frozenset({"district_admin"})


def elder(**facts: Any) -> dict[str, Any]:
    return {"status": "active", "card": None, "identity_corrections": [], **facts}


def names(elder: dict[str, Any], roles: frozenset[str]) -> list[str]:
    return [c.name for c in offered(elder, roles)]


@pytest.fixture
def app() -> Flask:
    app = Flask("test")
    app.config["SECRET_KEY"] = "test"
    app.extensions["portal"] = PortalSettings("x" * 16, apis={"intake": "http://intake"})
    return app


def test_an_active_elder_without_a_card_is_offered_the_clerks_changes_but_no_return():
    assert names(elder(), CLERK) == [
        "details",
        "assessment",
        "move",
        "card",
        "priority-card",
        "identity-correction",
        "death",
    ]


def test_a_deceased_elder_is_offered_no_move_and_the_revocation_only_to_the_administrator():
    deceased = elder(status="deceased")
    assert names(deceased, CLERK) == ["identity-correction"]
    assert names(deceased, ADMIN) == ["identity-correction", "death-revocation"]


def test_an_elder_who_moved_out_is_offered_the_return():
    assert names(elder(status="moved_out"), CLERK) == ["return", "identity-correction"]


def test_a_card_held_is_reissued_or_upgraded_when_due_never_issued_again():
    holder = elder(card={"number": "60-1"})
    assert "card" not in names(holder, CLERK)
    assert "card-reissue" in names(holder, CLERK)
    assert "card-upgrade" not in names(holder, CLERK)
    assert "card-upgrade" in names({**holder, "card_upgrade_due": "70"}, CLERK)


def test_a_priority_card_held_is_reissued_or_cancelled_never_issued_again():
    holder = elder(priority_card={"number": "D-P-000001", "issued_on": "2026-11-29"})
    assert "priority-card" not in names(holder, CLERK)
    assert {"priority-card-reissue", "priority-card-cancellation"} <= set(names(holder, CLERK))
    assert not {"priority-card-reissue", "priority-card-cancellation"} & set(names(elder(), CLERK))
    assert BY_NAME["priority-card"].body(form("priority-card"), holder) == {}
    cancelled = BY_NAME["priority-card-cancellation"]
    assert cancelled.body(form("priority-card-cancellation", reason="本人交回"), holder) == {
        "reason": "本人交回"
    }


def test_a_pending_correction_is_decided_by_an_administrator_and_not_asked_for_again():
    pending = elder(identity_corrections=[{"status": "pending", "proposed_by": "clerk"}])
    assert "identity-correction" not in names(pending, CLERK)
    assert "identity-approval" not in names(pending, CLERK)
    assert "identity-approval" in names(pending, ADMIN)
    assert "identity-rejection" not in names(pending, ADMIN), "on the approval's page"


def form(change: str, **values: str) -> FormState:
    return BY_NAME[change].form(MultiDict(values))


def test_a_move_within_the_district_names_the_community_and_one_out_of_it_the_destination():
    within = form("move", kind="within", moved_on="2026-03-01", to_community="c02", destination="x")
    assert move_body(within, elder()) == {"moved_on": "2026-03-01", "to_community": "c02"}
    out = form("move", kind="out", moved_on="2026-03-01", to_community="c02", destination="杭州")
    assert move_body(out, elder()) == {"moved_on": "2026-03-01", "destination": "杭州"}


def test_a_move_within_without_a_community_is_stopped_before_intake_reads_it_as_out():
    within = form("move", kind="within", moved_on="2026-03-01")
    BY_NAME["move"].check(within)
    assert list(within.errors) == ["to_community"]
    unsaid = form("move", moved_on="2026-03-01")
    BY_NAME["move"].check(unsaid)
    assert list(unsaid.errors) == ["kind"]


def test_the_details_form_starts_from_the_record_and_a_phone_taken_away_is_sent_as_none():
    record = elder(
        name="何秀英",
        address="解放路21号",
        phone="13800000000",
        circumstances={"household_type": "living_alone", "low_income": True, "disabled": False},
        emergency_contact={"name": "何军", "phone": "13900000000"},
    )
    values = MultiDict(details_values(record))
    assert values["household_type"] == "living_alone" and values["low_income"] == "on"
    assert "disabled" not in values
    values["phone"] = ""
    body = details_body(BY_NAME["details"].form(values), record)
    assert body["phone"] is None
    assert body["circumstances"] == {
        "household_type": "living_alone",
        "low_income": True,
        "disabled": False,
        "home_care": False,
    }
    assert body["emergency_contact"] == {"name": "何军", "phone": "13900000000"}


def test_the_search_keeps_only_the_filters_given_and_reads_a_page_number():
    args = {"name": " 何秀英 ", "community": "", "low_income": "true", "page": "2", "x": "y"}
    assert chosen_filters(args) == {"name": "何秀英", "low_income": "true"}
    assert (requested_page(args), requested_page({"page": "0"}), requested_page({"page": "z"})) == (
        2,
        1,
        1,
    )


def test_a_page_of_results_starts_after_or_before_the_cursor_its_link_gives():
    assert place_in_list({"after": " YQ ", "page": "2"}) == {"after": "YQ"}
    assert place_in_list({"before": "Yg", "page": "1"}) == {"before": "Yg"}
    assert place_in_list({"after": " ", "page": "3"}) == {}
    assert place_in_list({"name": "何秀英"}) == {}
    assert "after" not in chosen_filters({"after": "YQ", "name": "何"}), "not a filter"


def test_the_pages_of_results_have_a_previous_and_a_next_only_where_there_is_one():
    first, last, only = Pages(1, 45, PAGE_SIZE), Pages(3, 45, PAGE_SIZE), Pages(1, 0, PAGE_SIZE)
    assert (first.previous, first.next, first.count) == (None, 2, 3)
    assert (last.previous, last.next, last.first_shown, last.last_shown) == (2, None, 41, 45)
    assert (only.previous, only.next, only.count, only.first_shown) == (None, None, 1, 0)


def test_assessments_are_read_from_the_history_newest_first():
    history = [
        {"change": "registered", "after": {}},
        {"change": "assessed: mild", "after": {"assessment": {"assessed_on": "2025-01-02"}}},
        {"change": "assessed: severe", "after": {"assessment": {"assessed_on": "2026-02-03"}}},
    ]
    assert [a["assessed_on"] for a in assessments_of(history)] == ["2026-02-03", "2025-01-02"]


def test_reads_keep_a_refusal_in_its_place_for_a_page_that_names_what_it_may_not_read(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str | None] = []

    def answer(service: str, method: str, path: str, **sent: Any) -> dict[str, str]:
        seen.append(sent.get("token"))
        if path == "/refused":
            raise ApiProblem(403, "Forbidden", "not yours")
        return {"path": path}

    monkeypatch.setattr(apis, "call", answer)
    reads = [Read("intake", "/a"), Read("intake", "/refused"), Read("intake", "/b")]
    with app.test_request_context():
        session["token"] = "the-token"
        answers = read_all(reads, problems_kept=True)
        with pytest.raises(ApiProblem):
            read_all(reads)
    assert answers[0] == {"path": "/a"} and answers[2] == {"path": "/b"}
    assert isinstance(answers[1], ApiProblem) and answers[1].status == 403
    assert set(seen) == {"the-token"}
