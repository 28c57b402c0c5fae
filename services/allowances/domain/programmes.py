"""The district's programmes and what each pays an elder for a month.

The default amounts are examples only: each district sets its own (PUT /programmes/...).
The home-care voucher default of 60 yuan is the figure in the field reports.
"""

from dataclasses import dataclass, field
from datetime import date

from services.allowances.domain.elder import Elder
from services.allowances.domain.high_age import (
    BAND_NAMES,
    BANDS,
    MONTH_AFTER,
    START_RULES,
    band_in_month,
    first_month,
)
from services.allowances.domain.money import check_fen, yuan
from services.allowances.domain.roll import Assessment, Concerned, LineItem
from services.allowances.domain.stops import (
    MOVED_OUT,
    STOP_RULES,
    away_in,
    closed_without_date,
    stop_of,
)
from shared.ages import age_on, born_by
from shared.errors import NotFound, RuleViolation
from shared.months import month_of
from shared.reminders import ReminderRules

HIGH_AGE = "high_age"
HOME_CARE_VOUCHER = "home_care_voucher"
FESTIVAL = "festival"
MONTHLY = (HIGH_AGE, HOME_CARE_VOUCHER)
RECOVERABLE = (HIGH_AGE,)  # cash paid monthly: months paid after a stop are recovered
NOT_CASH = (HOME_CARE_VOUCHER,)  # issued as vouchers that providers redeem; never paid out


def pays_cash(code: str) -> bool:
    """Whether the programme's cycles pay money into accounts (the high-age allowance and
    festival gifts) rather than issue vouchers."""
    return code not in NOT_CASH


@dataclass(frozen=True)
class BandAmount:
    band: str
    amount_fen: int


DEFAULT_BAND_AMOUNTS = (
    BandAmount("80-89", 10_000),
    BandAmount("90-99", 30_000),
    BandAmount("100+", 60_000),
)


def _closed_or_stopped(elder: Elder, month: str, stops: str) -> Assessment | None:
    closed = closed_without_date(elder)
    if closed:
        return Assessment.excluded(closed, f"record closed: {closed}")
    stop = stop_of(elder, stops)
    if stop and month >= stop.from_month:
        return Assessment.excluded(stop.cause, stop.describe())
    away = away_in(elder, month, stops)
    if away:
        detail = f"lived outside the district from {away.moved_out_on} to {away.returned_on}"
        return Assessment.excluded(MOVED_OUT, detail)
    return None


@dataclass(frozen=True)
class HighAgeProgramme:
    amounts: tuple[BandAmount, ...] = DEFAULT_BAND_AMOUNTS
    starts: str = MONTH_AFTER  # or birthday_month

    code = HIGH_AGE
    back_pay = True

    def __post_init__(self) -> None:
        if self.starts not in START_RULES:
            raise RuleViolation(f"starts must be one of {', '.join(START_RULES)}", field="starts")
        if sorted(a.band for a in self.amounts) != sorted(BAND_NAMES):
            raise RuleViolation(
                f"give one amount for each band: {', '.join(BAND_NAMES)}", field="amounts"
            )
        for amount in self.amounts:
            check_fen(amount.amount_fen, "amount_fen")

    def amount(self, band: str) -> int:
        return next(a.amount_fen for a in self.amounts if a.band == band)

    def concerns(self, month: str) -> Concerned:
        """Those in a band this month, and those entering the first one in it (paid from the
        next month where bands start the month after)."""
        return Concerned(born_by=born_by(month, BANDS[0].min_age))

    def assess(self, elder: Elder, month: str, stops: str) -> Assessment:
        stopped = _closed_or_stopped(elder, month, stops)
        if stopped:
            return stopped
        band = band_in_month(elder.birth_date, month, self.starts)
        if band is None:
            starts = first_month(elder.birth_date, BANDS[0], self.starts)
            return Assessment.excluded("under_age", f"born {elder.birth_date}; paid from {starts}")
        amount = self.amount(band.name)
        since = first_month(elder.birth_date, band, self.starts)
        detail = (
            f"band {band.name} (born {elder.birth_date}, in this band from {since}): "
            f"{yuan(amount)} yuan a month"
        )
        item = LineItem(f"high_age.band.{band.name}", month, amount, detail)
        return Assessment.paid(item, band.name)


@dataclass(frozen=True)
class VoucherProgramme:
    """Home-care service vouchers (居家养老代金券): one a month per enrolled elder."""

    amount_fen: int = 6_000
    valid_months: int = 3  # redeemable in its month and the months after, this many in all

    code = HOME_CARE_VOUCHER
    back_pay = False

    def __post_init__(self) -> None:
        check_fen(self.amount_fen, "amount_fen")
        if not 1 <= self.valid_months <= 24:
            raise RuleViolation("valid_months must be from 1 to 24", field="valid_months")

    def concerns(self, month: str) -> Concerned:
        return Concerned(home_care=True)

    def assess(self, elder: Elder, month: str, stops: str) -> Assessment:
        stopped = _closed_or_stopped(elder, month, stops)
        if stopped:
            return stopped
        if not elder.home_care:
            return Assessment.excluded("not_enrolled", "not an enrolled home-care household")
        detail = f"home-care voucher for {month}: {yuan(self.amount_fen)} yuan"
        item = LineItem("home_care_voucher.monthly", month, self.amount_fen, detail)
        return Assessment.paid(item)


