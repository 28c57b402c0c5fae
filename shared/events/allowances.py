"""Events the allowances service publishes, all on one topic.

Events about an elder's standing or money are keyed by the elder's id, so they stay in order
with the elder's other events; events about a whole cycle are keyed by the cycle's id
(`<programme>:<YYYY-MM>`). Amounts are whole fen.
"""

from marshmallow import fields, validate

from shared.events.types import EventData, EventType, Topics

MONTH = validate.Regexp(r"^[0-9]{4}-(0[1-9]|1[0-2])$", error="not a month (YYYY-MM)")
PROGRAMME_NOTE = "high_age, home_care_voucher, or festival:<campaign id>"


def _fen(description: str) -> fields.Integer:
    return fields.Integer(required=True, strict=True, metadata={"description": description})


def _month(description: str, required: bool = True) -> fields.String:
    if required:
        return fields.String(required=True, validate=MONTH, metadata={"description": description})
    return fields.String(
        load_default=None, allow_none=True, validate=MONTH, metadata={"description": description}
    )


class EntitlementEvent(EventData):
    elder_id = fields.String(required=True)
    programme = fields.String(required=True, metadata={"description": PROGRAMME_NOTE})
    version = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=1),
        metadata={"description": "The entitlement's version after this change; orders them"},
    )
    month = _month("The month from which this holds")
    cycle_id = fields.String(
        load_default=None,
        allow_none=True,
        metadata={"description": "The cycle whose roll made the change; null for a stop"},
    )


class AllowanceGranted(EntitlementEvent):
    band = fields.String(
        load_default=None, allow_none=True, metadata={"description": "80-89, 90-99 or 100+"}
    )
    amount_fen = _fen("The monthly (or one-off) amount")


class AllowanceBandChanged(EntitlementEvent):
    from_band = fields.String(required=True, allow_none=True)
    to_band = fields.String(required=True, allow_none=True)
    amount_fen = _fen("The new monthly amount")


class AllowanceSuspended(EntitlementEvent):
    reason = fields.String(
        required=True, metadata={"description": "deceased, moved_out, merged, not_enrolled, ..."}
    )
    from_month = _month("The first month not paid")
    detail = fields.String(required=True)


class CycleTotals(EventData):
    cycle_id = fields.String(required=True)
    programme = fields.String(required=True, metadata={"description": PROGRAMME_NOTE})
    month = _month("The month the cycle pays for")
    payees = fields.Integer(required=True, strict=True)
    payable_fen = _fen("Paid out: the sum of the positive lines")
    to_recover_fen = _fen("To recover: the sum of the negative lines, as a positive number")
    net_fen = _fen("payable_fen - to_recover_fen: the sum of every line item")


class CycleApproved(CycleTotals):
    prepared_by = fields.String(required=True)
    approved_by = fields.String(required=True)
    late = fields.Boolean(required=True, metadata={"description": "Report submitted after due"})
    due_on = fields.Date(
        load_default=None,
        allow_none=True,
        metadata={"description": "The day the cycle and its report were due (the report day)"},
    )


class PaymentExported(CycleTotals):
    exported_by = fields.String(required=True)
    file_sha256 = fields.String(
        required=True, metadata={"description": "SHA-256 of the CSV payment file"}
    )
    file_payments = fields.Integer(
        load_default=None,
        allow_none=True,
        strict=True,
        metadata={"description": "Payments in the file, each into a registered account"},
    )
    file_amount_fen = fields.Integer(
        load_default=None,
        allow_none=True,
        strict=True,
        metadata={"description": "The file's total"},
    )
    exceptions = fields.Integer(
        load_default=None,
        allow_none=True,
        strict=True,
        metadata={"description": "Lines withheld from the file (e.g. no payee account)"},
    )
    withheld_fen = fields.Integer(
        load_default=None,
        allow_none=True,
        strict=True,
        metadata={"description": "What the exceptions owe: payable_fen = file + withheld"},
    )


