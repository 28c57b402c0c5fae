"""The shapes of feedback, complaints and satisfaction over HTTP."""

from marshmallow import Schema, fields, validate

from shared.vocabulary import (
    COMPLAINT_CHANNELS,
    FEEDBACK_GIVERS,
    FEEDBACK_SUBJECTS,
    RATING_LABELS,
    SERVICE_TYPES,
)
from shared.web.files import ReportFormatArgs
from shared.web.pagination import PageArgs

NAME = validate.Length(min=1, max=200)
TEXT = validate.Length(max=2000)


def _words(words: dict[str, str]) -> str:
    return ", ".join(f"{word} ({label})" for word, label in words.items())


class FeedbackInSchema(Schema):
    feedback_id = fields.String(
        validate=NAME,
        metadata={"description": "Stable id from the device, so a retried send is one rating"},
    )
    elder_id = fields.String(required=True, validate=NAME)
    subject = fields.String(
        required=True,
        validate=validate.OneOf(tuple(FEEDBACK_SUBJECTS)),
        metadata={"description": _words(FEEDBACK_SUBJECTS)},
    )
    reference = fields.String(
        load_default=None,
        allow_none=True,
        metadata={"description": "The visit's or help request's id: its worker is the one rated"},
    )
    worker = fields.String(
        load_default=None,
        allow_none=True,
        validate=NAME,
        metadata={"description": "Whose work is rated, for a service (else from the reference)"},
    )
    service_type = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(tuple(SERVICE_TYPES))
    )
    rating = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(1, 5),
        metadata={"description": "; ".join(f"{n} {label}" for n, label in RATING_LABELS.items())},
    )
    given_by = fields.String(
        required=True,
        validate=validate.OneOf(tuple(FEEDBACK_GIVERS)),
        metadata={"description": _words(FEEDBACK_GIVERS)},
    )
    remarks = fields.String(load_default="", validate=TEXT)


class FeedbackSchema(Schema):
    feedback_id = fields.String()
    elder_id = fields.String()
    community = fields.String()
    subject = fields.String()
    reference = fields.String(allow_none=True)
    service_type = fields.String(allow_none=True)
    worker = fields.String()
    rating = fields.Integer()
    remarks = fields.String()
    given_by = fields.String()
    recorded_by = fields.String()
    recorded_at = fields.AwareDateTime()
    version = fields.Integer()


class FeedbackListArgs(PageArgs):
    community = fields.String()
    worker = fields.String()
    elder_id = fields.String()
    rating = fields.Integer(validate=validate.Range(1, 5))


class ComplaintInSchema(Schema):
    community = fields.String(
        validate=NAME, metadata={"description": "Community code; with elder_id, the elder's"}
    )
    elder_id = fields.String(load_default=None, allow_none=True, validate=NAME)
    channel = fields.String(
        required=True,
        validate=validate.OneOf(tuple(COMPLAINT_CHANNELS)),
        metadata={"description": _words(COMPLAINT_CHANNELS)},
    )
    about = fields.String(
        required=True, validate=NAME, metadata={"description": "What or whom it is about"}
    )
    description = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    worker = fields.String(
        load_default=None,
        allow_none=True,
        validate=NAME,
        metadata={"description": "The worker it concerns (user name), who may not close it"},
    )
    received_at = fields.AwareDateTime(metadata={"description": "Default: now"})


class CloseComplaintSchema(Schema):
    answer = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class ComplaintSchema(Schema):
    complaint_id = fields.String()
    community = fields.String()
    elder_id = fields.String(allow_none=True)
    channel = fields.String()
    about = fields.String()
    description = fields.String()
    worker = fields.String(allow_none=True)
    received_by = fields.String()
    received_at = fields.AwareDateTime()
    answer_by = fields.AwareDateTime()
    overdue = fields.Boolean(metadata={"description": "Open past answer_by"})
    status = fields.String(metadata={"enum": ["open", "closed"]})
    answer = fields.String(allow_none=True)
    closed_by = fields.String(allow_none=True)
    closed_at = fields.AwareDateTime(allow_none=True)
    answered_in_time = fields.Boolean(allow_none=True)
    version = fields.Integer()


class ComplaintListArgs(PageArgs):
    community = fields.String()
    status = fields.String(validate=validate.OneOf(("open", "closed")))
    overdue = fields.Boolean(metadata={"description": "Only open ones past their deadline"})


class SatisfactionArgs(ReportFormatArgs):
    first = fields.Date(required=True)
    last = fields.Date(required=True)
    community = fields.String()


class SatisfactionSchema(Schema):
    ratings = fields.Integer()
    satisfied = fields.Integer(metadata={"description": "Rated 4 or 5"})
    mean = fields.Float(allow_none=True)
    share = fields.Float(allow_none=True, metadata={"description": "Satisfied, per cent"})


class SatisfactionReportSchema(Schema):
    first = fields.Date()
    last = fields.Date()
    community = fields.String(allow_none=True)
    total = fields.Nested(SatisfactionSchema)
    by_community = fields.Dict(keys=fields.String(), values=fields.Nested(SatisfactionSchema))
    by_worker = fields.Dict(keys=fields.String(), values=fields.Nested(SatisfactionSchema))
    by_service_type = fields.Dict(keys=fields.String(), values=fields.Nested(SatisfactionSchema))
    complaints = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "received, answered_in_time, answered_late, open, overdue"},
    )
