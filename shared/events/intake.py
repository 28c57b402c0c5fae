"""Events intake publishes about the people in the register.

Every elder event carries the elder's whole current snapshot (the facts other services need)
at the record's `version`, plus what happened. A consumer can therefore bring its projection
up to date from any one event, and ignore one older than what it holds. The national ID number
never leaves intake: no schema here has a field for it.

The elder's address and phone are not in the snapshot: they go on a topic of their own
(`elder.contact_changed`), so that only the services that visit receive them. Allowances, which
pays, needs neither.
"""

from marshmallow import fields, validate

from shared.events.types import EventData, EventType, Topics
from shared.personal import MOBILE_NUMBER_PATTERN
from shared.service_contacts import GUIDE_LONGEST, HOTLINE_PATTERN
from shared.vocabulary import (
    ACCESS_CHANGES,
    ELDER_STATUSES,
    GRID_KINDS,
    HELP_CHANNELS,
    HOUSEHOLD_CHANGES,
    HOUSEHOLD_TYPE_SOURCES,
    HOUSEHOLD_TYPES,
    SEXES,
    TRIGGERS,
    URGENCIES,
)

STATUSES = tuple(ELDER_STATUSES)
CARD_CATEGORIES_EXAMPLE = "60+, 70+, 80+ (configured by the district)"


class Absence(EventData):
    moved_out_on = fields.Date(required=True)
    returned_on = fields.Date(required=True)


class ElderSnapshot(EventData):
    elder_id = fields.String(required=True, metadata={"description": "Intake's id of the elder"})
    version = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=1),
        metadata={"description": "The record's version after this change; orders updates"},
    )
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    sex = fields.String(required=True, validate=validate.OneOf(SEXES))
    birth_date = fields.Date(required=True)
    community = fields.String(required=True, metadata={"description": "Community code"})
    household_type = fields.String(load_default="unknown", validate=validate.OneOf(HOUSEHOLD_TYPES))
    low_income = fields.Boolean(load_default=False, metadata={"description": "低保"})
    disabled = fields.Boolean(load_default=False)
    home_care = fields.Boolean(
        load_default=False, metadata={"description": "Enrolled home-care household (居家养老户)"}
    )
    retired_cadre_employer = fields.String(
        load_default=None, allow_none=True, metadata={"description": "Original employer"}
    )
    key_target_reasons = fields.List(
        fields.String(),
        load_default=list,
        metadata={"description": "Rules that make the elder a key service target (重点服务对象)"},
    )
    status = fields.String(load_default="active", validate=validate.OneOf(STATUSES))
    died_on = fields.Date(load_default=None, allow_none=True)
    moved_out_on = fields.Date(load_default=None, allow_none=True)
    absences = fields.List(
        fields.Nested(Absence),
        load_default=list,
        metadata={
            "description": "Earlier times the elder lived outside the district (moved out, "
            "then returned): nothing is payable or owed for them"
        },
    )
    last_checked_on = fields.Date(
        load_default=None,
        allow_none=True,
        metadata={"description": "The day the elder's facts were last checked at the door"},
    )
    priority_card = fields.Boolean(
        load_default=False,
        metadata={"description": "Holds a priority service card (老年人优先服务卡) now"},
    )


class ElderContact(EventData):
    """Where to find the elder: for the services that visit, on a topic of its own."""

    elder_id = fields.String(required=True, metadata={"description": "Intake's id of the elder"})
    version = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=1),
        metadata={"description": "The elder record's version that holds this address and phone"},
    )
    address = fields.String(required=True)
    phone = fields.String(load_default=None, allow_none=True)


def _without_contact(data: dict) -> dict:
    """Version 1 of the snapshot also carried the address and phone."""
    return {name: value for name, value in data.items() if name not in ("address", "phone")}


class ElderRegistered(ElderSnapshot):
    registered_at = fields.AwareDateTime(required=True)


