"""The HTTP contract of allowances: request and response bodies. Every amount is a whole
number of fen (1/100 yuan); a float, text or a boolean is refused with 422, never rounded."""

from typing import Any

from marshmallow import Schema, ValidationError, fields, post_load, validate

from services.allowances.domain.cycle import STATES
from services.allowances.domain.high_age import BAND_NAMES, START_RULES
from services.allowances.domain.money import MAX_FEN, yuan
from services.allowances.domain.overpayments import OUTCOMES
from services.allowances.domain.payees import KINDS
from services.allowances.domain.programmes import HIGH_AGE, BandAmount, Target
from services.allowances.domain.stops import STOP_RULES
from shared.months import MONTH_PATTERN
from shared.web.files import YearSummarySchema
from shared.web.pagination import MAX_PAGE, MAX_PAGE_SIZE, PageArgs
from shared.web.reminders import ReminderRulesSchema, ReminderRulesShownSchema

TEXT = validate.Length(min=1, max=200)
SLUG = validate.Regexp(r"^[a-z0-9][a-z0-9-]{1,63}$", error="lower-case letters, digits and -")


class Fen(fields.Integer):
    """A whole number of fen, at most MAX_FEN either way."""

    def __init__(self, signed: bool = False, **kwargs: Any) -> None:
        description = f"fen (1/100 yuan), a whole number, at most {MAX_FEN}" + (
            "; negative to recover" if signed else ""
        )
        kwargs.setdefault("metadata", {"description": description})
        kwargs.setdefault(
            "validate",
            validate.Range(
                min=-MAX_FEN if signed else 0,
                max=MAX_FEN,
                error=f"Must be from {{min}} to {{max}} fen ({yuan(MAX_FEN)} yuan at most).",
            ),
        )
        super().__init__(strict=True, **kwargs)

    def _validated(self, value: Any) -> int:
        if isinstance(value, bool):
            raise ValidationError("Not a whole number of fen.")
        return super()._validated(value)


def month_field(**kwargs: Any) -> fields.String:
    metadata = {"example": "2026-11", **kwargs.pop("metadata", {})}
    return fields.String(
        validate=validate.Regexp(MONTH_PATTERN, error="Not a month (YYYY-MM)."),
        metadata=metadata,
        **kwargs,
    )


# Programmes


class BandAmountSchema(Schema):
    band = fields.String(required=True, validate=validate.OneOf(BAND_NAMES))
    amount_fen = Fen(required=True)

    @post_load
    def make(self, data: dict[str, Any], **_: object) -> BandAmount:
        return BandAmount(**data)


class HighAgeSchema(Schema):
    amounts = fields.List(fields.Nested(BandAmountSchema), required=True)
    starts = fields.String(
        required=True,
        validate=validate.OneOf(START_RULES),
        metadata={
            "description": "birthday_month: paid (and a new band paid) from the month the "
            "elder reaches the age; month_after: from the month after"
        },
    )


class VoucherProgrammeSchema(Schema):
    amount_fen = Fen(required=True)
    valid_months = fields.Integer(
        strict=True,
        load_default=3,
        validate=validate.Range(min=1, max=24),
        metadata={"description": "A voucher is redeemable in its month and after: months in all"},
    )


class ScheduleSchema(Schema):
    stops = fields.String(
        required=True,
        validate=validate.OneOf(STOP_RULES),
        metadata={
            "description": "month_after: paid through the month of a death or move out; "
            "event_month: not paid for that month"
        },
    )
    report_due_day = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=1, max=31),
        metadata={"description": "The monthly roll and report are due by this day"},
    )


VERSION = validate.Range(min=0, max=2**31 - 1)


class Versioned(Schema):
    version = fields.Integer(
        required=True,
        strict=True,
        validate=VERSION,
        metadata={"description": "The configuration version you read (0 for the defaults)"},
    )


class HighAgeUpdateSchema(HighAgeSchema, Versioned):
    pass


class VoucherUpdateSchema(VoucherProgrammeSchema, Versioned):
    pass


