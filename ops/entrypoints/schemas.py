"""The console's HTTP contract: what its JSON API answers (ops.entrypoints.views builds it)."""

from marshmallow import Schema, fields


class PartitionLagSchema(Schema):
    topic = fields.String()
    partition = fields.Integer()
    committed = fields.Integer(
        allow_none=True, metadata={"description": "null: nothing committed yet"}
    )
    start = fields.Integer()
    end = fields.Integer()
    lag = fields.Integer()


class GroupLagSchema(Schema):
    group = fields.String()
    total = fields.Integer(allow_none=True, metadata={"description": "null when `error`"})
    error = fields.String(allow_none=True)
    topics = fields.Dict(keys=fields.String(), values=fields.Integer())
    partitions = fields.List(fields.Nested(PartitionLagSchema))


class OriginSchema(Schema):
    topic = fields.String()
    partition = fields.Integer()
    offset = fields.Integer()


class ResolutionSchema(Schema):
    state = fields.String()
    at = fields.String(metadata={"format": "date-time"})
    by = fields.String()
    note = fields.String()
    replayed_to = fields.String(metadata={"description": "topic:partition:offset, if replayed"})


class DeadLetterSchema(Schema):
    id = fields.String()
    service = fields.String()
    state = fields.String(metadata={"enum": ["open", "replayed", "discarded"]})
    reason = fields.String()
    origin = fields.Nested(OriginSchema)
    consumer_group = fields.String()
    dead_lettered_at = fields.String(allow_none=True, metadata={"format": "date-time"})
    event = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        metadata={"description": "type, id and subject, when the value is a readable event"},
    )
    resolution = fields.Nested(ResolutionSchema, allow_none=True)
    key = fields.String(metadata={"description": "Only on a single dead letter"})
    value = fields.String(metadata={"description": "Only on a single dead letter"})


class CountsSchema(Schema):
    service = fields.String()
    open = fields.Integer()
    replayed = fields.Integer()
    discarded = fields.Integer()
    total = fields.Integer()


class ComponentSchema(Schema):
    service = fields.String()
    component = fields.String()
    target = fields.String()
    state = fields.String()
    ok = fields.Boolean()
    detail = fields.String()


class BacklogSchema(Schema):
    service = fields.String()
    collection = fields.String()
    documents = fields.Integer()


class RecentErrorSchema(Schema):
    at = fields.String(allow_none=True, metadata={"format": "date-time"})
    service = fields.String()
    source = fields.String()
    message = fields.String()


class DeadLetterSummarySchema(Schema):
    counts = fields.List(fields.Nested(CountsSchema))
    open = fields.List(fields.Nested(DeadLetterSchema))


class OverviewSchema(Schema):
    at = fields.String(metadata={"format": "date-time"})
    health = fields.List(fields.Nested(ComponentSchema))
    lag = fields.List(fields.Nested(GroupLagSchema))
    dead_letters = fields.Nested(DeadLetterSummarySchema)
    outbox = fields.List(fields.Nested(BacklogSchema))
    recent_errors = fields.List(fields.Nested(RecentErrorSchema))


class ReplayOutcomeSchema(Schema):
    dead_letter = fields.String()
    outcome = fields.String(metadata={"description": "replayed, or why not"})


class NoteSchema(Schema):
    note = fields.String(metadata={"description": "Why (at most 500 characters)"})


class ReplayAllSchema(Schema):
    service = fields.String(metadata={"description": "Only this service's dead letters"})
    reason = fields.String(metadata={"description": "Only those whose reason contains this"})
