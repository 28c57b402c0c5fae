"""The assessment and duplicate changes without a running service: the body sent to intake,
when each is offered, the other record kept only if intake lists it and the user may read it,
and intake's refusals said in the interface language."""

from typing import Any

import pytest
from flask import Flask
from flask_babel import Babel
from werkzeug.datastructures import MultiDict

from portal import elder_actions
from portal.apis import ApiProblem, Read
from portal.elder_actions import read_for_change
from portal.elder_changes import BY_NAME, assessment_body, illnesses_of, offered
from portal.messages import in_language

CLERK, VISITOR = frozenset({"intake_clerk"}), frozenset({"visitor"})


def elder(**facts: Any) -> dict[str, Any]:
    return {"status": "active", "card": None, "identity_corrections": [], **facts}


def test_chronic_illnesses_are_read_one_a_line_or_separated_by_commas():
    assert illnesses_of(" 高血压、糖尿病\n冠心病，哮喘, \n") == [
        "高血压",
        "糖尿病",
        "冠心病",
        "哮喘",
    ]
    assert illnesses_of("  ") == []


def test_the_score_is_sent_as_a_whole_number_or_as_typed_and_an_empty_field_left_out():
    values = {"scale": "barthel", "score": "45", "assessed_on": "2026-03-01", "assessor": "王医生"}
    body = assessment_body(BY_NAME["assessment"].form(MultiDict(values)), elder())
    assert body == {**values, "score": 45, "chronic_illnesses": []}
    typed = assessment_body(BY_NAME["assessment"].form(MultiDict({"score": "4x"})), elder())
    assert typed == {"score": "4x", "chronic_illnesses": []}


def test_an_assessment_is_recorded_for_an_elder_in_the_register_only():
    assert "assessment" in [c.name for c in offered(elder(), CLERK)]
    assert "assessment" not in [c.name for c in offered(elder(status="deceased"), CLERK)]
    assert offered(elder(), VISITOR) == []


def test_a_duplicate_is_resolved_beside_the_records_intake_lists_and_by_a_clerk():
    listed = elder(possible_duplicates=["e-2"])
    resolving = [c for c in offered(listed, CLERK) if c.compared]
    assert [c.name for c in resolving] == ["duplicate"]
    assert not [c for c in offered(elder(), CLERK) if c.compared]
    assert offered(listed, VISITOR) == []
    body = BY_NAME["duplicate"].body(
        BY_NAME["duplicate"].form(MultiDict({"other_elder_id": "e-2", "decision": "merge"})), listed
    )
    assert body == {"other_elder_id": "e-2", "decision": "merge"}


@pytest.fixture
def app() -> Flask:
    app = Flask("test")
    Babel(app, default_locale="en")
    return app


def test_the_other_record_is_read_with_the_elder_and_kept_only_if_intake_lists_it(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = {
        "/elders/e-1": elder(elder_id="e-1", possible_duplicates=["e-2", "e-4"]),
        "/elders/e-2": elder(elder_id="e-2"),
        "/elders/e-3": elder(elder_id="e-3"),
        "/elders/e-4": ApiProblem(403, "Forbidden", "not yours"),
        "/district": {"communities": []},
    }
    asked: list[list[str]] = []

    def read(reads: list[Read], **_: bool) -> list[Any]:
        asked.append([r.path for r in reads])
        return [records[r.path] for r in reads]

    monkeypatch.setattr(elder_actions, "read_all", read)
    change = BY_NAME["duplicate"]
    with app.test_request_context():
        _, _, listed = read_for_change(
            "e-1", change, change.form(MultiDict({"other_elder_id": "e-2"}))
        )
        _, _, unlisted = read_for_change(
            "e-1", change, change.form(MultiDict({"other_elder_id": "e-3"}))
        )
        _, _, refused = read_for_change(
            "e-1", change, change.form(MultiDict({"other_elder_id": "e-4"}))
        )
        _, _, none = read_for_change("e-1", BY_NAME["assessment"], BY_NAME["assessment"].form({}))
    assert listed == records["/elders/e-2"] and unlisted is None and refused is None
    assert none is None
    assert asked[0] == ["/elders/e-1", "/district", "/elders/e-2"]
    assert asked[3] == ["/elders/e-1", "/district"]


def test_intakes_refusals_of_an_assessment_and_a_duplicate_are_said_in_the_users_words(app: Flask):
    with app.test_request_context():
        assert in_language("a Barthel score is 0 to 100") == "A Barthel index score is 0 to 100."
        assert in_language("a later assessment (2026-03-01) is already on record") == (
            "A later assessment (2026-03-01) is already on record."
        )
        assert in_language("e-9 is not listed as a possible duplicate of this elder") == (
            "That record is not listed as a possible duplicate of this elder."
        )
        assert in_language("the elder's record is closed (status: merged)").startswith(
            "The elder's record is closed"
        )