class ScheduleUpdateSchema(ScheduleSchema, Versioned):
    pass


class RemindersUpdateSchema(ReminderRulesSchema, Versioned):
    pass


class ProgrammesSchema(ScheduleSchema):
    high_age = fields.Nested(HighAgeSchema)
    home_care_voucher = fields.Nested(VoucherProgrammeSchema)
    reminders = fields.Nested(ReminderRulesShownSchema)
    version = fields.Integer()
    configured = fields.Boolean(
        metadata={
            "description": "false: the amounts are the product's examples; the district has "
            "not set its own yet"
        }
    )


class TargetSchema(Schema):
    low_income = fields.Boolean(
        load_default=True, allow_none=True, metadata={"description": "null: either"}
    )
    home_care = fields.Boolean(
        load_default=None, allow_none=True, metadata={"description": "null: either"}
    )
    min_age = fields.Integer(strict=True, load_default=60, validate=validate.Range(min=60, max=120))
    communities = fields.List(
        fields.String(validate=TEXT), load_default=list, metadata={"description": "empty: all"}
    )

    @post_load
    def make(self, data: dict[str, Any], **_: object) -> Target:
        return Target(**{**data, "communities": tuple(data["communities"])})


class CampaignSchema(Schema):
    campaign_id = fields.String(required=True, validate=SLUG, metadata={"example": "spring-2027"})
    name = fields.String(required=True, validate=TEXT, metadata={"example": "2027 春节慰问"})
    festival_on = fields.Date(required=True)
    amount_fen = Fen(required=True)
    target = fields.Nested(TargetSchema, load_default=Target)
    programme = fields.String(dump_only=True, metadata={"description": "festival:<campaign_id>"})


class CampaignListArgs(PageArgs):
    pass


# Cycles and rolls


class OpenCycleSchema(Schema):
    programme = fields.String(
        required=True,
        validate=TEXT,
        metadata={"description": "high_age, home_care_voucher, or festival:<campaign id>"},
    )
    month = month_field(load_default=None, metadata={"description": "Not needed for a festival"})


class ReviewSchema(Schema):
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class PaidSchema(Schema):
    paid_on = fields.Date(required=True)


class RuleTotalSchema(Schema):
    rule = fields.String()
    items = fields.Integer()
    amount_fen = fields.Integer()


class ReasonCountSchema(Schema):
    reason = fields.String()
    lines = fields.Integer()


class TotalsSchema(Schema):
    lines = fields.Integer()
    eligible = fields.Integer()
    excluded = fields.List(fields.Nested(ReasonCountSchema))
    by_rule = fields.List(fields.Nested(RuleTotalSchema))
    payees = fields.Integer()
    payable_fen = fields.Integer()
    debtors = fields.Integer()
    to_recover_fen = fields.Integer()
    net_fen = fields.Integer()
    reconciles = fields.Boolean(
        metadata={"description": "items by rule = net = payable - to recover; lines counted"}
    )


class CycleSchema(Schema):
    cycle_id = fields.String()
    programme = fields.String()
    month = fields.String()
    state = fields.String(metadata={"description": " -> ".join(STATES)})
    version = fields.Integer()
    opened_by = fields.String(metadata={"description": "The preparer"})
    opened_at = fields.DateTime()
    due_on = fields.Date(metadata={"description": "The report is due by this day"})
    overdue = fields.Boolean(metadata={"description": "Not submitted and past due"})
    rules = fields.Dict(metadata={"description": "The configuration the roll was computed by"})
    totals = fields.Nested(TotalsSchema, allow_none=True)
    reviewed_by = fields.String(allow_none=True)
    reviewed_at = fields.DateTime(allow_none=True)
    submitted_on = fields.Date(allow_none=True)
    late = fields.Boolean(metadata={"description": "The report was submitted after due_on"})
    review_note = fields.String(allow_none=True)
    approved_by = fields.String(allow_none=True)
    approved_at = fields.DateTime(allow_none=True)
    exported_by = fields.String(allow_none=True)
    exported_at = fields.DateTime(allow_none=True)
    file_sha256 = fields.String(allow_none=True)
    paid_by = fields.String(allow_none=True)
    paid_at = fields.DateTime(allow_none=True)
    paid_on = fields.Date(allow_none=True)


