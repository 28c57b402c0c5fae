"""Home-care service vouchers (居家养老代金券): an approved voucher cycle's paid lines are the
vouchers issued for its month. A service provider redeems one for the elder it was issued to,
once, for a service delivered on a day within the voucher's validity and while the elder was
alive and in the district; it is void from the month payment stops and expires after the
district's validity. Vouchers are never cash: a voucher cycle has no payment file."""

from dataclasses import dataclass
from datetime import date, datetime

from services.allowances.domain.cycle import ISSUED
from services.allowances.domain.stops import DECEASED, Stop
from shared.errors import Conflict, RuleViolation
from shared.months import add_months, month_of

NOT_ISSUED, ISSUED_STATUS, REDEEMED, VOID, EXPIRED = (
    "not_issued",
    "issued",
    "redeemed",
    "void",
    "expired",
)


@dataclass(frozen=True)
class Redemption:
    voucher_id: str
    elder_id: str
    provider: str
    service: str
    amount_fen: int
    redeemed_on: date
    recorded_by: str
    recorded_at: datetime
    served_on: date | None = (
        None  # the day the service was delivered (None: recorded before it was asked)
    )


@dataclass(frozen=True)
class Voucher:
    voucher_id: str
    elder_id: str
    community: str
    month: str
    amount_fen: int
    cycle_state: str
    redemption: Redemption | None = None

    def last_month(self, valid_months: int) -> str:
        return add_months(self.month, valid_months - 1)

    def status(self, today: date, valid_months: int, stop: Stop | None) -> str:
        if self.redemption is not None:
            return REDEEMED
        if self.cycle_state not in ISSUED:
            return NOT_ISSUED
        if stop is not None and self.month >= stop.from_month:
            return VOID
        if month_of(today) > self.last_month(valid_months):
            return EXPIRED
        return ISSUED_STATUS


def redeem(
    voucher: Voucher,
    elder_id: str,
    provider: str,
    service: str,
    served_on: date,
    by: str,
    at: datetime,
    today: date,
    valid_months: int,
    stop: Stop | None,
) -> Redemption:
    """A provider's claim for a service delivered to `elder_id` on `served_on` with this
    voucher."""
    if voucher.elder_id != elder_id:
        raise RuleViolation(
            f"voucher {voucher.voucher_id} was issued to another elder, not to {elder_id}",
            field="elder_id",
        )
    status = voucher.status(today, valid_months, stop)
    if status == REDEEMED and voucher.redemption is not None:
        raise Conflict(
            f"voucher {voucher.voucher_id} was already redeemed on "
            f"{voucher.redemption.redeemed_on} by {voucher.redemption.provider}",
            redeemed_on=voucher.redemption.redeemed_on.isoformat(),
        )
    if status == NOT_ISSUED:
        raise Conflict(f"voucher {voucher.voucher_id} is not issued: its cycle is not approved")
    if status == VOID and stop is not None:
        raise RuleViolation(f"voucher {voucher.voucher_id} is void: the elder {stop.describe()}")
    if status == EXPIRED:
        raise RuleViolation(
            f"voucher {voucher.voucher_id} expired after {voucher.last_month(valid_months)}"
        )
    if voucher.month > month_of(today):
        raise RuleViolation(f"voucher {voucher.voucher_id} is for {voucher.month}, not yet")
    if not provider.strip() or not service.strip():
        raise RuleViolation("name the provider and the service delivered", field="provider")
    _check_service_day(voucher, served_on, today, valid_months, stop)
    return Redemption(
        voucher.voucher_id,
        elder_id,
        provider.strip(),
        service.strip(),
        voucher.amount_fen,
        today,
        by,
        at,
        served_on,
    )


def _check_service_day(
    voucher: Voucher, served_on: date, today: date, valid_months: int, stop: Stop | None
) -> None:
    """The service was delivered, within the voucher's months, to an elder then alive and
    living in the district."""
    if served_on > today:
        raise RuleViolation(
            f"served_on {served_on} is in the future; record a service once delivered",
            field="served_on",
        )
    month = month_of(served_on)
    if not voucher.month <= month <= voucher.last_month(valid_months):
        raise RuleViolation(
            f"voucher {voucher.voucher_id} pays for services from {voucher.month} through "
            f"{voucher.last_month(valid_months)}, not one on {served_on}",
            field="served_on",
        )
    if stop is not None and served_on > stop.on:
        what = "died" if stop.cause == DECEASED else "moved out of the district"
        raise RuleViolation(
            f"the elder {what} on {stop.on}: no service on {served_on} can be paid with a voucher",
            field="served_on",
            stop_on=stop.on.isoformat(),
        )
