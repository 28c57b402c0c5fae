"""Work a death closed, reopened when the death is revoked: pure domain, no servers."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from services.visits.domain.obligations import cancel, mandatory_visit
from services.visits.domain.pairings import end, pair
from services.visits.domain.reopening import held_over, reopened, resumed
from services.visits.domain.triggers import reported

OCCURRED = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
DEATH_RECORDED = OCCURRED + timedelta(hours=10)
REVOKED = DEATH_RECORDED + timedelta(days=5)


def cancelled(reason="deceased", **changes):
    incident = reported("i-1", "e-1", "hospitalised", OCCURRED, "hospital")
    open_one = replace(mandatory_visit(incident, "c01", 72, "wang", OCCURRED), **changes)
    return cancel(open_one, reason, DEATH_RECORDED).after


def test_a_must_visit_the_death_cancelled_reopens_with_the_closed_days_added_to_its_deadline():
    before = cancelled()
    change = reopened(before, "death reported in error revoked: 错报", REVOKED)
    after = change.after
    assert (after.status, after.cancelled_reason, after.closed_at) == ("open", None, None)
    assert after.due_at == before.due_at + timedelta(days=5)
    assert after.version == before.version + 1
    assert change.events == (
        (
            "obligation.reopened",
            {"reason": "death reported in error revoked: 错报", "previous_due_at": before.due_at},
        ),
    )


def test_work_cancelled_for_another_reason_stays_cancelled():
    assert reopened(cancelled("moved_out"), "x", REVOKED) is None
    assert reopened(cancelled("duplicate report"), "x", REVOKED) is None


def test_a_visit_of_a_period_reopens_only_while_its_period_runs():
    monthly = cancelled(kind="routine", due_at=OCCURRED + timedelta(days=10))
    assert reopened(monthly, "x", REVOKED).after.due_at == monthly.due_at  # still ahead
    ended = cancelled(kind="routine", due_at=OCCURRED + timedelta(days=2))
    assert reopened(ended, "x", REVOKED) is None


def test_a_pairing_the_death_ended_is_active_again():
    started = pair(
        "p-1", "e-1", "c01", "v-9", "李志愿", "volunteer", 2, date(2026, 1, 5), date(2026, 11, 1)
    ).after
    ended = end(started, "deceased", date(2026, 11, 20)).after
    change = resumed(ended, "revoked")
    assert (change.after.status, change.after.ended_on, change.after.end_reason) == (
        "active",
        None,
        None,
    )
    assert change.events == (("pairing.resumed", {"reason": "revoked"}),)
    assert resumed(end(started, "partner moved away", date(2026, 11, 20)).after, "x") is None


def test_a_must_visit_reported_while_wrongly_dead_is_due_its_hours_after_the_revocation():
    incident = reported("i-2", "e-1", "hardship", OCCURRED, "hotline")
    late = mandatory_visit(incident, "c01", 72, "wang", REVOKED)
    assert held_over(late, REVOKED, 72).due_at == REVOKED + timedelta(hours=72)
    longer = mandatory_visit(incident, "c01", 240, "wang", REVOKED)  # still ahead: kept
    assert held_over(longer, REVOKED, 72).due_at == OCCURRED + timedelta(hours=240)