class CycleListArgs(PageArgs):
    programme = fields.String()
    month = month_field()
    state = fields.String(validate=validate.OneOf(STATES))


class LineItemSchema(Schema):
    rule = fields.String(metadata={"description": "The rule that produced the amount"})
    month = fields.String(metadata={"description": "The month the amount is for"})
    amount_fen = fields.Integer()
    detail = fields.String()
    ref = fields.String(allow_none=True, metadata={"description": "Overpayment or adjustment"})


class RollLineSchema(Schema):
    line_id = fields.String(metadata={"description": "For vouchers, the voucher number"})
    cycle_id = fields.String()
    programme = fields.String()
    month = fields.String()
    elder_id = fields.String()
    name = fields.String()
    community = fields.String()
    eligible = fields.Boolean()
    reason = fields.String(allow_none=True, metadata={"description": "Why excluded"})
    detail = fields.String()
    band = fields.String(allow_none=True)
    items = fields.List(fields.Nested(LineItemSchema))
    amount_fen = fields.Integer(metadata={"description": "The sum of the items"})
    computed = fields.Boolean(
        metadata={
            "description": "In a statement: not on the cycle's roll, which lists only the "
            "elders its programme concerns; the reason is worked out now from the cycle's "
            "frozen rules"
        }
    )


class LineListArgs(PageArgs):
    eligible = fields.Boolean()
    reason = fields.String()
    community = fields.String()
    elder_id = fields.String()


class FileArgs(Schema):
    format = fields.String(load_default="csv", validate=validate.OneOf(("csv", "xlsx")))


# Corrections


class AdjustmentRequestSchema(Schema):
    programme = fields.String(load_default=HIGH_AGE)
    elder_id = fields.String(required=True, validate=TEXT)
    month = month_field(required=True, metadata={"description": "The month it corrects"})
    amount_fen = Fen(signed=True, required=True)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


class AdjustmentSchema(Schema):
    adjustment_id = fields.String()
    programme = fields.String()
    elder_id = fields.String()
    month = fields.String()
    amount_fen = fields.Integer()
    reason = fields.String()
    recorded_by = fields.String()
    recorded_at = fields.DateTime()
    status = fields.String(
        metadata={
            "description": "pending; applied once a cycle carried it; a deduction is "
            "recovering while only part of it has been deducted, and receivable when the "
            "elder died or left with some still to deduct (an overpayment collects it)"
        }
    )
    cycle_id = fields.String(allow_none=True, metadata={"description": "The last cycle"})
    cycle_ids = fields.List(
        fields.String(), metadata={"description": "Every cycle that carried it"}
    )
    deducted_fen = fields.Integer(metadata={"description": "Of a deduction: taken so far"})
    outstanding_fen = fields.Integer(
        metadata={"description": "Of a deduction: still to take from the next payments"}
    )
    rule = fields.String(
        metadata={
            "description": "adjustment.manual; overpayment.refund or high_age.correction when "
            "a revoked death or a corrected birth date owes them"
        }
    )


class CorrectionListArgs(PageArgs):
    elder_id = fields.String()
    programme = fields.String()
    status = fields.String()


class OverpaymentSchema(Schema):
    overpayment_id = fields.String()
    elder_id = fields.String()
    programme = fields.String()
    cause = fields.String()
    stop_on = fields.Date()
    from_month = fields.String()
    cycle_id = fields.String(metadata={"description": "The cycle that paid too much"})
    month = fields.String()
    months = fields.List(fields.String())
    amount_fen = fields.Integer()
    detail = fields.String()
    detected_at = fields.DateTime()
    status = fields.String(
        metadata={
            "description": "open (a receivable), proposed, then recovered or waived; "
            "recovering only in records from before receivables; cancelled if its cause "
            "was revoked"
        }
    )
    recovery_cycle_id = fields.String(allow_none=True, metadata={"description": "Older records"})
    outcome = fields.String(allow_none=True, metadata={"description": "recovered or waived"})
    receipt = fields.String(allow_none=True)
    received_on = fields.Date(allow_none=True)
    reason = fields.String(allow_none=True, metadata={"description": "Why waive it"})
    proposed_by = fields.String(allow_none=True)
    proposed_at = fields.DateTime(allow_none=True)
    decided_by = fields.String(allow_none=True, metadata={"description": "The approver"})
    decided_at = fields.DateTime(allow_none=True)
    decision_note = fields.String(allow_none=True, metadata={"description": "The approver's"})
    version = fields.Integer()


