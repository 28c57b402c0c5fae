"""Use cases: look up a home-care voucher, and redeem it for a service provider."""

from __future__ import annotations

from datetime import date

from services.allowances.adapters.cycle_rules import rules_of
from services.allowances.domain.cycle import AllowanceCycle
from services.allowances.domain.programmes import HOME_CARE_VOUCHER, VoucherProgramme
from services.allowances.domain.roll import RollLine
from services.allowances.domain.stops import Stop, stop_of
from services.allowances.domain.vouchers import Redemption, Voucher, redeem
from services.allowances.service_layer.container import Allowances
from shared.clock import local_today
from shared.errors import Conflict, NotFound


def voucher_of(allowances: Allowances, line: RollLine) -> tuple[Voucher, int, Stop | None]:
    """The voucher a paid line of a voucher cycle is, its validity in months, and the
    elder's stop if any."""
    cycle = allowances.cycles.require(line.cycle_id)
    valid_months = valid_months_of(cycle)
    face_value = line.items[0].amount_fen
    voucher = Voucher(
        line.line_id,
        line.elder_id,
        line.community,
        line.month,
        face_value,
        cycle.state,
        allowances.redemptions.get(line.line_id),
    )
    elder = allowances.elders.get(line.elder_id)
    stop = stop_of(elder, allowances.programmes.get().stops) if elder else None
    return voucher, valid_months, stop


def valid_months_of(cycle: AllowanceCycle) -> int:
    """How many months the vouchers of a cycle may be redeemed in, by its frozen rules."""
    programme = rules_of(cycle.programme, cycle.rules).programme
    return programme.valid_months if isinstance(programme, VoucherProgramme) else 1


def find_voucher(allowances: Allowances, voucher_id: str) -> tuple[Voucher, int, Stop | None]:
    line = allowances.lines.get(voucher_id)
    if line is None or line.programme != HOME_CARE_VOUCHER or not line.eligible:
        raise NotFound(f"No voucher {voucher_id!r} was issued in this district.")
    return voucher_of(allowances, line)


def redeem_voucher(
    allowances: Allowances,
    voucher_id: str,
    elder_id: str,
    provider: str,
    service: str,
    served_on: date,
    by: str,
) -> Redemption:
    voucher, valid_months, stop = find_voucher(allowances, voucher_id)
    redemption = redeem(
        voucher,
        elder_id,
        provider,
        service,
        served_on,
        by,
        allowances.clock.now(),
        local_today(allowances.clock, allowances.settings.zone),
        valid_months,
        stop,
    )
    if not allowances.redemptions.add(redemption):  # redeemed meanwhile by another request
        raise Conflict(f"voucher {voucher_id} was already redeemed")
    return redemption
