"""Intake's use cases on stores in memory: what each change stores and announces, in which
order, and what it refuses."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from memory_intake import memory_intake
from pymongo.errors import ServerSelectionTimeoutError

from services.intake.domain.district import Community
from services.intake.domain.elder import Elder, Registration
from services.intake.domain.national_id import check_character
from services.intake.service_layer import changes, priority_cards, reports, users
from services.intake.service_layer.container import Intake
from services.intake.service_layer.registration import register_elder, register_many
from shared.audit import Actor
from shared.clock import FixedClock
from shared.errors import Conflict, NotFound, RuleViolation

NOW = datetime(2026, 11, 29, 2, tzinfo=UTC)
CLERK = Actor("clerk", "test")
COMMUNITIES = (Community("c01", "一社区"), Community("c02", "二社区"))


@pytest.fixture
def intake() -> Intake:
    return memory_intake(NOW, COMMUNITIES)


def registration(sequence: int = 2, born: date = date(1944, 3, 7), **changed) -> Registration:
    first17 = f"330281{born:%Y%m%d}{sequence:03d}"
    return replace(
        Registration(
            national_id=first17 + check_character(first17),
            name="王秀英",
            sex="male" if sequence % 2 else "female",
            birth_date=born,
            community="c01",
            address=f"新华路12号{sequence}-{born:%Y%m}",  # a home of its own
            phone="13800138000",
        ),
        **changed,
    )


def assessed_until(intake: Intake, elder_id: str, version: int, valid_until: date) -> Elder:
    """A low self-care assessment with a chronic illness: a key target while it holds."""
    return changes.record_assessment(
        intake,
        elder_id,
        version,
        CLERK,
        scale="barthel",
        score=40,
        chronic_illnesses=["高血压"],
        assessor="社区医生",
        assessed_on=date(2026, 6, 1),
        valid_until=valid_until,
    )


def announced(intake: Intake) -> list[str]:
    return [e.type for e in intake.elders.announced]  # type: ignore[attr-defined]


def test_a_registration_is_stored_with_its_events_and_a_second_one_is_refused(intake):
    elder = register_elder(intake, registration(), CLERK)
    assert intake.elders.get(elder.elder_id) == elder
    assert announced(intake) == ["elder.registered", "elder.contact_changed"]
    assert [line["change"] for line in intake.elders.history(elder.elder_id)] == ["registered"]
    with pytest.raises(Conflict) as again:
        register_elder(intake, registration(name="王秀芳"), CLERK)
    assert again.value.context["existing_elder_id"] == elder.elder_id
    with pytest.raises(RuleViolation, match="unknown community 'c09'"):
        register_elder(intake, registration(sequence=4, community="c09"), CLERK)


def test_a_lookalike_is_registered_and_flagged_as_a_possible_duplicate(intake):
    first = register_elder(intake, registration(), CLERK)
    second = register_elder(intake, registration(sequence=4), CLERK)  # same name, day, place
    assert second.possible_duplicates == (first.elder_id,)
    elsewhere = register_elder(intake, registration(sequence=6, community="c02"), CLERK)
    assert elsewhere.possible_duplicates == ()


def test_an_import_counts_every_row_exactly(intake):
    register_elder(intake, registration(sequence=2), CLERK)
    rows = [
        (2, registration(sequence=2)),  # already in the register: unchanged
        (3, registration(sequence=4, community="二社区")),  # the community by its name
        (4, "the birth date is not a date"),
        (5, registration(sequence=4)),  # the same ID number as row 3
        (6, registration(sequence=6, community="c09")),
    ]
    report = register_many(intake, rows, CLERK, batch_size=2)
    assert (report.rows, report.imported, report.unchanged) == (5, 1, 1)
    assert report.rejected == [
        {"row": 4, "reason": "the birth date is not a date"},
        {"row": 5, "reason": "the same ID number is on row 3"},
        {"row": 6, "reason": report.rejected[2]["reason"]},
    ]
    assert "c09" in report.rejected[2]["reason"]
    imported = intake.elders.by_national_id(registration(sequence=4).national_id)
    assert imported is not None and imported.community == "c02"


def test_a_change_on_a_stale_version_is_refused_and_stores_nothing(intake):
    elder = register_elder(intake, registration(), CLERK)
    changes.issue_card(intake, elder.elder_id, 1, CLERK, None)
    with pytest.raises(Conflict, match="changed by someone else"):
        changes.record_death(intake, elder.elder_id, 1, CLERK, date(2026, 11, 28), "家属")
    assert intake.elders.get(elder.elder_id).status == "active"
    assert len(intake.elders.history(elder.elder_id)) == 2


def test_a_death_cancels_both_cards_in_the_same_change(intake):
    elder = register_elder(intake, registration(), CLERK)
    carded = changes.issue_card(intake, elder.elder_id, 1, CLERK, None)
    assert carded.card is not None and carded.card.number == "d1-70-000001"
    held = priority_cards.issue(intake, elder.elder_id, 2, CLERK)
    assert held.priority_card is not None and held.priority_card.number == "d1-P-000001"
    reissued = priority_cards.reissue(intake, elder.elder_id, 3, CLERK, "遗失")
    assert reissued.priority_card is not None
    assert reissued.priority_card.number == "d1-P-000002"
    died = changes.record_death(intake, elder.elder_id, 4, CLERK, date(2026, 11, 28), "家属")
    assert (died.status, died.card, died.priority_card) == ("deceased", None, None)
    assert announced(intake)[-3:] == [
        "elder.deceased",
        "elder.card_cancelled",
        "elder.priority_card_cancelled",
    ]
    with pytest.raises(RuleViolation, match="record is closed"):
        priority_cards.issue(intake, elder.elder_id, 5, CLERK)


def test_the_years_summary_counts_the_cards_held_and_issued_in_the_year(intake):
    first = register_elder(intake, registration(), CLERK)
    second = register_elder(intake, registration(sequence=4, community="c02"), CLERK)
    priority_cards.issue(intake, first.elder_id, 1, CLERK)
    changes.issue_card(intake, second.elder_id, 1, CLERK, None)
    summary = reports.year_summary(intake, "2026")
    assert (summary.priority_cards_held, summary.priority_cards_issued) == (1, 1)
    assert summary.cards_issued == {"70": 1}
    assert reports.year_summary(intake, "2025").priority_cards_issued == 0
    # a card reissued counts as a second card issued; one cancelled still counts as issued
    priority_cards.reissue(intake, first.elder_id, 2, CLERK, "遗失")
    changes.reissue_card(intake, second.elder_id, 2, CLERK, "损坏")
    priority_cards.cancel(intake, first.elder_id, 3, CLERK, "本人申请")
    summary = reports.year_summary(intake, "2026")
    assert (summary.priority_cards_held, summary.priority_cards_issued) == (0, 2)
    assert (summary.cards_held, summary.cards_issued) == ({"70": 1}, {"70": 2})
    c01, c02 = (reports.year_summary(intake, "2026", c) for c in ("c01", "c02"))
    assert (c01.community, c01.elders, c01.cards_issued, c01.priority_cards_issued) == (
        "c01",
        1,
        {},
        2,
    )
    assert (c02.elders, c02.cards_issued, c02.priority_cards_issued) == (1, {"70": 2}, 0)


def test_a_past_years_summary_counts_the_register_as_it_stood_at_the_years_end(intake):
    first = register_elder(intake, registration(), CLERK)
    second = register_elder(intake, registration(sequence=4, community="c02"), CLERK)
    priority_cards.issue(intake, first.elder_id, 1, CLERK)
    in_december = reports.year_summary(intake, "2026")
    next_year = replace(intake, clock=FixedClock(datetime(2027, 2, 1, 2, tzinfo=UTC)))
    changes.record_death(next_year, second.elder_id, 1, CLERK, date(2027, 1, 20), "家属")
    priority_cards.cancel(next_year, first.elder_id, 2, CLERK, "本人申请")
    then = reports.year_summary(next_year, "2026")
    assert (then.as_of, then.elders, then.priority_cards_held) == (date(2026, 12, 31), 2, 1)
    assert then.age_bands == in_december.age_bands  # not the register of February 2027
    now = reports.year_summary(next_year, "2027")
    assert (now.as_of, now.elders, now.priority_cards_held) == (date(2027, 2, 1), 1, 0)
    c02 = reports.year_summary(next_year, "2026", "c02")
    assert (c02.elders, c02.priority_cards_held) == (1, 0)


def test_lapsed_assessments_are_reviewed_once(intake):
    elder = register_elder(intake, registration(), CLERK)
    assessed = assessed_until(intake, elder.elder_id, 1, date(2026, 12, 1))
    assert assessed.key_target_reasons == ("chronic_illness_low_self_care",)
    assert changes.review_key_targets(intake) == 0  # still in force
    later = replace(intake, clock=FixedClock(NOW + timedelta(days=5)))
    assert changes.review_key_targets(later) == 1
    assert changes.review_key_targets(later) == 0
    reviewed = intake.elders.get(elder.elder_id)
    assert (reviewed.key_target_reasons, reviewed.version) == ((), 3)
    assert announced(intake)[-1] == "elder.updated"


def test_an_unknown_elder_is_not_found(intake):
    with pytest.raises(NotFound):
        changes.record_death(intake, "nobody", 1, CLERK, date(2026, 11, 28), "家属")


def test_a_staff_accounts_mobile_number_is_announced_once_per_change(intake):
    made = users.create_user(intake, "zhao", "a long password", ["visitor"], "c01", "13800138000")
    assert (made.mobile, made.contact_version) == ("13800138000", 1)
    users.change_user(intake, "zhao", mobile="13800138000")  # the same: nothing to announce
    changed = users.change_user(intake, "zhao", roles=["community_head"], mobile=None)
    assert (changed.mobile, changed.contact_version, changed.token_version) == (None, 2, 2)
    kinds = [(e.type, e.data.get("contact_version")) for e in intake.users.records.announced]
    assert kinds == [
        ("staff.contact_changed", 1),
        ("staff.access_changed", None),
        ("staff.contact_changed", 2),
    ]
    with pytest.raises(RuleViolation):
        users.create_user(intake, "qian", "short", ["visitor"], None)


def test_repeated_wrong_passwords_pause_the_sign_in(intake):
    keyed = replace(intake, settings=replace(intake.settings, secret_key="k" * 32))
    users.create_user(keyed, "zhao", "a long password", ["visitor"], "c01")
    for _ in range(5):
        with pytest.raises(users.SignInRefused):
            users.sign_in(keyed, "zhao", "wrong password", "10.0.0.1")
    with pytest.raises(users.SignInThrottled) as paused:
        users.sign_in(keyed, "zhao", "a long password", "10.0.0.1")
    assert paused.value.retry_after == 60
    later = replace(keyed, clock=FixedClock(NOW + timedelta(minutes=2)))
    token, _, user = users.sign_in(later, "zhao", "a long password", "10.0.0.1")
    assert token and user.username == "zhao"
    assert later.sign_in_failures.of("user:zhao", 4) is None, "forgotten on success"
    failed = [
        line for line in keyed.users.records.history("zhao") if line["change"] == "sign-in failed"
    ]
    assert [(line["by"], line["after"]["reason"]) for line in failed] == [
        ("zhao", "wrong password")
    ] * 5
    assert user.version == 1, "a failed sign-in is noted on the account, not a change of it"


def test_a_password_hashed_at_a_weaker_cost_is_hashed_again_at_sign_in(intake):
    keyed = replace(intake, settings=replace(intake.settings, secret_key="k" * 32))
    users.create_user(keyed, "zhao", "a long password", ["visitor"], "c01")
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash("a long password")
    keyed.users.records.set_unversioned("zhao", {"password_hash": weak})
    lines = len(keyed.users.records.history("zhao"))

    users.sign_in(keyed, "zhao", "a long password", "10.0.0.1")
    stored = keyed.users.get("zhao")
    assert stored is not None and stored.password_hash != weak
    assert not users.HASHER.check_needs_rehash(stored.password_hash)
    assert stored.version == 1 and len(keyed.users.records.history("zhao")) == lines


def test_a_store_reached_past_its_protocol_fails_at_once(intake):
    with pytest.raises(ServerSelectionTimeoutError):
        intake.db["elders"].find_one({})