class ResolutionSchema(Schema):
    outcome = fields.String(
        required=True,
        validate=validate.OneOf(OUTCOMES),
        metadata={"description": "recovered: the money was collected; waived: it will not be"},
    )
    receipt = fields.String(
        load_default=None,
        validate=TEXT,
        metadata={"description": "recovered: the receipt of the money collected"},
    )
    received_on = fields.Date(
        load_default=None, metadata={"description": "recovered: the day the money came in"}
    )
    reason = fields.String(
        load_default=None,
        validate=validate.Length(min=1, max=500),
        metadata={"description": "waived: why it will not be collected"},
    )


class DecisionSchema(Schema):
    note = fields.String(
        load_default=None,
        validate=validate.Length(max=500),
        metadata={"description": "The approver's reason: required to waive or to reject"},
    )


# Vouchers


class RedeemSchema(Schema):
    elder_id = fields.String(required=True, validate=TEXT)
    provider = fields.String(required=True, validate=TEXT)
    service = fields.String(required=True, validate=TEXT, metadata={"example": "housekeeping"})
    served_on = fields.Date(
        required=True,
        metadata={
            "description": "The day the service was delivered: within the voucher's months, "
            "not after the elder's death or move out, not in the future"
        },
    )


class RedemptionSchema(Schema):
    voucher_id = fields.String()
    elder_id = fields.String()
    provider = fields.String()
    service = fields.String()
    amount_fen = fields.Integer()
    served_on = fields.Date(allow_none=True, metadata={"description": "The day of the service"})
    redeemed_on = fields.Date(metadata={"description": "The day the claim was recorded"})
    recorded_by = fields.String()
    recorded_at = fields.DateTime()


class VoucherSchema(Schema):
    voucher_id = fields.String()
    elder_id = fields.String()
    community = fields.String()
    month = fields.String()
    amount_fen = fields.Integer()
    status = fields.String(metadata={"description": "not_issued, issued, redeemed, void, expired"})
    valid_through = fields.String(metadata={"description": "The last month it can be redeemed"})
    redemption = fields.Nested(RedemptionSchema, allow_none=True)


class VoucherListArgs(PageArgs):
    month = month_field()
    elder_id = fields.String()
    community = fields.String()


# Elders, statements and the roster


class HighAgeAllowanceSchema(Schema):
    eligible = fields.Boolean()
    band = fields.String(allow_none=True, metadata={"description": "80-89, 90-99 or 100+"})
    age = fields.Integer()
    as_of = fields.Date(metadata={"description": "The district's today"})


class ElderSchema(Schema):
    elder_id = fields.String()
    name = fields.String()
    birth_date = fields.Date()
    community = fields.String()
    status = fields.String()
    low_income = fields.Boolean()
    home_care = fields.Boolean()
    died_on = fields.Date(allow_none=True)
    moved_out_on = fields.Date(allow_none=True)
    version = fields.Integer()
    high_age_allowance = fields.Nested(HighAgeAllowanceSchema)


class ElderListArgs(PageArgs):
    community = fields.String()


class EntitlementSchema(Schema):
    programme = fields.String()
    status = fields.String()
    band = fields.String(allow_none=True)
    amount_fen = fields.Integer()
    as_of = fields.String()
    reason = fields.String(allow_none=True)
    cycle_id = fields.String(allow_none=True)
    version = fields.Integer()