class OverpaymentDetected(EventData):
    overpayment_id = fields.String(required=True)
    elder_id = fields.String(required=True)
    programme = fields.String(required=True)
    cause = fields.String(required=True, validate=validate.OneOf(("deceased", "moved_out")))
    stop_on = fields.Date(required=True, metadata={"description": "Date of death or move"})
    from_month = _month("The first month that was not payable")
    cycle_id = fields.String(required=True, metadata={"description": "The cycle that overpaid"})
    months = fields.List(fields.String(validate=MONTH), required=True)
    amount_fen = _fen("The exact amount paid for months not payable")


class OverpaymentResolved(EventData):
    overpayment_id = fields.String(required=True)
    elder_id = fields.String(required=True)
    programme = fields.String(required=True)
    outcome = fields.String(
        required=True,
        validate=validate.OneOf(("recovered", "waived")),
        metadata={"description": "recovered: collected, with a receipt; waived: not collected"},
    )
    amount_fen = _fen("The overpayment settled")
    receipt = fields.String(
        load_default=None, allow_none=True, metadata={"description": "Receipt of the money"}
    )
    proposed_by = fields.String(required=True)
    approved_by = fields.String(required=True, metadata={"description": "Never the proposer"})


class AllowanceReinstated(EntitlementEvent):
    band = fields.String(
        load_default=None, allow_none=True, metadata={"description": "80-89, 90-99 or 100+"}
    )
    amount_fen = _fen("The monthly amount paid again")
    revoked_died_on = fields.Date(
        required=True, metadata={"description": "The death reported in error"}
    )
    back_pay_months = fields.List(
        fields.String(validate=MONTH),
        required=True,
        metadata={"description": "Past cycle months owed, paid as back pay in the next cycle"},
    )
    back_pay_fen = _fen("Their sum")


class OverpaymentCancelled(EventData):
    overpayment_id = fields.String(required=True)
    elder_id = fields.String(required=True)
    programme = fields.String(required=True)
    amount_fen = _fen("The amount that was to be recovered")
    refund_fen = _fen(
        "Paid back to the elder in the next cycle: the whole amount if it was collected "
        "(recovered, or taken by a roll in older records), else 0"
    )
    reason = fields.String(required=True)


def _allowances(name: str, schema: type[EventData], description: str) -> EventType:
    return EventType(name, Topics.ALLOWANCES, schema, description, producer="allowances")


EVENTS = [
    _allowances(
        "allowance.granted",
        AllowanceGranted,
        "An elder is paid by a programme from a cycle's month (keyed by elder id).",
    ),
    _allowances(
        "allowance.band_changed",
        AllowanceBandChanged,
        "An elder's high-age allowance moved to another age band (keyed by elder id).",
    ),
    _allowances(
        "allowance.suspended",
        AllowanceSuspended,
        "Payment to an elder stopped: death, move out of the district, or no longer "
        "eligible (keyed by elder id).",
    ),
    _allowances(
        "allowance.cycle_approved",
        CycleApproved,
        "A cycle's frozen roll was approved and is now binding (keyed by cycle id).",
    ),
    _allowances(
        "allowance.payment_exported",
        PaymentExported,
        "A cycle's payment file was exported for payment (keyed by cycle id).",
    ),
    _allowances(
        "allowance.overpayment_detected",
        OverpaymentDetected,
        "Money was paid for months after a death or move out: a receivable from the family "
        "or estate (keyed by elder id).",
    ),
    _allowances(
        "allowance.overpayment_resolved",
        OverpaymentResolved,
        "An overpayment was settled by hand, as recovered (with its receipt) or waived, "
        "proposed by an allowance officer and approved by another person (keyed by elder id).",
    ),
    _allowances(
        "allowance.reinstated",
        AllowanceReinstated,
        "A death reported in error was revoked: payment resumes from the month, with back pay "
        "for the past cycle months not paid (keyed by elder id).",
    ),
    _allowances(
        "allowance.overpayment_cancelled",
        OverpaymentCancelled,
        "An overpayment's cause, a death, was revoked: it is not collected, and what was "
        "collected is paid back (keyed by elder id).",
    ),
]