class ElderUpdated(ElderSnapshot):
    changed = fields.List(fields.String(), required=True, metadata={"description": "Field names"})


class ElderAssessed(ElderSnapshot):
    scale = fields.String(required=True, metadata={"description": "e.g. barthel"})
    self_care_level = fields.String(
        required=True, metadata={"description": "e.g. independent, mild, moderate, severe"}
    )
    assessed_on = fields.Date(required=True)
    valid_until = fields.Date(load_default=None, allow_none=True)


class ElderMoved(ElderSnapshot):
    from_community = fields.String(required=True)
    to_community = fields.String(required=True)
    moved_on = fields.Date(required=True)


class ElderReorganised(ElderSnapshot):
    from_community = fields.String(required=True)
    to_community = fields.String(required=True)
    reorganisation_id = fields.String(
        required=True, metadata={"description": "The reorganisation (community.reorganised)"}
    )


class ElderMovedOut(ElderSnapshot):
    moved_on = fields.Date(required=True)
    destination = fields.String(load_default=None, allow_none=True)


class ElderDeceased(ElderSnapshot):
    reported_by = fields.String(
        required=True, metadata={"description": "staff, or the system that reported it"}
    )


class ElderDeathRevoked(ElderSnapshot):
    revoked_died_on = fields.Date(
        required=True, metadata={"description": "The date of death that was reported in error"}
    )
    reason = fields.String(
        required=True, metadata={"description": "Why, as the district administrator gave it"}
    )


class ElderReturned(ElderSnapshot):
    returned_on = fields.Date(required=True)
    away_since = fields.Date(
        required=True, metadata={"description": "When the elder had moved out of the district"}
    )
    to_community = fields.String(required=True)


class ElderCardIssued(ElderSnapshot):
    card_number = fields.String(required=True)
    category = fields.String(required=True, metadata={"description": CARD_CATEGORIES_EXAMPLE})
    issued_on = fields.Date(required=True)
    reissue = fields.Boolean(load_default=False)
    replaces = fields.String(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "The card this one replaces (reissued, or upgraded to a higher "
            "category); cancelled in the same change"
        },
    )


class ElderCardCancelled(ElderSnapshot):
    card_number = fields.String(required=True)
    reason = fields.String(required=True)


class ElderPriorityCardIssued(ElderSnapshot):
    card_number = fields.String(required=True)
    issued_on = fields.Date(required=True)
    reissue = fields.Boolean(load_default=False)
    replaces = fields.String(
        load_default=None,
        allow_none=True,
        metadata={"description": "The card this one replaces; cancelled in the same change"},
    )


class IncidentReported(EventData):
    """One of the eight must-visit triggers (八个必访), resolved to an elder by intake."""

    incident_id = fields.String(
        required=True,
        metadata={
            "description": "Stable id of the incident; the same incident reported twice "
            "keeps its id, so it never creates a second obligation"
        },
    )
    elder_id = fields.String(required=True)
    trigger = fields.String(required=True, validate=validate.OneOf(TRIGGERS))
    occurred_at = fields.AwareDateTime(required=True)
    reported_by = fields.String(
        required=True, metadata={"description": "The reporting system or staff member"}
    )
    reference = fields.String(
        load_default=None, allow_none=True, metadata={"description": "The reporter's own id"}
    )
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class ElderMerged(ElderSnapshot):
    merged_into = fields.String(
        required=True, metadata={"description": "The record this duplicate was merged into"}
    )


class HelpRequested(EventData):
    """A call to the hotline or a love-umbrella (爱心伞) sighting, resolved to an elder."""

    request_id = fields.String(required=True, metadata={"description": "Stable id of the call"})
    elder_id = fields.String(required=True)
    channel = fields.String(required=True, validate=validate.OneOf(HELP_CHANNELS))
    urgency = fields.String(required=True, validate=validate.OneOf(URGENCIES))
    occurred_at = fields.AwareDateTime(required=True)
    reported_by = fields.String(required=True)
    note = fields.String(load_default=None, allow_none=True)