class StatementSchema(Schema):
    elder = fields.Nested(ElderSchema)
    entitlements = fields.List(fields.Nested(EntitlementSchema))
    lines = fields.List(fields.Nested(RollLineSchema))
    overpayments = fields.List(fields.Nested(OverpaymentSchema))
    adjustments = fields.List(fields.Nested(AdjustmentSchema))
    vouchers = fields.List(fields.Nested(VoucherSchema))


class RosterArgs(Schema):
    format = fields.String(load_default="json", validate=validate.OneOf(("json", "xlsx")))
    community = fields.String(
        metadata={"description": "one community's entries (a community's own user sees theirs)"}
    )
    page = fields.Integer(
        load_default=1,
        validate=validate.Range(min=1, max=MAX_PAGE),
        metadata={"description": "the page of `aged_90_plus` shown, with `page_size`"},
    )
    page_size = fields.Integer(
        validate=validate.Range(min=1, max=MAX_PAGE_SIZE),
        metadata={
            "description": "show `aged_90_plus` a page of this many at a time (its total is in "
            "`counts`); without it, whole. The month's changes are always whole, and so is the "
            "workbook"
        },
    )


class RosterEntrySchema(Schema):
    elder_id = fields.String()
    name = fields.String()
    community = fields.String()
    birth_date = fields.Date()
    age = fields.Integer()
    turned_90_on = fields.Date(allow_none=True)
    died_on = fields.Date(allow_none=True)
    moved_out_on = fields.Date(allow_none=True)


class RosterSchema(Schema):
    month = fields.String()
    counts = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "each list's whole length, whatever the page shown"},
    )
    page = fields.Integer(metadata={"description": "with `page_size`: the page of aged_90_plus"})
    page_size = fields.Integer()
    by_community = fields.Dict(keys=fields.String(), values=fields.Dict())
    aged_90_plus = fields.List(fields.Nested(RosterEntrySchema))
    turned_90 = fields.List(fields.Nested(RosterEntrySchema))
    died = fields.List(fields.Nested(RosterEntrySchema))
    moved_out = fields.List(fields.Nested(RosterEntrySchema))


# Payee accounts and payment exceptions


class PayeeAccountRequestSchema(Schema):
    version = fields.Integer(
        required=True,
        strict=True,
        validate=VERSION,
        metadata={"description": "The account's version you read (0 when none is registered)"},
    )
    kind = fields.String(
        required=True,
        validate=validate.OneOf(KINDS),
        metadata={"description": "bank_account, or social_security_card (社保卡)"},
    )
    bank = fields.String(
        required=True, validate=TEXT, metadata={"example": "中国工商银行新华路支行"}
    )
    number = fields.String(
        required=True,
        validate=validate.Length(min=1, max=40),
        metadata={"description": "Spaces and dashes are dropped", "example": "6222021234567890123"},
    )
    holder = fields.String(
        required=True,
        validate=TEXT,
        metadata={"description": "The account holder's name (户名): the elder or a guardian"},
    )


class PayeeAccountSchema(Schema):
    elder_id = fields.String()
    kind = fields.String()
    bank = fields.String()
    number = fields.String(
        metadata={"description": "In full to allowance officers on one account; else masked"}
    )
    holder = fields.String()
    registered_by = fields.String()
    registered_at = fields.DateTime()
    version = fields.Integer()


class PayeeListArgs(PageArgs):
    elder_id = fields.String()


class PaymentExceptionSchema(Schema):
    line_id = fields.String()
    elder_id = fields.String()
    name = fields.String()
    community = fields.String()
    amount_fen = fields.Integer()
    reason = fields.String(metadata={"description": "no_account, negative_amount"})
    detail = fields.String()


class PaymentExceptionsSchema(Schema):
    cycle_id = fields.String()
    fixed = fields.Boolean(
        metadata={"description": "true: as exported; false: a preview with today's accounts"}
    )
    payments = fields.Integer(metadata={"description": "Payments the file holds"})
    file_amount_fen = fields.Integer()
    withheld_fen = fields.Integer(metadata={"description": "Owed by the exceptions"})
    exceptions = fields.List(fields.Nested(PaymentExceptionSchema))


