"""What the elder's page reads, all at once: the record, and the elder's timeline across the
services (intake's history, visits' obligations and visit records, allowances' statement), as
far as the user's role may read them; the elder's part in activities and learning (visits'); then,
if intake lists any, the possible duplicates."""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from portal import timeline
from portal.apis import ApiProblem, Read, read_all, settings
from portal.timeline import Entry
from portal.words import service as service_label


@dataclass(frozen=True)
class Source:
    read: Callable[[str], Read]
    entries: Callable[[Any], list[Entry]]


SOURCES = (
    Source(lambda elder_id: Read("intake", f"/elders/{elder_id}/history"), timeline.from_history),
    Source(
        lambda elder_id: Read("visits", "/obligations", {"elder_id": elder_id, "page_size": 100}),
        lambda page: timeline.from_obligations(page["items"]),
    ),
    Source(
        lambda elder_id: Read("visits", "/visits", {"elder_id": elder_id, "page_size": 100}),
        lambda page: timeline.from_visits(page["items"]),
    ),
    Source(
        lambda elder_id: Read("allowances", f"/elders/{elder_id}/statement"),
        timeline.from_statement,
    ),
)


@dataclass
class ElderRecord:
    elder: dict[str, Any]
    district: dict[str, Any]
    entries: list[Entry] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)  # the services the role may not read
    assessments: list[dict[str, Any]] = field(default_factory=list)  # newest first
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    household: dict[str, Any] | None = None  # None: in no household yet
    activities: dict[str, Any] | None = None  # None: not for the role, or not known to visits


def read_record(elder_id: str) -> ElderRecord:
    elder, district, household, activities, *answers = read_all(
        [
            Read("intake", f"/elders/{elder_id}"),
            Read("intake", "/district"),
            Read("intake", f"/elders/{elder_id}/household"),
            Read("visits", f"/elders/{elder_id}/activities"),
            *(s.read(elder_id) for s in SOURCES),
        ],
        problems_kept=True,
    )
    for answer in (elder, district):
        if isinstance(answer, ApiProblem):
            raise answer
    record = ElderRecord(elder, district)
    if not isinstance(household, ApiProblem):
        record.household = household
    if not isinstance(activities, ApiProblem):
        record.activities = activities
    parts: list[list[Entry]] = []
    for source, answer in zip(SOURCES, answers, strict=True):
        if isinstance(answer, ApiProblem):
            if answer.status not in (403, 404):
                raise answer
            label = service_label(source.read(elder_id).service)
            if label not in record.hidden:
                record.hidden.append(label)
        else:
            parts.append(source.entries(answer))
    zone = settings().zone
    record.entries = [replace(e, at=e.at.astimezone(zone)) for e in timeline.merged(*parts)]
    history = answers[0] if isinstance(answers[0], list) else []
    record.assessments = assessments_of(history)
    record.duplicates = duplicates_of(elder)
    return record


def assessments_of(history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every assessment recorded, newest first, as the record's history keeps them."""
    found = [
        line["after"]["assessment"] for line in history if line.get("after", {}).get("assessment")
    ]
    return sorted(found, key=lambda a: str(a.get("assessed_on", "")), reverse=True)


def duplicates_of(elder: dict[str, Any]) -> list[dict[str, Any]]:
    """The records intake holds as possibly the same person, those the user may read."""
    others = elder.get("possible_duplicates") or []
    answers = read_all([Read("intake", f"/elders/{other}") for other in others], problems_kept=True)
    return [a for a in answers if not isinstance(a, ApiProblem)]