@dataclass(frozen=True)
class Target:
    """Who a festival campaign is for; None means either."""

    low_income: bool | None = True
    home_care: bool | None = None
    min_age: int = 60
    communities: tuple[str, ...] = ()  # empty: every community

    def misses(self, elder: Elder) -> str | None:
        if self.communities and elder.community not in self.communities:
            return "not in the campaign's communities"
        if self.low_income is not None and elder.low_income != self.low_income:
            return "low-income (低保) only" if self.low_income else "not for low-income elders"
        if self.home_care is not None and elder.home_care != self.home_care:
            return "home-care households only" if self.home_care else "not for home-care households"
        return None


@dataclass(frozen=True)
class FestivalCampaign:
    """A one-off festival gift (e.g. Spring Festival, Double Ninth) to a target group."""

    campaign_id: str
    name: str
    festival_on: date
    amount_fen: int
    target: Target = field(default_factory=Target)

    back_pay = False

    def __post_init__(self) -> None:
        check_fen(self.amount_fen, "amount_fen")

    @property
    def code(self) -> str:
        return f"{FESTIVAL}:{self.campaign_id}"

    @property
    def month(self) -> str:
        return month_of(self.festival_on)

    def concerns(self, month: str) -> Concerned:
        """Those of the target's age by the festival's month, with its flags."""
        return Concerned(
            born_by=born_by(self.month, self.target.min_age),
            home_care=self.target.home_care,
            low_income=self.target.low_income,
        )

    def assess(self, elder: Elder, month: str, stops: str) -> Assessment:
        closed = closed_without_date(elder)
        if closed:
            return Assessment.excluded(closed, f"record closed: {closed}")
        stop = stop_of(elder, stops)
        if stop and stop.on < self.festival_on:
            detail = f"{stop.cause} on {stop.on}, before the festival"
            return Assessment.excluded(stop.cause, detail)
        away = next(
            (a for a in elder.absences if a.moved_out_on < self.festival_on < a.returned_on), None
        )
        if away:
            detail = f"lived outside the district from {away.moved_out_on} to {away.returned_on}"
            return Assessment.excluded(MOVED_OUT, detail)
        if age_on(elder.birth_date, self.festival_on) < self.target.min_age:
            detail = f"under {self.target.min_age} on {self.festival_on}"
            return Assessment.excluded("under_age", detail)
        missed = self.target.misses(elder)
        if missed:
            return Assessment.excluded("not_targeted", missed)
        detail = f"{self.name} gift: {yuan(self.amount_fen)} yuan"
        return Assessment.paid(LineItem("festival.gift", month, self.amount_fen, detail))


Programme = HighAgeProgramme | VoucherProgramme | FestivalCampaign


@dataclass(frozen=True)
class CycleRules:
    """What a cycle pays by, fixed when it opens: the programme's configuration then, and the
    district's stop rule."""

    programme: Programme
    stops: str


@dataclass(frozen=True)
class Programmes:
    """The district's configuration of allowances."""

    high_age: HighAgeProgramme = field(default_factory=HighAgeProgramme)
    home_care_voucher: VoucherProgramme = field(default_factory=VoucherProgramme)
    stops: str = "month_after"  # or event_month: see stops.py
    report_due_day: int = 25  # the monthly roll and report are due by this day of the month
    reminders: ReminderRules = field(default_factory=ReminderRules)  # of cycles due and late
    version: int = 0

    def __post_init__(self) -> None:
        if self.stops not in STOP_RULES:
            raise RuleViolation(f"stops must be one of {', '.join(STOP_RULES)}", field="stops")
        if not 1 <= self.report_due_day <= 31:
            raise RuleViolation("report_due_day must be from 1 to 31", field="report_due_day")

    def monthly(self, code: str) -> HighAgeProgramme | VoucherProgramme:
        if code == HIGH_AGE:
            return self.high_age
        if code == HOME_CARE_VOUCHER:
            return self.home_care_voucher
        raise NotFound(
            f"no programme {code!r}; the programmes are {HIGH_AGE}, {HOME_CARE_VOUCHER} "
            f"and {FESTIVAL}:<campaign id>",
            field="programme",
        )


def campaign_id_of(code: str) -> str | None:
    prefix = f"{FESTIVAL}:"
    return code.removeprefix(prefix) if code.startswith(prefix) else None
