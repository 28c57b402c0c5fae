"""One marshmallow schema per event type: the `data` of the envelope.

Events carry the elder's id and the facts other services need. The national ID number never
leaves intake, so no schema here has a field for it.
"""

from marshmallow import EXCLUDE, Schema, fields, validate

SEXES = ("female", "male")


class EventData(Schema):
    class Meta:
        unknown = EXCLUDE  # newer producers may add fields; older consumers ignore them


class ElderRegistered(EventData):
    """An elder was entered in the register of the district."""

    elder_id = fields.String(required=True, metadata={"description": "Intake's id of the elder"})
    version = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=1),
        metadata={"description": "The elder record's version after this change; orders updates"},
    )
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    sex = fields.String(required=True, validate=validate.OneOf(SEXES))
    birth_date = fields.Date(required=True)
    community = fields.String(required=True, metadata={"description": "Community code"})
    address = fields.String(required=True)
    phone = fields.String(load_default=None, allow_none=True)
    registered_at = fields.AwareDateTime(required=True)
