"""Where an elder's money is paid: the payee account (收款账户), one per elder — a bank account
or the financial account of a social-security card (社保卡), the bank that keeps it, and the
holder's name (the elder, or a guardian who receives for them).

An account number is personal data: shown whole only to those who register and pay (allowance
officers, the district administrator), masked in every list and in the history of changes,
never put in an event or a log line."""

import re
from dataclasses import dataclass, replace
from datetime import datetime

from shared.errors import Conflict, RuleViolation
from shared.personal import mask_account

BANK_ACCOUNT, SOCIAL_SECURITY_CARD = "bank_account", "social_security_card"
KINDS = (BANK_ACCOUNT, SOCIAL_SECURITY_CARD)
SEPARATORS = re.compile(r"[\s-]+")
NUMBER_RULES = {
    # a bank card or passbook account: digits only
    BANK_ACCOUNT: (re.compile(r"^\d{10,30}$"), "10 to 30 digits"),
    # a social-security card's number or its financial account: letters and digits
    SOCIAL_SECURITY_CARD: (re.compile(r"^[0-9A-Z]{9,30}$"), "9 to 30 letters and digits"),
}


@dataclass(frozen=True)
class PayeeAccount:
    account_id: str  # one account per elder: the elder's id
    elder_id: str  # kept as a field too, so that the elder's audit trail finds its changes
    kind: str  # bank_account or social_security_card
    bank: str  # the bank that keeps the account (开户行)
    number: str
    holder: str  # the account holder's name (户名)
    registered_by: str
    registered_at: datetime
    version: int = 1

    def masked(self) -> "PayeeAccount":
        return replace(self, number=mask_account(self.number) or "")


def register_account(
    current: PayeeAccount | None,
    version: int,
    elder_id: str,
    kind: str,
    bank: str,
    number: str,
    holder: str,
    by: str,
    at: datetime,
) -> PayeeAccount:
    """The account to pay the elder into from now on; `version` is the one the officer read
    (0 when there was none), so that two officers cannot overwrite each other unseen."""
    seen = current.version if current else 0
    if version != seen:
        raise Conflict(
            f"the payee account of {elder_id} is at version {seen}, not {version}; reload it",
            current_version=seen,
        )
    if kind not in KINDS:
        raise RuleViolation(f"kind must be one of {', '.join(KINDS)}", field="kind")
    pattern, shape = NUMBER_RULES[kind]
    number = SEPARATORS.sub("", number).upper()
    if not pattern.match(number):  # the number itself is never echoed back
        raise RuleViolation(f"a {kind} number is {shape}", field="number")
    if not bank.strip():
        raise RuleViolation("name the bank that keeps the account", field="bank")
    if not holder.strip():
        raise RuleViolation("name the account holder", field="holder")
    return PayeeAccount(
        elder_id, elder_id, kind, bank.strip(), number, holder.strip(), by, at, version=seen + 1
    )