class VolunteerRegistered(EventData):
    volunteer_id = fields.String(required=True)
    version = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    name = fields.String(required=True)
    community = fields.String(required=True)
    skills = fields.List(fields.String(), load_default=list)
    elder_id = fields.String(
        load_default=None, allow_none=True, metadata={"description": "Set if also an elder"}
    )


class HouseholdState(EventData):
    """A household (户) as it stands: who of the register lives there, and its type. Its
    address and the names of residents outside the register stay in intake."""

    household_id = fields.String(required=True)
    version = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    community = fields.String(required=True)
    household_type = fields.String(required=True, validate=validate.OneOf(HOUSEHOLD_TYPES))
    type_source = fields.String(
        required=True,
        validate=validate.OneOf(HOUSEHOLD_TYPE_SOURCES),
        metadata={"description": "rules (from the members) or by_hand (staff, with a reason)"},
    )
    members = fields.List(
        fields.String(), required=True, metadata={"description": "Elder ids living here"}
    )
    persons = fields.Integer(
        required=True, metadata={"description": "Everyone living here, in the register or not"}
    )
    status = fields.String(required=True, validate=validate.OneOf(("active", "closed")))
    home_care = fields.Boolean(
        load_default=False,
        metadata={
            "description": "Enrolled as a home-care household (居家养老户): its elders have the "
            "home-care service and its vouchers, one per person"
        },
    )
    home_care_since = fields.Date(
        load_default=None, allow_none=True, metadata={"description": "Enrolled since"}
    )
    cell_id = fields.String(
        load_default=None,
        allow_none=True,
        metadata={"description": "The building or courtyard of the grid it is in (grid.cell)"},
    )


class GridCellChanged(EventData):
    """A cell of the grid below the community as it stands. Its leader holds a public role
    (the office posts their name and phone on the wall, 上墙公布): visits pairs elders with
    them and calls them."""

    cell_id = fields.String(required=True)
    version = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    community = fields.String(required=True)
    kind = fields.String(
        required=True,
        validate=validate.OneOf(GRID_KINDS),
        metadata={"description": ", ".join(f"{k} ({v})" for k, v in GRID_KINDS.items())},
    )
    name = fields.String(required=True)
    group_id = fields.String(
        load_default=None,
        allow_none=True,
        metadata={"description": "The resident group a building or courtyard belongs to"},
    )
    leader = fields.String(
        load_default=None,
        allow_none=True,
        metadata={"description": "The leader's name (居民小组长, 楼道长, 院落长)"},
    )
    leader_phone = fields.String(
        load_default=None, allow_none=True, metadata={"description": "The leader's mobile number"}
    )
    worker = fields.String(
        load_default=None,
        allow_none=True,
        metadata={"description": "The community worker responsible (a staff user name)"},
    )
    status = fields.String(required=True, validate=validate.OneOf(("active", "retired")))
    change = fields.String(
        required=True, validate=validate.OneOf(("opened", "changed", "retired", "reorganised"))
    )


class DistrictContactsChanged(EventData):
    """The district's service contacts as the administrator set them: printed at the foot of
    every form the office prints (五个一), whichever service prints it."""

    version = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    hotline = fields.String(
        required=True,
        validate=validate.Regexp(r"^$|" + HOTLINE_PATTERN),
        metadata={"description": "The service hotline (服务热线), e.g. 12349; empty: none"},
    )
    service_guide = fields.String(
        required=True,
        validate=validate.Length(max=GUIDE_LONGEST),
        metadata={"description": "The title of the service guide handbook (服务指南手册)"},
    )


