from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime

from hypothesis import given
from hypothesis import strategies as st

from shared.documents import from_document, plain, to_document


@dataclass(frozen=True)
class Card:
    number: str
    issued_on: date


@dataclass(frozen=True)
class Person:
    name: str
    born: date
    seen_at: datetime
    card: Card | None = None
    cards: tuple[Card, ...] = ()
    tags: tuple[str, ...] = ()
    died_on: date | None = None
    extra: dict[str, str] = field(default_factory=dict)


def test_nested_dataclasses_dates_and_tuples_round_trip():
    person = Person(
        "王",
        date(1944, 2, 29),
        datetime(2026, 1, 1, tzinfo=UTC),
        card=Card("A-1", date(2020, 5, 1)),
        cards=(Card("B", date(2021, 1, 2)),),
        tags=("x", "y"),
        extra={"k": "v"},
    )
    document = to_document(person)
    assert document["born"] == "1944-02-29"
    assert document["card"] == {"number": "A-1", "issued_on": "2020-05-01"}
    assert document["seen_at"] == datetime(2026, 1, 1, tzinfo=UTC)
    assert document["tags"] == ["x", "y"]
    assert from_document(Person, {**document, "_id": "ignored"}) == person


@given(st.dates(), st.one_of(st.none(), st.dates()), st.lists(st.text(max_size=5)))
def test_any_person_survives_the_round_trip(born, died, tags):
    person = Person("n", born, datetime(2026, 1, 1, tzinfo=UTC), died_on=died, tags=tuple(tags))
    assert from_document(Person, to_document(person)) == person


@given(st.dates(), st.lists(st.text(max_size=5)), st.dictionaries(st.text(), st.text()))
def test_plain_gives_what_asdict_gives_without_sharing_its_dicts(born, tags, extra):
    card = Card("A-1", born)
    person = Person(
        "n", born, datetime(2026, 1, 1, tzinfo=UTC), card, (card,), tuple(tags), None, extra
    )
    shown = plain(person)
    assert shown == asdict(person)
    assert type(shown["cards"]) is tuple and shown["extra"] is not person.extra
