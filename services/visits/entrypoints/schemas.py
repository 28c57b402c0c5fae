"""The HTTP contract of visits: request and response bodies."""

from typing import Any

from marshmallow import Schema, fields, post_load, validate

from services.visits.domain.campaigns import PURPOSES, Target
from services.visits.domain.visit_records import Correction, DoorCheck, ServiceGiven
from shared.months import MONTH_PATTERN
from shared.personal import PHONE_PATTERN
from shared.vocabulary import (
    CHECKED_FACTS,
    ELDER_STATUSES,
    HELP_CHANNELS,
    HELP_STATUSES,
    HOUSEHOLD_TYPES,
    KEY_TARGET_REASONS,
    OBLIGATION_KINDS,
    OBLIGATION_STATUSES,
    PARTNER_KINDS,
    SERVICE_TYPES,
    TRIGGERS,
    URGENCIES,
    VISIT_FREQUENCIES,
    VISIT_KINDS,
)
from shared.web.files import ReportFormatArgs, YearSummarySchema
from shared.web.pagination import MAX_PAGE_SIZE, PageArgs
from shared.web.reminders import ReminderRulesShownSchema

MONTH = validate.Regexp(MONTH_PATTERN, error="a month is written YYYY-MM")
TEXT = validate.Length(max=2000)


def _name() -> fields.String:
    return fields.String(required=True, validate=validate.Length(min=1, max=200))


# --- elders


class ElderSchema(Schema):
    elder_id = fields.String()
    name = fields.String()
    sex = fields.String()
    birth_date = fields.Date()
    community = fields.String()
    address = fields.String(
        allow_none=True, metadata={"description": "From intake's contact events; null until known"}
    )
    phone = fields.String(
        allow_none=True, metadata={"description": "Masked in the list, whole on one elder"}
    )
    household_type = fields.String()
    low_income = fields.Boolean()
    disabled = fields.Boolean()
    home_care = fields.Boolean()
    retired_cadre_employer = fields.String(allow_none=True)
    key_target_reasons = fields.List(fields.String())
    status = fields.String()
    died_on = fields.Date(allow_none=True)
    moved_out_on = fields.Date(allow_none=True)
    last_checked_on = fields.Date(
        allow_none=True, metadata={"description": "Facts last checked at the door; null: never"}
    )
    version = fields.Integer()


class ElderListArgs(PageArgs):
    community = fields.String()
    name = fields.String(
        validate=[
            validate.Length(min=1, max=50),
            validate.Regexp(r"^[^\x00-\x1f\x7f]*$", error="a name has no control characters"),
        ],
        metadata={"description": "Only elders whose name holds this text, a surname for instance"},
    )
    status = fields.String(validate=validate.OneOf(ELDER_STATUSES))
    elder_id = fields.List(
        fields.String(),
        validate=validate.Length(max=MAX_PAGE_SIZE),
        metadata={"description": "Only these elders (the parameter repeated): a list's names"},
    )


# --- obligations


class IncidentReportSchema(Schema):
    elder_id = _name()
    trigger = fields.String(required=True, validate=validate.OneOf(TRIGGERS))
    occurred_at = fields.AwareDateTime(
        metadata={"description": "When it happened; the deadline counts from here (default now)"}
    )
    incident_id = fields.String(
        validate=validate.Length(min=1, max=200),
        metadata={"description": "Stable id, if the incident has one: reporting it again is 409"},
    )
    reference = fields.String(load_default=None, allow_none=True, validate=TEXT)
    note = fields.String(load_default=None, allow_none=True, validate=TEXT)