# The office's reports


class BandFiguresSchema(Schema):
    band = fields.String()
    payees = fields.Integer()
    amount_fen = fields.Integer()


class StopCountSchema(Schema):
    cause = fields.String()
    elders = fields.Integer()


class CommunityFiguresSchema(Schema):
    community = fields.String(metadata={"description": "empty for the district's row"})
    newly_eligible = fields.Integer(
        allow_none=True,
        metadata={"description": "paid this month, not the month before; null: no roll before"},
    )
    payees = fields.Integer()
    bands = fields.List(fields.Nested(BandFiguresSchema))
    stopped = fields.Integer(metadata={"description": "paid the month before, not this month"})
    stops = fields.List(fields.Nested(StopCountSchema))
    owed_fen = fields.Integer(metadata={"description": "what the roll pays: in_file + withheld"})
    in_file_fen = fields.Integer(metadata={"description": "what the payment order pays"})
    withheld_fen = fields.Integer(metadata={"description": "withheld: no payee account"})
    to_recover_fen = fields.Integer(metadata={"description": "negative lines, settled by hand"})


class HighAgeReportSchema(Schema):
    cycle_id = fields.String()
    month = fields.String()
    state = fields.String(metadata={"description": "the cycle's"})
    due_on = fields.Date()
    submitted_on = fields.Date(allow_none=True)
    late = fields.Boolean()
    order_fixed = fields.Boolean(
        metadata={"description": "the exported payment order; false: a preview"}
    )
    communities = fields.List(fields.Nested(CommunityFiguresSchema))
    district = fields.Nested(CommunityFiguresSchema)


class VouchersSchema(Schema):
    count = fields.Integer()
    amount_fen = fields.Integer()


class HomeCareFiguresSchema(Schema):
    community = fields.String(metadata={"description": "empty for the district's row"})
    households_start = fields.Integer(
        allow_none=True,
        metadata={
            "description": "Home-care households (居家养老户) at the month's start; null: no "
            "voucher roll of the month before"
        },
    )
    households_end = fields.Integer(
        metadata={"description": "Home-care households (户) at its end"}
    )
    households_new = fields.Integer(allow_none=True, metadata={"description": "新增户"})
    households_ended = fields.Integer(allow_none=True, metadata={"description": "退出户"})
    enrolled_start = fields.Integer(
        allow_none=True,
        metadata={
            "description": "Elders of those households (人) at the start; null: no voucher "
            "roll of the month before"
        },
    )
    enrolled_end = fields.Integer(metadata={"description": "Elders (人) at the month's end"})
    joined = fields.Integer(allow_none=True, metadata={"description": "Elders who joined (人)"})
    left = fields.Integer(allow_none=True, metadata={"description": "Elders who left (人)"})
    issued = fields.Nested(VouchersSchema)
    redeemed = fields.Nested(VouchersSchema)
    expired = fields.Nested(VouchersSchema)


class HomeCareVoucherReportSchema(Schema):
    month = fields.String()
    cycle_id = fields.String()
    cycle_state = fields.String()
    vouchers_issued = fields.Boolean(metadata={"description": "the month's cycle is approved"})
    due_on = fields.Date(metadata={"description": "due with the month's voucher cycle"})
    submitted_on = fields.Date(allow_none=True)
    late = fields.Boolean(metadata={"description": "handed in late, or not yet and overdue"})
    communities = fields.List(fields.Nested(HomeCareFiguresSchema))
    district = fields.Nested(HomeCareFiguresSchema)


class AllowancesYearSchema(YearSummarySchema):
    as_of = fields.Date(metadata={"description": "the year's last day, or today"})
    months_rolled = fields.Integer()
    high_age_paid = fields.Integer(metadata={"description": "elders the year's rolls paid"})
    high_age_new = fields.Integer(
        allow_none=True, metadata={"description": "not paid by the last roll before the year"}
    )
    high_age_fen = fields.Integer()
    ninety_plus = fields.Integer()
    ninety_plus_died = fields.Integer()