class CommunityReorganised(EventData):
    """A reorganisation of the district's communities, as it starts and once it is applied."""

    reorganisation_id = fields.String(required=True)
    version = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    status = fields.String(
        required=True,
        validate=validate.OneOf(("applying", "applied")),
        metadata={"description": "applying: records are moving now; applied: all have moved"},
    )
    kind = fields.String(required=True, validate=validate.OneOf(("merge", "split", "rename")))
    sources = fields.List(
        fields.String(), required=True, metadata={"description": "The communities reorganised"}
    )
    target = fields.String(
        required=True,
        metadata={
            "description": "merge: the community they become; split: the new community; "
            "rename: the community renamed"
        },
    )
    name = fields.String(
        allow_none=True, metadata={"description": "The new community's name, or the new name"}
    )
    retired = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "The communities that no longer exist (a merge's others)"},
    )
    worker = fields.String(
        allow_none=True,
        metadata={"description": "Who does the resulting community's visits (none: unchanged)"},
    )
    head = fields.String(
        allow_none=True,
        metadata={"description": "The resulting community's head (none: unchanged)"},
    )
    elders = fields.Integer(allow_none=True, metadata={"description": "Elders moved, once applied"})


class HouseholdChanged(HouseholdState):
    reason = fields.String(
        required=True,
        validate=validate.OneOf(HOUSEHOLD_CHANGES),
        metadata={"description": "What changed: " + ", ".join(HOUSEHOLD_CHANGES)},
    )
    elder_id = fields.String(
        load_default=None, allow_none=True, metadata={"description": "The elder who came or left"}
    )
    departure = fields.String(
        load_default=None,
        allow_none=True,
        metadata={"description": "Why the elder left: died, moved_out, moved, merged, regrouped"},
    )
    previous_type = fields.String(required=True, validate=validate.OneOf(HOUSEHOLD_TYPES))


class StaffAccessChanged(EventData):
    """A staff account's access changed: tokens issued before are no longer accepted."""

    username = fields.String(required=True)
    token_version = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=1),
        metadata={"description": "Tokens naming an older version are refused from now on"},
    )
    change = fields.String(
        required=True,
        validate=validate.OneOf(ACCESS_CHANGES),
        metadata={"description": "What changed: " + ", ".join(ACCESS_CHANGES)},
    )


class StaffContactChanged(EventData):
    """A staff account's mobile number was given, changed or taken away: the number the
    reminders of the user's work are sent to by SMS."""

    username = fields.String(required=True)
    mobile = fields.String(
        required=True,
        allow_none=True,
        validate=validate.Regexp(MOBILE_NUMBER_PATTERN),
        metadata={"description": "The mobile number (11 digits), or null: none any more"},
    )
    contact_version = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=1),
        metadata={"description": "Raised at each change: an older one is ignored"},
    )


def _elder(name: str, schema: type[EventData], description: str) -> EventType:
    return EventType(
        name,
        Topics.ELDERS,
        schema,
        description,
        producer="intake",
        version=2,
        upcasters={1: _without_contact},
    )


