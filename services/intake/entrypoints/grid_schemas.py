"""The HTTP contract of the grid below the community (网格): bodies, answers and list filters."""

from typing import Any

from marshmallow import Schema, fields, post_load, validate

from services.intake.domain.grid import Leader
from services.intake.entrypoints.schemas import Versioned
from services.intake.service_layer.grid import Sent
from shared.personal import MOBILE_NUMBER_PATTERN
from shared.vocabulary import GRID_KINDS
from shared.web.pagination import PageArgs

KINDS = ", ".join(f"{k} ({v})" for k, v in GRID_KINDS.items())


class LeaderSchema(Schema):
    """The resident who leads the cell: 居民小组长, 楼道长 or 院落长 (GRID_LEADERS)."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    phone = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Regexp(MOBILE_NUMBER_PATTERN, error="an 11-digit mobile number"),
    )
    elder_id = fields.String(
        load_default=None, allow_none=True, metadata={"description": "If an elder of the register"}
    )

    @post_load
    def make(self, data: dict[str, Any], **_: object) -> Leader:
        return Leader(**data)


class CellTermsSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    group_id = fields.String(
        load_default=None,
        allow_none=True,
        metadata={"description": "The resident group a building or courtyard belongs to"},
    )
    leader = fields.Nested(LeaderSchema, load_default=None, allow_none=True)
    worker = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=100),
        metadata={"description": "The community worker responsible (a staff user name)"},
    )
    address = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=200),
        metadata={
            "description": "A building's or courtyard's address (e.g. 新华路12号): the households "
            "living there are placed in it by POST /grid/{id}/placement"
        },
    )

    @post_load
    def make(self, data: dict[str, Any], **_: object) -> dict[str, Any]:
        terms = Sent(
            data["name"], data["group_id"], data["leader"], data["worker"], data["address"]
        )
        return {**data, "terms": terms}


class NewCellSchema(CellTermsSchema):
    community = fields.String(required=True)
    kind = fields.String(
        required=True, validate=validate.OneOf(GRID_KINDS), metadata={"description": KINDS}
    )


class CellChangeSchema(CellTermsSchema, Versioned):
    """The cell's terms as they are to be: every one, as the form shows them."""


class CellSchema(Schema):
    cell_id = fields.String()
    version = fields.Integer()
    community = fields.String()
    kind = fields.String(metadata={"description": KINDS})
    name = fields.String()
    group_id = fields.String(allow_none=True)
    leader = fields.Nested(LeaderSchema, allow_none=True)
    worker = fields.String(allow_none=True)
    address = fields.String(allow_none=True)
    status = fields.String(metadata={"description": "active or retired"})


class PlacedSchema(Schema):
    cell_id = fields.String()
    placed = fields.Integer(metadata={"description": "Households placed in the cell just now"})


class CoverageSchema(Schema):
    households = fields.Integer(metadata={"description": "户"})
    elders = fields.Integer(metadata={"description": "Elders of the register living there"})
    key_targets = fields.Integer(metadata={"description": "重点服务对象 among them"})
    key_target_reasons = fields.Dict(keys=fields.String(), values=fields.Integer())
    home_care_households = fields.Integer(metadata={"description": "居家养老户"})


class CellWithCoverageSchema(CellSchema):
    coverage = fields.Nested(CoverageSchema)


class CellListArgs(PageArgs):
    community = fields.String()
    kind = fields.String(validate=validate.OneOf(GRID_KINDS))
    group_id = fields.String()
    worker = fields.String()
    status = fields.String(validate=validate.OneOf(("active", "retired")))


class CoverageArgs(Schema):
    community = fields.String(required=True)


class CoverageAnswerSchema(Schema):
    community = fields.String()
    cells = fields.List(fields.Nested(CellWithCoverageSchema))
    unplaced = fields.Nested(
        CoverageSchema, metadata={"description": "Households placed in no building or courtyard"}
    )
