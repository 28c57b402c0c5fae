"""Events from other systems over HTTP, and the parked events staff match by hand."""

from typing import Any

from flask import request
from marshmallow import Schema, fields, validate

from services.intake.domain.inbound_receipt import InboundReceipt
from services.intake.entrypoints.api import intake, scoped_elder
from services.intake.service_layer import inbound
from services.intake.service_layer.queries import receipts_query
from shared.errors import RuleViolation
from shared.events import InvalidEvent, is_binary_http, structured_from_binary
from shared.events.envelope import EnvelopeSchema
from shared.personal import mask_national_id
from shared.web.auth import ADMIN, actor, principal, requires, scoped, visible
from shared.web.blueprint import Blueprint
from shared.web.pagination import PageArgs, page, page_schema, paged

blueprint = Blueprint(
    "inbound", __name__, url_prefix="/inbound", description="Events from other systems"
)
STAFF = ("intake_clerk", "operator")
RECEIVED = [("received_at", 1), ("_id", 1)]  # the order receipts are listed in


class AcceptedSchema(Schema):
    accepted = fields.String(metadata={"description": "The event's id"})
    topic = fields.String()


class ReceiptSchema(Schema):
    key = fields.String()
    type = fields.String()
    event_id = fields.String()
    source = fields.String()
    reference = fields.String(
        allow_none=True, metadata={"description": "The reporter's own id of this report"}
    )
    status = fields.String(metadata={"description": "applied, parked, matched or discarded"})
    elder_id = fields.String(allow_none=True)
    community = fields.String(
        allow_none=True,
        metadata={
            "description": "The community it concerns: the elder's, or for an unknown elder "
            "the one it names (a move into it); none: the district's"
        },
    )
    override = fields.String(
        allow_none=True,
        metadata={"description": "Why it was applied to an elder with another ID number"},
    )
    outcome = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    national_id = fields.Function(lambda r: mask_national_id(r.national_id))
    occurred_at = fields.AwareDateTime()
    received_at = fields.AwareDateTime()


class ReceiptArgs(PageArgs):
    status = fields.String()
    elder_id = fields.String()
    community = fields.String()


class MatchSchema(Schema):
    elder_id = fields.String(
        load_default=None,
        metadata={"description": "Omit to look the ID number up again (after registering)"},
    )
    override = fields.String(
        load_default=None,
        validate=validate.Length(max=500),
        metadata={
            "description": "District administrator only: why the event is applied to an elder "
            "whose ID number is not the event's (kept in the audit trail)"
        },
    )


class DiscardSchema(Schema):
    reason = fields.String(required=True)


@blueprint.route("", methods=["POST"])
@requires("integration")
@blueprint.doc(
    requestBody={
        "required": True,
        "description": "The envelope in structured mode (also as application/cloudevents+json); "
        "in binary mode, its `data` alone",
        "content": {"application/json": {"schema": EnvelopeSchema}},
    }
)
@blueprint.response(202, AcceptedSchema)
@blueprint.alt_response(422, description="Not a valid inbound event; nothing was accepted")
def publish() -> dict[str, Any]:
    """Send one event (CloudEvents 1.0 over HTTP) for systems that cannot use Kafka

    Structured mode (a JSON envelope, `application/cloudevents+json` or `application/json`)
    or binary mode (attributes in `ce-` headers, the data as a JSON body). It passes the checks
    the inbound consumer makes and is then put on the inbound topic. Sending the same event
    again is harmless.
    """
    raw = request.get_data()
    headers = dict(request.headers)  # werkzeug names them in one case: Content-Type, Ce-Id
    try:
        if is_binary_http(headers):
            raw = structured_from_binary(headers, raw)
        event = inbound.accept_over_http(intake(), raw)
    except InvalidEvent as invalid:
        raise RuleViolation(invalid.reason) from invalid
    return {"accepted": event.id, "topic": "eldercare.inbound"}


@blueprint.route("/receipts")
@requires(*STAFF)
@blueprint.arguments(ReceiptArgs, location="query")
@blueprint.response(200, page_schema(ReceiptSchema))
def receipts(args: dict[str, Any]) -> dict[str, Any]:
    """What became of each event received: by `status` (e.g. parked), `elder_id` or
    `community`

    A user bound to a community sees the events about its elders, and those for unknown
    elders that name it; an event for an unknown elder that names no community is the
    district's, listed to district users only."""
    skip, limit = paged(scoped(args))
    found, total = intake().inbound.find(receipts_query(args), RECEIVED, skip, limit)
    return page(args, found, total)


@blueprint.route("/receipts/<key>")
@requires(*STAFF)
@blueprint.response(200, ReceiptSchema)
@blueprint.alt_response(404, description="No such receipt")
def receipt(key: str) -> InboundReceipt:
    """What became of one event received"""
    return visible_receipt(key)


def visible_receipt(key: str) -> InboundReceipt:
    """The receipt, if the caller may see it: a community's user, its community's only."""
    found = intake().inbound.require(key)
    visible(found.community, f"inbound event {key!r}")
    return found


@blueprint.route("/receipts/<key>/match", methods=["POST"])
@requires("intake_clerk")
@blueprint.arguments(MatchSchema)
@blueprint.response(200, ReceiptSchema)
@blueprint.alt_response(404, description="No such receipt or elder (in your community)")
@blueprint.alt_response(409, description="Not parked (already matched or discarded)")
@blueprint.alt_response(
    422, description="The elder's ID number is not the event's, or their record refuses it"
)
def match(body: dict[str, Any], key: str) -> InboundReceipt:
    """Process a parked event for an elder

    The elder must have the event's ID number (compared in its 18-character form). Only a
    district administrator may apply it to an elder with another number, giving the reason
    (`override`), which the receipt and the audit trail keep. A user bound to a community
    matches only to its elders."""
    receipt = visible_receipt(key)
    elder = inbound.elder_to_match(intake(), receipt, body["elder_id"])
    scoped_elder(elder.elder_id)
    may_override = ADMIN in principal().roles
    return inbound.match_parked(
        intake(), receipt, actor(), elder, body["override"], may_override=may_override
    )


@blueprint.route("/receipts/<key>/discard", methods=["POST"])
@requires("intake_clerk")
@blueprint.arguments(DiscardSchema)
@blueprint.response(200, ReceiptSchema)
@blueprint.alt_response(
    409, description="Not parked (already matched or discarded), or being matched"
)
@blueprint.alt_response(422, description="No reason given")
def discard(body: dict[str, Any], key: str) -> InboundReceipt:
    """Set a parked event aside, with the reason"""
    visible_receipt(key)
    return inbound.discard_parked(intake(), key, actor(), body["reason"])
