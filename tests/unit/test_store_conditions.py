"""The conditions list queries put to a store (shared.stores)."""

from shared.memory_queries import matching
from shared.stores import any_of, filtered


def test_one_value_is_an_equality_and_several_an_in_of_each_once():
    assert any_of(["e-2"]) == "e-2"
    assert any_of(["e-2", "e-2"]) == "e-2"
    assert any_of(["e-3", "e-1", "e-3"]) == {"$in": ["e-1", "e-3"]}
    assert any_of([]) == {"$in": []}
    documents = [{"elder_id": "e-1"}, {"elder_id": "e-2"}, {"elder_id": "e-3"}]
    assert matching(documents, {"elder_id": any_of(["e-2"])}) == [{"elder_id": "e-2"}]
    assert len(matching(documents, {"elder_id": any_of(["e-1", "e-3"])})) == 2
    assert matching(documents, {"elder_id": any_of([])}) == []


def test_a_filter_keeps_only_the_names_given():
    filters = {"community": "c01", "status": "open", "page": 2}
    assert filtered(filters, ["community", "status", "kind"], elder_id="e-1") == {
        "elder_id": "e-1",
        "community": "c01",
        "status": "open",
    }