class ObligationSchema(Schema):
    obligation_id = fields.String()
    elder_id = fields.String()
    community = fields.String()
    kind = fields.String(metadata={"enum": list(OBLIGATION_KINDS)})
    trigger = fields.String(allow_none=True)
    source = fields.String()
    opens_at = fields.AwareDateTime()
    due_at = fields.AwareDateTime()
    created_at = fields.AwareDateTime()
    assignee = fields.String(allow_none=True)
    reported_by = fields.String(allow_none=True)
    reference = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    status = fields.String(metadata={"enum": list(OBLIGATION_STATUSES)})
    overdue = fields.Boolean(metadata={"description": "Open past its due time, or was so"})
    escalated = fields.Boolean()
    escalated_to = fields.String(allow_none=True)
    escalated_at = fields.AwareDateTime(allow_none=True)
    visit_id = fields.String(allow_none=True, metadata={"description": "The visit that met it"})
    met_at = fields.AwareDateTime(allow_none=True)
    on_time = fields.Boolean(allow_none=True)
    gift = fields.String(allow_none=True)
    cancelled_reason = fields.String(allow_none=True)
    closed_at = fields.AwareDateTime(allow_none=True)
    version = fields.Integer()
    elder = fields.Nested(
        ElderSchema,
        allow_none=True,
        metadata={"description": "With `with_elder`: the elder as /elders lists them"},
    )


class ObligationListArgs(PageArgs):
    community = fields.String()
    assignee = fields.String()
    elder_id = fields.List(
        fields.String(),
        validate=validate.Length(max=MAX_PAGE_SIZE),
        metadata={"description": "The work of this elder, or of these (the parameter repeated)"},
    )
    status = fields.String(validate=validate.OneOf(OBLIGATION_STATUSES))
    kind = fields.String(validate=validate.OneOf(OBLIGATION_KINDS))
    trigger = fields.String(validate=validate.OneOf(TRIGGERS))
    source = fields.String()
    cell_id = fields.String(
        metadata={
            "description": "Only the work of elders living in this building or courtyard, or "
            "in any of this resident group's (the grid below the community, 网格)"
        }
    )
    overdue = fields.Boolean(metadata={"description": "Only open work past its due time"})
    due_before = fields.AwareDateTime(metadata={"description": "Only work due before this"})
    due_by = fields.AwareDateTime(
        metadata={
            "description": "Only work due at this instant or before: work due by the end of a "
            "day is due at the next midnight, so a day's or a week's end takes it in"
        }
    )
    with_elder = fields.Boolean(
        load_default=False,
        metadata={"description": "Give each obligation its elder (name, address), as /elders does"},
    )


class CompletionSchema(Schema):
    visit_id = fields.String(
        required=True,
        error_messages={"required": "An obligation is met only by a visit record: give visit_id."},
    )


class ReasonSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


class AssignmentSchema(Schema):
    assignee = _name()


class CaseloadArgs(Schema):
    community = fields.String()


class CommunityLoadSchema(Schema):
    community = fields.String()
    open = fields.Integer()
    overdue = fields.Integer()
    due_today = fields.Integer()


class CellCaseloadArgs(Schema):
    community = fields.String(required=True)


class CellLoadSchema(Schema):
    cell_id = fields.String(
        allow_none=True, metadata={"description": "null: households placed in no building"}
    )
    name = fields.String(allow_none=True)
    kind = fields.String(allow_none=True, metadata={"description": "group, building, courtyard"})
    group_id = fields.String(allow_none=True)
    leader = fields.String(allow_none=True)
    worker = fields.String(allow_none=True, metadata={"description": "Responsible worker"})
    open = fields.Integer()
    overdue = fields.Integer()
    due_today = fields.Integer()


class CellAssignmentSchema(Schema):
    assignee = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(min=1, max=200),
        metadata={"description": "Who takes the work; default: the cell's responsible worker"},
    )
    unassigned_only = fields.Boolean(
        load_default=False, metadata={"description": "Move only the work no one holds"}
    )


class CellAssignedSchema(Schema):
    cell_id = fields.String()
    assignee = fields.String()
    moved = fields.Integer(metadata={"description": "Open obligations given to the assignee"})


class VisitorLoadSchema(Schema):
    assignee = fields.String(allow_none=True, metadata={"description": "null: unassigned"})
    open = fields.Integer()
    overdue = fields.Integer()
    due_today = fields.Integer()


# --- visits and services


class ServiceFields(Schema):
    service_type = fields.String(required=True, validate=validate.OneOf(SERVICE_TYPES))
    instances = fields.Integer(load_default=1, strict=True, validate=validate.Range(min=1))
    note = fields.String(load_default=None, allow_none=True, validate=TEXT)