EVENTS = [
    _elder("elder.registered", ElderRegistered, "An elder was entered in the district's register."),
    _elder("elder.updated", ElderUpdated, "Facts of an elder changed (household, flags, name)."),
    _elder(
        "elder.assessed", ElderAssessed, "A self-care assessment was recorded; latest in force."
    ),
    _elder("elder.moved", ElderMoved, "The elder moved to another community of the district."),
    _elder(
        "elder.reorganised",
        ElderReorganised,
        "The elder's community became another by a reorganisation of the district (a merge, or "
        "a split that took their home); they did not move house, and no must-visit follows.",
    ),
    _elder("elder.moved_out", ElderMovedOut, "The elder left the district; status moved_out."),
    _elder("elder.deceased", ElderDeceased, "The elder died; status deceased, died_on set."),
    _elder(
        "elder.death_revoked",
        ElderDeathRevoked,
        "A death reported in error was revoked by the district administrator; status active "
        "again, died_on null. Undo what the death did: reopen work, resume payment with back "
        "pay, cancel recoveries.",
    ),
    _elder(
        "elder.returned",
        ElderReturned,
        "An elder who had moved out of the district lives in it again: the same record, status "
        "active, the time away added to absences.",
    ),
    _elder(
        "elder.merged",
        ElderMerged,
        "A duplicate record was merged into another; status merged, no longer served.",
    ),
    _elder("elder.card_issued", ElderCardIssued, "An elder card (老年证) was issued or reissued."),
    _elder("elder.card_cancelled", ElderCardCancelled, "An elder card was cancelled."),
    _elder(
        "elder.priority_card_issued",
        ElderPriorityCardIssued,
        "A priority service card (老年人优先服务卡) was issued or reissued.",
    ),
    _elder(
        "elder.priority_card_cancelled",
        ElderCardCancelled,
        "A priority service card was cancelled: handed back, reissued, or the elder died.",
    ),
    EventType(
        "elder.contact_changed",
        Topics.CONTACTS,
        ElderContact,
        "The elder's address or phone, at registration and whenever either changes.",
        producer="intake",
    ),
    EventType(
        "incident.reported",
        Topics.INCIDENTS,
        IncidentReported,
        "A life event that obliges a home visit was reported for an elder.",
        producer="intake",
    ),
    EventType(
        "help.requested",
        Topics.INCIDENTS,
        HelpRequested,
        "Someone asked for help for an elder: a hotline call or a love umbrella.",
        producer="intake",
    ),
    EventType(
        "staff.access_changed",
        Topics.STAFF,
        StaffAccessChanged,
        "A staff account was disabled or enabled, its roles or community changed, its password "
        "reset, or its user signed out: every service refuses the user's earlier tokens.",
        producer="intake",
    ),
    EventType(
        "staff.contact_changed",
        Topics.STAFF,
        StaffContactChanged,
        "A staff account's mobile number was given, changed or taken away: visits and "
        "allowances send the reminders of the user's work to it by SMS.",
        producer="intake",
    ),
    EventType(
        "household.formed",
        Topics.HOUSEHOLDS,
        HouseholdState,
        "A household (户) was formed: at registration, by a survey's import (grouped by 户号 or "
        "address), or when an elder moved to a new home.",
        producer="intake",
    ),
    EventType(
        "household.changed",
        Topics.HOUSEHOLDS,
        HouseholdChanged,
        "A household's members or type changed: an elder joined or left (died, moved), staff "
        "set its type by hand or gave it back to the rules, or its residents changed. Its type "
        "is worked out again from those who remain.",
        producer="intake",
    ),
    EventType(
        "grid.cell_changed",
        Topics.HOUSEHOLDS,
        GridCellChanged,
        "A cell of the grid below the community (a resident group 居民小组, a building 楼栋 or a "
        "courtyard 院落) was opened, changed (its name, group, leader or responsible worker) or "
        "retired.",
        producer="intake",
    ),
    EventType(
        "district.contacts_changed",
        Topics.HOUSEHOLDS,
        DistrictContactsChanged,
        "The district's service hotline and service guide were set: visits and allowances print "
        "them at the foot of their forms. Keyed `district`.",
        producer="intake",
    ),
    EventType(
        "community.reorganised",
        Topics.HOUSEHOLDS,
        CommunityReorganised,
        "The district's communities were reorganised (merged, split or renamed): announced as "
        "it starts (the records then move, each with its own event) and once it is applied. "
        "Visits gives the resulting community the worker and head named.",
        producer="intake",
    ),
    EventType(
        "volunteer.registered",
        Topics.VOLUNTEERS,
        VolunteerRegistered,
        "A person offered to volunteer (they may also be an elder).",
        producer="intake",
    ),
]

ELDER_EVENTS = tuple(kind.name for kind in EVENTS if kind.topic == Topics.ELDERS)
HOUSEHOLD_EVENTS = tuple(kind.name for kind in EVENTS if kind.name.startswith("household."))
