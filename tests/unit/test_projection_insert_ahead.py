"""Which events of a batch a projection is given to insert ahead."""

from factories import registered_event

from shared.config import Settings
from shared.projection import InsertAhead
from shared.stores import Ahead

SETTINGS = Settings(service="visits", district="d1")


class Noted:
    def __init__(self) -> None:
        self.given: list[list[Ahead]] = []

    def insert_ahead(self, events: list[Ahead]) -> None:
        self.given.append(list(events))


def event(elder_id: str, version: int):
    sent = registered_event(SETTINGS, elder_id, version=version)
    return sent, {"elder_id": elder_id, "version": version}


def test_the_first_event_of_each_document_is_given_if_it_creates_the_document():
    elders, contacts = Noted(), Noted()
    ahead = InsertAhead(
        {"elder.registered": (elders, "elder_id"), "elder.contact_changed": (contacts, "elder_id")}
    )
    batch = [
        event("e-1", 1),
        event("e-2", 2),  # known already: its first version came in an earlier batch
        event("e-1", 2),  # e-1's second version: applied over what was inserted ahead
        event("e-2", 1),  # an older version after a newer one: not the batch's first of e-2
        event("e-3", 1),
    ]
    ahead(batch)
    assert [(i, v) for i, v, _, _ in elders.given[0]] == [("e-1", 1), ("e-3", 1)]
    assert elders.given[0][0][2] == batch[0][0].id
    assert contacts.given == [[]], "every projection is told of the batch, to forget the last"