class ServiceGivenSchema(ServiceFields):
    @post_load
    def make(self, data: dict[str, Any], **_: object) -> ServiceGiven:
        return ServiceGiven(**data)


class CorrectionSchema(Schema):
    fact = fields.String(
        required=True,
        validate=validate.OneOf(tuple(CHECKED_FACTS)),
        metadata={"description": ", ".join(f"{k} ({v})" for k, v in CHECKED_FACTS.items())},
    )
    value = fields.String(
        required=True,
        validate=validate.Length(min=1, max=200),
        metadata={"description": "As it is; yes or no for party_member and veteran"},
    )


class DoorCheckSchema(Schema):
    corrections = fields.List(fields.Nested(CorrectionSchema), load_default=list)
    campaign_id = fields.String(dump_only=True, allow_none=True)

    @post_load
    def make(self, data: dict[str, Any], **_: object) -> DoorCheck:
        return DoorCheck(tuple(Correction(**c) for c in data["corrections"]))


class VisitInSchema(Schema):
    visit_id = fields.String(
        validate=validate.Length(min=1, max=100),
        metadata={"description": "Optional; send the same id again to retry safely"},
    )
    elder_id = _name()
    visitor = fields.String(
        validate=validate.Length(min=1, max=200),
        metadata={"description": "You, the signed-in user, always; naming anyone else is 422"},
    )
    visited_at = fields.AwareDateTime(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(VISIT_KINDS))
    findings = fields.String(load_default="", validate=TEXT)
    new_triggers = fields.List(
        fields.String(validate=validate.OneOf(TRIGGERS)),
        load_default=list,
        metadata={"description": "Must-visit triggers found; each opens an obligation"},
    )
    services = fields.List(fields.Nested(ServiceGivenSchema), load_default=list)
    follow_up = fields.String(load_default=None, allow_none=True, validate=TEXT)
    gift = fields.String(load_default=None, allow_none=True, validate=TEXT)
    meets = fields.List(
        fields.String(),
        load_default=list,
        metadata={"description": "Ids of the obligations this visit meets"},
    )
    door_check = fields.Nested(
        DoorCheckSchema,
        load_default=None,
        allow_none=True,
        metadata={
            "description": "A door-to-door check (入户核对信息): the facts found wrong, as they "
            "are (none: all correct); needed to meet a door_check obligation"
        },
    )


class VisitRecordSchema(Schema):
    visit_id = fields.String()
    elder_id = fields.String()
    community = fields.String()
    visitor = fields.String()
    visited_at = fields.AwareDateTime()
    kind = fields.String()
    findings = fields.String()
    new_triggers = fields.List(fields.String())
    services = fields.List(fields.Nested(ServiceGivenSchema))
    follow_up = fields.String(allow_none=True)
    gift = fields.String(allow_none=True)
    meets = fields.List(fields.String())
    door_check = fields.Nested(DoorCheckSchema, allow_none=True)
    recorded_by = fields.String()
    recorded_at = fields.AwareDateTime()


class VisitListArgs(PageArgs):
    elder_id = fields.String()
    visitor = fields.String()
    community = fields.String()
    follow_up = fields.Boolean(metadata={"description": "Only visits that need a follow-up"})


class ServiceInSchema(ServiceFields):
    elder_id = _name()
    delivered_on = fields.Date(metadata={"description": "Default: today"})
    provider = fields.String(
        validate=validate.Length(min=1, max=200),
        metadata={
            "description": "Who delivered it: a provider, or a person without an account "
            "(default: you). Who recorded it, `recorded_by`, is always you"
        },
    )


class ServiceDeliverySchema(Schema):
    delivery_id = fields.String()
    elder_id = fields.String()
    community = fields.String()
    service_type = fields.String()
    delivered_on = fields.Date()
    instances = fields.Integer()
    provider = fields.String()
    note = fields.String(allow_none=True)
    visit_id = fields.String(allow_none=True)
    help_request_id = fields.String(allow_none=True)
    recorded_by = fields.String()
    recorded_at = fields.AwareDateTime()


class ServiceListArgs(PageArgs):
    elder_id = fields.String()
    community = fields.String()
    service_type = fields.String(validate=validate.OneOf(SERVICE_TYPES))
    month = fields.String(validate=MONTH)


