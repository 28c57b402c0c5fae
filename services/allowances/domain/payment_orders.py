"""The payment order a bank is given for a cycle: one payment per line that pays money, into the
elder's registered payee account, with its totals. A line that cannot be paid is never sent to
nobody: it is an exception with its reason, withheld from the file and listed beside it.

The order is fixed when the cycle is exported, so that the file downloaded again is the same
bytes even if an account changes afterwards."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from services.allowances.domain.money import yuan
from services.allowances.domain.payees import PayeeAccount
from services.allowances.domain.roll import RollLine

NO_ACCOUNT = "no_account"
NEGATIVE = "negative_amount"  # a recovery line frozen before recoveries became receivables


@dataclass(frozen=True)
class Payment:
    line_id: str  # the payment's reference
    elder_id: str
    name: str
    community: str
    amount_fen: int
    kind: str  # of account
    number: str
    holder: str
    bank: str


@dataclass(frozen=True)
class PaymentException:
    line_id: str
    elder_id: str
    name: str
    community: str
    amount_fen: int
    reason: str
    detail: str


@dataclass(frozen=True)
class PaymentOrder:
    cycle_id: str
    purpose: str  # what the bank shows the payee, e.g. "high_age 2026-09"
    payments: tuple[Payment, ...]
    exceptions: tuple[PaymentException, ...]

    @property
    def total_fen(self) -> int:
        return sum(p.amount_fen for p in self.payments)

    @property
    def withheld_fen(self) -> int:
        """Owed but not in the file: the positive amounts of the exceptions."""
        return sum(e.amount_fen for e in self.exceptions if e.amount_fen > 0)

    def of_community(self, community: str) -> "PaymentOrder":
        """The part of the order paying one community's elders (to check, not to send)."""
        return replace(
            self,
            payments=tuple(p for p in self.payments if p.community == community),
            exceptions=tuple(e for e in self.exceptions if e.community == community),
        )


def payment_order(
    cycle_id: str, purpose: str, lines: Iterable[RollLine], accounts: Mapping[str, PayeeAccount]
) -> PaymentOrder:
    """Every line with money to pay goes to the elder's account, or is an exception."""
    payments, exceptions = [], []
    for line in lines:
        amount = line.amount_fen
        if amount == 0:
            continue
        if amount < 0:
            detail = f"{yuan(-amount)} yuan to recover cannot be paid by a bank; settle it by hand"
            exceptions.append(_exception(line, NEGATIVE, detail))
            continue
        account = accounts.get(line.elder_id)
        if account is None:
            detail = (
                f"no payee account registered: {yuan(amount)} yuan withheld, not paid; "
                "register the account, then pay it by an adjustment in a later cycle "
                "(a festival gift: by hand)"
            )
            exceptions.append(_exception(line, NO_ACCOUNT, detail))
            continue
        payments.append(
            Payment(
                line.line_id,
                line.elder_id,
                line.name,
                line.community,
                amount,
                account.kind,
                account.number,
                account.holder,
                account.bank,
            )
        )
    return PaymentOrder(cycle_id, purpose, tuple(payments), tuple(exceptions))


def _exception(line: RollLine, reason: str, detail: str) -> PaymentException:
    return PaymentException(
        line.line_id, line.elder_id, line.name, line.community, line.amount_fen, reason, detail
    )
