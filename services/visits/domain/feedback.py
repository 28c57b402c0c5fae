"""What those served say of the work (听取服务对象的意见): after a visit or a service, the
worker records the elder's or the family's rating and remarks; and a complaint, a record of
its own, answered within a deadline and closed by whoever answered it, escalated like work
gone overdue when nobody has. Satisfaction (满意度) is the share of ratings of 4 or 5 out of 5.
They are visits' own records: no other service needs to hear of them, so they publish no event.

Complaint states: open -> closed (answered)."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from shared.changes import Change
from shared.errors import Conflict, RuleViolation, check_one_of
from shared.vocabulary import COMPLAINT_CHANNELS, FEEDBACK_GIVERS, FEEDBACK_SUBJECTS

RATINGS = range(1, 6)  # 1 very dissatisfied ... 5 very satisfied
SATISFIED = 4  # a rating of this or more counts as satisfied


@dataclass(frozen=True)
class Feedback:
    feedback_id: str
    elder_id: str
    community: str
    subject: str  # FEEDBACK_SUBJECTS: a visit, a service, a help request
    reference: str | None  # the visit's or help request's id
    service_type: str | None  # the service rated, if one
    worker: str  # whose work is rated
    rating: int
    remarks: str
    given_by: str  # FEEDBACK_GIVERS: the elder, or the family
    recorded_by: str
    recorded_at: datetime
    version: int = 1

    @property
    def satisfied(self) -> bool:
        return self.rating >= SATISFIED


@dataclass(frozen=True)
class Complaint:
    complaint_id: str
    community: str
    elder_id: str | None  # none: of someone not in the register
    channel: str  # COMPLAINT_CHANNELS
    about: str  # what or whom it is about, as the complainant said
    description: str
    received_by: str
    received_at: datetime
    answer_by: datetime
    worker: str | None = None  # the worker it concerns, if one
    status: str = "open"
    answer: str | None = None
    closed_by: str | None = None
    closed_at: datetime | None = None
    version: int = 1

    def is_overdue(self, now: datetime) -> bool:
        return self.status == "open" and now > self.answer_by

    @property
    def answered_in_time(self) -> bool | None:
        return None if self.closed_at is None else self.closed_at <= self.answer_by


def give(
    feedback_id: str,
    elder_id: str,
    community: str,
    subject: str,
    worker: str,
    rating: int,
    given_by: str,
    recorded_by: str,
    at: datetime,
    reference: str | None = None,
    service_type: str | None = None,
    remarks: str = "",
) -> Change[Feedback]:
    check_one_of(subject, FEEDBACK_SUBJECTS, "subject")
    check_one_of(given_by, FEEDBACK_GIVERS, "given_by")
    if rating not in RATINGS:
        raise RuleViolation(
            "a rating is 1 (very dissatisfied) to 5 (very satisfied)", field="rating"
        )
    if not worker.strip():
        raise RuleViolation("say whose work is rated", field="worker")
    feedback = Feedback(
        feedback_id,
        elder_id,
        community,
        subject,
        reference,
        service_type,
        worker.strip(),
        rating,
        remarks.strip(),
        given_by,
        recorded_by,
        at,
    )
    return Change(feedback, summary=f"rated {rating} of 5 by the {given_by}")


def receive_complaint(
    complaint_id: str,
    community: str,
    channel: str,
    about: str,
    description: str,
    received_by: str,
    received_at: datetime,
    answer_within_hours: int,
    now: datetime,
    elder_id: str | None = None,
    worker: str | None = None,
) -> Change[Complaint]:
    check_one_of(channel, COMPLAINT_CHANNELS, "channel")
    if received_at > now:
        raise RuleViolation("received_at is in the future", field="received_at")
    if not about.strip():
        raise RuleViolation("say what or whom the complaint is about", field="about")
    if not description.strip():
        raise RuleViolation("say what the complaint is", field="description")
    complaint = Complaint(
        complaint_id,
        community,
        elder_id,
        channel,
        about.strip(),
        description.strip(),
        received_by,
        received_at,
        received_at + timedelta(hours=answer_within_hours),
        (worker or "").strip() or None,
    )
    return Change(complaint, summary=f"complaint received by {channel}")


def close(complaint: Complaint, answer: str, by: str, at: datetime) -> Change[Complaint]:
    """Answered and closed, by whoever answered."""
    if complaint.status == "closed":
        raise Conflict(f"complaint {complaint.complaint_id} is closed already")
    if not answer.strip():
        raise RuleViolation("say how the complaint was answered", field="answer")
    closed = replace(
        complaint,
        status="closed",
        answer=answer.strip(),
        closed_by=by,
        closed_at=at,
        version=complaint.version + 1,
    )
    return Change(closed, summary="complaint answered and closed")


@dataclass(frozen=True)
class Satisfaction:
    ratings: int
    satisfied: int
    mean: float | None  # none: no rating

    @property
    def share(self) -> float | None:
        """Satisfied out of all ratings, in per cent to one decimal; none without ratings."""
        return round(100 * self.satisfied / self.ratings, 1) if self.ratings else None


@dataclass(frozen=True)
class SatisfactionReport:
    """The satisfaction of a period, in all and by group, and its complaints counted."""

    first: date
    last: date
    community: str | None
    total: Satisfaction
    by_community: dict[str, Satisfaction]
    by_worker: dict[str, Satisfaction]
    by_service_type: dict[str, Satisfaction]
    complaints: dict[str, int]


def satisfaction(
    given: Iterable[Feedback], by: Callable[[Feedback], str | None]
) -> tuple[Satisfaction, dict[str, Satisfaction]]:
    """Satisfaction of all the feedback, and of each group `by` names (a community, a worker,
    a type of service; feedback of no group counts in the total only)."""
    everyone: list[int] = []
    groups: dict[str, list[int]] = defaultdict(list)
    for feedback in given:
        everyone.append(feedback.rating)
        key = by(feedback)
        if key is not None:
            groups[key].append(feedback.rating)
    return _satisfaction(everyone), {k: _satisfaction(r) for k, r in sorted(groups.items())}


def _satisfaction(ratings: list[int]) -> Satisfaction:
    if not ratings:
        return Satisfaction(0, 0, None)
    satisfied = sum(1 for r in ratings if r >= SATISFIED)
    return Satisfaction(len(ratings), satisfied, round(sum(ratings) / len(ratings), 2))