class StatisticsArgs(Schema):
    from_month = fields.String(validate=MONTH, metadata={"description": "Default: this month"})
    to_month = fields.String(validate=MONTH, metadata={"description": "Default: from_month"})
    community = fields.String()


class CountSchema(Schema):
    month = fields.String()
    community = fields.String()
    service_type = fields.String()
    instances = fields.Integer()


class StatisticsSchema(Schema):
    first_month = fields.String()
    last_month = fields.String()
    total = fields.Integer()
    by_type = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_community = fields.Dict(keys=fields.String(), values=fields.Integer())
    rows = fields.List(fields.Nested(CountSchema))


# --- help requests


class HelpRequestInSchema(Schema):
    elder_id = _name()
    channel = fields.String(required=True, validate=validate.OneOf(HELP_CHANNELS))
    urgency = fields.String(load_default="normal", validate=validate.OneOf(URGENCIES))
    description = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    reported_at = fields.AwareDateTime(metadata={"description": "Default: now"})


class RespondSchema(Schema):
    responder = fields.String(
        validate=validate.Length(min=1, max=200),
        metadata={"description": "You, the signed-in user, always; naming anyone else is 422"},
    )


class ResolveSchema(Schema):
    resolution = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    services = fields.List(fields.Nested(ServiceGivenSchema), load_default=list)


class HelpRequestSchema(Schema):
    request_id = fields.String()
    elder_id = fields.String()
    community = fields.String()
    channel = fields.String()
    urgency = fields.String()
    description = fields.String()
    reported_by = fields.String()
    reported_at = fields.AwareDateTime()
    respond_by = fields.AwareDateTime()
    overdue = fields.Boolean(metadata={"description": "Unanswered past respond_by"})
    status = fields.String(metadata={"enum": list(HELP_STATUSES)})
    responder = fields.String(allow_none=True)
    responded_at = fields.AwareDateTime(allow_none=True)
    answered_in_time = fields.Boolean(allow_none=True)
    resolution = fields.String(allow_none=True)
    resolved_by = fields.String(allow_none=True)
    resolved_at = fields.AwareDateTime(allow_none=True)
    version = fields.Integer()


class HelpRequestListArgs(PageArgs):
    community = fields.String()
    elder_id = fields.String()
    status = fields.String(validate=validate.OneOf(HELP_STATUSES))
    overdue = fields.Boolean()


# --- pairings


class PairingInSchema(Schema):
    elder_id = _name()
    partner_kind = fields.String(
        required=True,
        validate=validate.OneOf(PARTNER_KINDS),
        metadata={"description": "volunteer, cadre, property_staff, building_leader, neighbour"},
    )
    partner_id = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=200),
        metadata={
            "description": "The volunteer's id or the user name; required for a volunteer or a "
            "cadre, optional for the others"
        },
    )
    partner_name = fields.String(
        load_default="",
        validate=validate.Length(max=200),
        metadata={
            "description": "Required, except for a building leader (楼道长): left out, the leader "
            "of the elder's building or courtyard, as the grid records them"
        },
    )
    partner_phone = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Regexp(PHONE_PATTERN, error="not a phone number"),
        metadata={"description": "How to reach the partner; required without partner_id"},
    )
    visits_per_month = fields.Integer(load_default=1, strict=True)
    started_on = fields.Date(metadata={"description": "Default: today"})


class PairingSchema(Schema):
    pairing_id = fields.String()
    elder_id = fields.String()
    community = fields.String()
    partner_id = fields.String(allow_none=True)
    partner_name = fields.String()
    partner_kind = fields.String()
    partner_phone = fields.String(allow_none=True, metadata={"description": "Masked in lists"})
    visits_per_month = fields.Integer()
    started_on = fields.Date()
    status = fields.String()
    ended_on = fields.Date(allow_none=True)
    end_reason = fields.String(allow_none=True)
    version = fields.Integer()


class PairingListArgs(PageArgs):
    elder_id = fields.String()
    partner_id = fields.String()
    community = fields.String()
    status = fields.String(validate=validate.OneOf(("active", "ended")))


# --- festival campaigns


