"""Staff passwords: long enough, and none of the passwords an attacker tries first."""

from datetime import UTC, datetime, timedelta

import pytest

from services.intake.domain.passwords import check_password, common_passwords
from services.intake.domain.sign_in_throttle import FREE_FAILURES_PER_ADDRESS, Failures
from shared.errors import RuleViolation


def test_the_shipped_list_holds_the_ten_thousand_most_common_passwords():
    listed = common_passwords()
    assert len(listed) > 9_900 and {"password", "123456", "qwerty", "iloveyou"} <= listed


@pytest.mark.parametrize("password", ["short", "elevenchars"])
def test_a_password_under_twelve_characters_is_refused(password):
    with pytest.raises(RuleViolation, match="at least 12 characters") as refused:
        check_password(password)
    assert refused.value.context["field"] == "password"


@pytest.mark.parametrize(
    "password",
    [
        "unbelievable",
        "Masturbation",
        "password1234",
        "iloveyou!!!!",
        "qwertyqwerty",
        "Dragon123456",
    ],
)
def test_a_common_password_or_one_with_digits_added_or_repeated_is_refused(password):
    with pytest.raises(RuleViolation, match="most common"):
        check_password(password)


@pytest.mark.parametrize(
    "password", ["correct horse battery", "li's long password", "x7Gq-2mPz!9a"]
)
def test_a_long_uncommon_password_is_accepted(password):
    check_password(password)


NOON = datetime(2026, 12, 4, 12, tzinfo=UTC)


def test_five_failures_pause_sign_in_a_minute_and_each_further_one_doubles_the_pause():
    assert Failures(4, NOON).retry_after(NOON) == 0
    assert Failures(5, NOON).retry_after(NOON) == 60
    assert Failures(6, NOON).retry_after(NOON) == 120
    assert Failures(7, NOON).retry_after(NOON + timedelta(seconds=30)) == 210
    assert Failures(30, NOON).retry_after(NOON) == 3600  # at most an hour


def test_an_address_is_allowed_more_failures_than_one_user_name():
    assert Failures(19, NOON, free=FREE_FAILURES_PER_ADDRESS).retry_after(NOON) == 0
    assert Failures(20, NOON, free=FREE_FAILURES_PER_ADDRESS).retry_after(NOON) == 60


def test_failures_are_forgotten_fifteen_minutes_after_the_pause_ends():
    assert not Failures(4, NOON).forgotten(NOON + timedelta(minutes=14))
    assert Failures(4, NOON).forgotten(NOON + timedelta(minutes=15))
    assert not Failures(6, NOON).forgotten(NOON + timedelta(minutes=16))
    assert Failures(6, NOON).forgotten(NOON + timedelta(minutes=17))
