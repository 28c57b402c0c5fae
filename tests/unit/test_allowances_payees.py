"""Payee accounts and the payment order: every payment into a registered account, every line
that cannot be paid an exception with its reason, and account numbers masked where not needed."""

import csv
import io
from datetime import UTC, date, datetime

import pytest

from services.allowances.adapters.payment_files import payment_csv
from services.allowances.domain.elder import Elder
from services.allowances.domain.payees import register_account
from services.allowances.domain.payment_orders import payment_order
from services.allowances.domain.programmes import HighAgeProgramme
from services.allowances.domain.roll import LineItem, roll_line
from shared.errors import Conflict, RuleViolation
from shared.logs import mask
from shared.personal import mask_account

AT = datetime(2026, 11, 20, 2, tzinfo=UTC)
CARD = "6222 0212 3456 7890 123"


def account(elder_id="e-1", number=CARD, kind="bank_account", current=None, version=0):
    return register_account(
        current, version, elder_id, kind, " 工商银行新华路支行 ", number, "王秀英", "officer", AT
    )


def test_an_account_is_registered_clean_and_changed_only_from_the_version_read():
    first = account()
    assert (first.number, first.bank, first.version) == (
        "6222021234567890123",
        "工商银行新华路支行",
        1,
    )
    with pytest.raises(Conflict, match="at version 1, not 0"):
        account(current=first, version=0)
    second = account(number="a12345678", kind="social_security_card", current=first, version=1)
    assert (second.kind, second.number, second.version) == ("social_security_card", "A12345678", 2)


@pytest.mark.parametrize(
    ("kind", "number", "shape"),
    [
        ("bank_account", "12345", "10 to 30 digits"),
        ("bank_account", "62220212345678901X", "10 to 30 digits"),
        ("social_security_card", "A1234", "9 to 30 letters and digits"),
    ],
)
def test_a_number_of_the_wrong_shape_is_refused_without_repeating_it(kind, number, shape):
    with pytest.raises(RuleViolation, match=shape) as refused:
        account(number=number, kind=kind)
    assert number not in refused.value.detail


def test_account_numbers_are_masked_for_lists_and_logs():
    assert mask_account("6222021234567890123") == "6222***********0123"
    assert mask_account("A12345678") == "*****5678"
    assert account().masked().number == "6222***********0123"
    text = mask("paid into 6222021234567890123 and 6217000010001234, phone 13800138000")
    assert text == "paid into 6222***********0123 and 6217********1234, phone 138****8000"


def line(elder_id: str, *extra: LineItem):
    elder = Elder(elder_id, "王秀英", date(1940, 1, 1), "c01", 1)
    assessed = HighAgeProgramme().assess(elder, "2026-11", "month_after")
    return roll_line("high_age:2026-11", "high_age", "2026-11", elder, assessed, extra)


def test_the_order_pays_registered_accounts_and_lists_every_other_line_as_an_exception():
    legacy = LineItem("overpayment.recovery", "2026-10", -30_000, "old recovery", "o-1")
    under_age = Elder("e-young", "李强", date(1960, 1, 1), "c01", 1)
    lines = [
        line("e-1"),
        line("e-2"),
        line("e-3", legacy),
        roll_line(
            "high_age:2026-11",
            "high_age",
            "2026-11",
            under_age,
            HighAgeProgramme().assess(under_age, "2026-11", "month_after"),
        ),
    ]
    order = payment_order("high_age:2026-11", "high_age 2026-11", lines, {"e-1": account()})
    assert [(p.elder_id, p.amount_fen, p.number) for p in order.payments] == [
        ("e-1", 10_000, "6222021234567890123")
    ]
    assert [(e.elder_id, e.reason, e.amount_fen) for e in order.exceptions] == [
        ("e-2", "no_account", 10_000),
        ("e-3", "negative_amount", -20_000),
    ]
    assert order.exceptions[0].detail.startswith(
        "no payee account registered: 100.00 yuan withheld, not paid; register the account"
    )
    assert (order.total_fen, order.withheld_fen) == (10_000, 10_000)

    rows = list(csv.reader(io.StringIO(payment_csv(order).decode("utf-8-sig"))))
    assert rows[0][:7] == [
        "no",
        "account_type",
        "account_number",
        "account_holder",
        "bank",
        "amount_fen",
        "amount_yuan",
    ]
    assert rows[1][:9] == [
        "1",
        "bank_account",
        "6222021234567890123",
        "王秀英",
        "工商银行新华路支行",
        "10000",
        "100.00",
        "high_age 2026-11",
        "high_age:2026-11:e-1",
    ]
    assert rows[2][:7] == ["total payments", "1", "", "", "", "10000", "100.00"]
    assert len(rows) == 3  # no row for anyone the bank cannot pay