class TargetSchema(Schema):
    communities = fields.List(fields.String(), load_default=list)
    min_age = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=60))
    household_types = fields.List(
        fields.String(validate=validate.OneOf(HOUSEHOLD_TYPES)), load_default=list
    )
    low_income = fields.Boolean(load_default=False)
    disabled = fields.Boolean(load_default=False)
    home_care = fields.Boolean(load_default=False)
    key_targets = fields.Boolean(load_default=False)

    @post_load
    def make(self, data: dict[str, Any], **_: object) -> Target:
        lists = ("communities", "household_types")
        return Target(**{**data, **{name: tuple(data[name]) for name in lists}})


class CampaignInSchema(Schema):
    name = _name()
    purpose = fields.String(
        load_default="festival",
        validate=validate.OneOf(PURPOSES),
        metadata={
            "description": "festival (节日走访慰问: a gift for each) or door_check (入户走访核对"
            "信息: each elder's facts checked at the door)"
        },
    )
    festival = fields.String(
        load_default="",
        validate=validate.Length(max=100),
        metadata={"example": "double_ninth", "description": "A festival campaign's festival"},
    )
    target = fields.Nested(TargetSchema, required=True)
    gift = fields.String(
        load_default="",
        validate=validate.Length(max=500),
        metadata={"description": "What each elder is given (a festival campaign)"},
    )
    gift_value_fen = fields.Integer(
        load_default=None, allow_none=True, strict=True, validate=validate.Range(min=0)
    )
    due_on = fields.Date(required=True, metadata={"description": "Visits due by this day's end"})


class CampaignSchema(Schema):
    campaign_id = fields.String()
    name = fields.String()
    purpose = fields.String()
    festival = fields.String()
    target = fields.Nested(TargetSchema)
    gift = fields.String()
    gift_value_fen = fields.Integer(allow_none=True)
    due_on = fields.Date()
    created_by = fields.String()
    created_at = fields.AwareDateTime()
    launched_at = fields.AwareDateTime(allow_none=True)
    version = fields.Integer()


class CampaignTallySchema(Schema):
    targeted = fields.Integer()
    met = fields.Integer()
    open = fields.Integer()
    cancelled = fields.Integer()


class CommunityTallySchema(CampaignTallySchema):
    community = fields.String()


class CellTallySchema(CampaignTallySchema):
    cell_id = fields.String(allow_none=True, metadata={"description": "None: in no building"})
    name = fields.String(allow_none=True)


class CampaignProgressSchema(Schema):
    campaign = fields.Nested(CampaignSchema)
    targeted = fields.Integer()
    open = fields.Integer()
    met = fields.Integer(metadata={"description": "Visited: gift given, or facts checked"})
    cancelled = fields.Integer()
    overdue = fields.Integer()
    communities = fields.List(fields.Nested(CommunityTallySchema))
    cells = fields.List(
        fields.Nested(CellTallySchema),
        metadata={"description": "By building or courtyard of the grid"},
    )


class LaunchSchema(Schema):
    campaign = fields.Nested(CampaignSchema)
    created = fields.Integer()
    existing = fields.Integer()


# --- configuration and jobs


class TriggerDeadlineSchema(Schema):
    trigger = fields.String()
    label = fields.String()
    hours = fields.Integer()
    default_hours = fields.Integer()


class CommunityStaffSchema(Schema):
    community = fields.String(dump_only=True)
    worker = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    head = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))


class KeyTargetFrequencySchema(Schema):
    reason = fields.String()
    label = fields.String()
    frequency = fields.String()
    frequency_label = fields.String()


class RoutineConfigSchema(Schema):
    due_day = fields.Integer(
        metadata={"description": "Home-care and key-target visits fall due by this day's end"}
    )
    key_targets = fields.List(fields.Nested(KeyTargetFrequencySchema))


class ConfigSchema(Schema):
    triggers = fields.List(fields.Nested(TriggerDeadlineSchema))
    reminders = fields.Nested(ReminderRulesShownSchema)
    help_request_hours = fields.Dict(keys=fields.String(), values=fields.Integer())
    complaint_answer_hours = fields.Integer()
    routine = fields.Nested(RoutineConfigSchema)
    communities = fields.List(fields.Nested(CommunityStaffSchema))
    version = fields.Integer()


