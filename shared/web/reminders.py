"""The schemas of reminders, as every service that sends them shows them: their rules, their
delivery log and what a pass of the duty did."""

from marshmallow import Schema, fields, validate

from shared.personal import MOBILE_NUMBER_PATTERN
from shared.reminders import STATUSES
from shared.web.pagination import PageArgs

CLOCK_TIME = validate.Regexp(r"^([01]\d|2[0-3]):[0-5]\d$", error="a time of day such as 22:00")
# the number an SMS reminder goes to: a staff account's, or one the reminder rules give
MOBILE_NUMBER = validate.Regexp(MOBILE_NUMBER_PATTERN, error="an 11-digit mobile number")


class ReminderRulesSchema(Schema):
    due_within_hours = fields.Integer(
        strict=True,
        load_default=24,
        validate=validate.Range(1, 24 * 14),
        metadata={"description": "remind of work this many hours before its deadline"},
    )
    quiet_from = fields.String(
        load_default=None,
        allow_none=True,
        validate=CLOCK_TIME,
        metadata={"description": "quiet hours start (local time); urgent reminders ignore them"},
    )
    quiet_until = fields.String(load_default=None, allow_none=True, validate=CLOCK_TIME)
    phones = fields.Dict(
        keys=fields.String(validate=validate.Length(min=1, max=200)),
        values=fields.String(validate=MOBILE_NUMBER),
        load_default=dict,
        metadata={"description": "staff's mobile numbers for SMS, by user name (shown masked)"},
    )
    to = fields.List(
        fields.String(validate=validate.Length(min=1, max=200)),
        load_default=list,
        metadata={"description": "who is told of work nobody has yet (a cycle not opened)"},
    )


class ReminderRulesShownSchema(ReminderRulesSchema):
    """The rules as answers show them: the phone numbers masked (138****8000)."""

    phones = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        metadata={"description": "staff's mobile numbers for SMS, by user name, masked"},
    )


class DeliverySchema(Schema):
    channel = fields.String()
    at = fields.DateTime()
    ok = fields.Boolean()
    detail = fields.String()


class ReminderSchema(Schema):
    reminder_id = fields.String()
    cause = fields.String(metadata={"description": "why: due_soon, overdue, cycle_late, ..."})
    subject = fields.String(metadata={"description": "what it is about: work, a call, a cycle"})
    elder_id = fields.String(allow_none=True)
    community = fields.String(allow_none=True)
    recipients = fields.List(fields.String())
    text = fields.String()
    urgent = fields.Boolean()
    created_at = fields.DateTime()
    next_at = fields.DateTime()
    status = fields.String(metadata={"enum": list(STATUSES)})
    attempts = fields.Integer()
    deliveries = fields.List(fields.Nested(DeliverySchema))


class ReminderListArgs(PageArgs):
    community = fields.String()
    elder_id = fields.String()
    status = fields.String(validate=validate.OneOf(STATUSES))
    cause = fields.String(metadata={"description": "why it was sent, as the log shows it"})


class ReminderPassSchema(Schema):
    created = fields.Integer()
    sent = fields.Integer()
    retrying = fields.Integer()
    failed = fields.Integer()
    held = fields.Integer(metadata={"description": "waiting for the end of the quiet hours"})
    withdrawn = fields.Integer(
        metadata={"description": "not sent: the work was done before they could be"}
    )