class DeadlinesSchema(Schema):
    triggers = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(strict=True),
        load_default=dict,
        metadata={"description": 'Hours per trigger, e.g. {"hospitalised": 72}'},
    )
    help_requests = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(strict=True),
        load_default=dict,
        metadata={"description": 'Response hours per urgency, e.g. {"urgent": 2}'},
    )
    complaints = fields.Integer(
        strict=True,
        load_default=None,
        metadata={"description": "Hours a complaint may wait for its answer; default 72"},
    )


class RoutineSchema(Schema):
    due_day = fields.Integer(
        strict=True,
        metadata={"description": "Day of the month (1-28) routine visits fall due by; default 25"},
    )
    key_targets = fields.Dict(
        keys=fields.String(validate=validate.OneOf(KEY_TARGET_REASONS)),
        values=fields.String(validate=validate.OneOf(VISIT_FREQUENCIES)),
        load_default=dict,
        metadata={
            "description": 'Frequency per key-target reason, e.g. {"low_income": "quarterly"}'
        },
    )


class MonthArgs(Schema):
    month = fields.String(validate=MONTH, metadata={"description": "Default: this month"})


class GenerationSchema(Schema):
    month = fields.String()
    created = fields.Integer()
    existing = fields.Integer()
    past_due = fields.Integer(
        metadata={"description": "Not opened: the elder became due after the due day"}
    )


class OverduePassSchema(Schema):
    overdue = fields.Integer()
    escalated = fields.Integer()
    unescalated = fields.Integer()


# The reports the office keeps


class KeyTargetArgs(ReportFormatArgs):
    community = fields.String(
        metadata={"description": "one community; a community's staff get theirs"}
    )


class KeyTargetSchema(Schema):
    elder_id = fields.String()
    name = fields.String()
    sex = fields.String()
    age = fields.Integer()
    community = fields.String()
    address = fields.String(allow_none=True)
    reasons = fields.List(fields.String())
    last_visited_at = fields.DateTime(allow_none=True)
    last_visitor = fields.String(allow_none=True)
    last_kind = fields.String(allow_none=True)


class KeyTargetReportSchema(Schema):
    community = fields.String(allow_none=True, metadata={"description": "null: the district"})
    made_on = fields.Date()
    staff = fields.List(fields.Nested(CommunityStaffSchema))
    targets = fields.List(fields.Nested(KeyTargetSchema))


class WorkSchema(Schema):
    due = fields.Integer()
    made = fields.Integer()
    overdue = fields.Integer(metadata={"description": "made late, or not made by the deadline"})


class VisitFiguresSchema(Schema):
    community = fields.String(metadata={"description": "empty for the district's row"})
    home_care_visits = fields.Nested(WorkSchema)
    must_visits = fields.Nested(WorkSchema)
    services = fields.Dict(keys=fields.String(), values=fields.Integer())


class HomeCareFiledSchema(Schema):
    due_on = fields.Date(metadata={"description": "The district's report day of the month"})
    handed_in = fields.Boolean(
        metadata={"description": "The month's voucher cycle, with which it is handed in, approved"}
    )
    late = fields.Boolean(
        metadata={"description": "Handed in after the day, or not yet once the day has passed"}
    )


class HomeCareVisitReportSchema(Schema):
    month = fields.String()
    filed = fields.Nested(HomeCareFiledSchema)
    communities = fields.List(fields.Nested(VisitFiguresSchema))
    district = fields.Nested(VisitFiguresSchema)


class VisitsYearSchema(YearSummarySchema):
    must_visits_made = fields.Dict(keys=fields.String(), values=fields.Integer())
    must_visits_total = fields.Integer()
    services = fields.Dict(keys=fields.String(), values=fields.Integer())
    services_total = fields.Integer()
    teams = fields.Dict(
        keys=fields.String(),
        values=fields.Dict(keys=fields.String(), values=fields.Integer()),
        metadata={"description": "Teams of the year by kind, with their members (people)"},
    )
    learning_person_times = fields.Integer(metadata={"description": "At courses and lectures"})
    activity_person_times = fields.Integer(metadata={"description": "At activities"})
    volunteer_hours = fields.Float()
