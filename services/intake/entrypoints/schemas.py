"""The HTTP contract of intake: request and response bodies, and list filters."""

from datetime import date, datetime
from typing import Any

from marshmallow import Schema, ValidationError, fields, post_load, validate

from services.intake.domain.age_bands import BAND_NAMES
from services.intake.domain.assessment import SCALES
from services.intake.domain.district import CardCategory, Community
from services.intake.domain.elder import Circumstances
from services.intake.domain.key_targets import RULES
from services.intake.domain.national_id import InvalidNationalId, parse_national_id
from shared.personal import PHONE_PATTERN
from shared.vocabulary import (
    CADRE_RETIREMENTS,
    ELDER_STATUSES,
    HOUSEHOLD_TYPES,
    MARITAL_STATUSES,
    SETTLEMENTS,
    SEXES,
)
from shared.web.files import YearSummarySchema
from shared.web.pagination import KeysetArgs, PageArgs

PHONE = validate.Regexp(PHONE_PATTERN, error="not a phone number")
TEXT = validate.Length(min=1, max=200)


class EmergencyContactSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    phone = fields.String(required=True, validate=PHONE)
    relation = fields.String(validate=validate.Length(max=50))


class EmergencyContactOutSchema(Schema):
    name = fields.String(required=True)
    phone = fields.String(required=True, metadata={"description": "Masked unless yours to see"})
    relation = fields.String()


class HouseholdMemberSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    relation = fields.String(required=True, validate=validate.Length(min=1, max=50))
    phone = fields.String(validate=PHONE)


class CircumstancesSchema(Schema):
    """Household and flags. At registration a field not sent takes its default: household
    type `unknown`, every flag false, no employer, no skills."""

    household_type = fields.String(validate=validate.OneOf(HOUSEHOLD_TYPES))
    low_income = fields.Boolean(metadata={"description": "低保"})
    disabled = fields.Boolean()
    home_care = fields.Boolean(
        metadata={"description": "Enrolled home-care household (居家养老户)"}
    )
    retired_cadre_employer = fields.String(allow_none=True, validate=TEXT)
    retired_cadre_employer_contact = fields.String(allow_none=True, validate=TEXT)
    skills = fields.List(
        fields.String(validate=TEXT), metadata={"description": "Skills offered for volunteering"}
    )
    marital_status = fields.String(
        validate=validate.OneOf(MARITAL_STATUSES),
        metadata={"description": "婚姻状况; widowed (丧偶) and childless makes a lone elder 孤寡"},
    )
    has_children = fields.Boolean(
        allow_none=True, metadata={"description": "有无子女; null when not known"}
    )
    party_member = fields.Boolean(
        allow_none=True, metadata={"description": "党员; shown only to who care for the elder"}
    )
    veteran = fields.Boolean(
        allow_none=True, metadata={"description": "退役军人; shown only to who care for the elder"}
    )
    cadre_retirement = fields.String(
        allow_none=True,
        validate=validate.OneOf(CADRE_RETIREMENTS),
        metadata={"description": "离休 (lixiu) or 退休 (tuixiu), for a retired cadre"},
    )
    settlement = fields.String(
        allow_none=True,
        validate=validate.OneOf(SETTLEMENTS),
        metadata={"description": "Lives in an urban community (社区) or a village (村)"},
    )

    @post_load
    def make(self, data: dict[str, Any], **_: object) -> Any:
        return Circumstances(**_with_skills_as_tuple(data))


class CircumstancesChangeSchema(CircumstancesSchema):
    """Only the fields sent change; the others keep their values."""

    @post_load
    def make(self, data: dict[str, Any], **_: object) -> Any:
        return _with_skills_as_tuple(data)


def _with_skills_as_tuple(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "skills": tuple(data["skills"])} if "skills" in data else data


class NationalIdField(fields.String):
    """An 18-character ID number with a valid GB 11643 check character."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return parse_national_id(text).value
        except InvalidNationalId as error:
            raise ValidationError(str(error)) from error


class RegistrationSchema(Schema):
    national_id = NationalIdField(required=True, metadata={"example": "110105194403070021"})
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    sex = fields.String(required=True, validate=validate.OneOf(SEXES))
    birth_date = fields.Date(required=True)
    community = fields.String(
        required=True,
        validate=validate.Length(min=1, max=100),
        metadata={"description": "The community's code, or its name (金东社区, or 金东)"},
    )
    address = fields.String(required=True, validate=validate.Length(min=1, max=300))
    phone = fields.String(validate=PHONE)
    emergency_contact = fields.Nested(EmergencyContactSchema)
    circumstances = fields.Nested(CircumstancesSchema, load_default=Circumstances)
    household_members = fields.List(fields.Nested(HouseholdMemberSchema), load_default=list)
    household_number = fields.String(
        validate=validate.Length(min=1, max=50),
        metadata={
            "description": "户号, where the office has one: elders with the same number in the "
            "community are one household (else those at the same address)"
        },
    )
    building = fields.String(
        validate=validate.Length(min=1, max=100),
        metadata={
            "description": "The building (楼栋) or courtyard (院落) the elder lives in, by its "
            "name on the community's grid: a new household is placed in it (a name the grid "
            "lacks is reported, and the household placed in none)"
        },
    )

    @post_load
    def members_as_tuple(self, data: dict[str, Any], **_: object) -> dict[str, Any]:
        return {**data, "household_members": tuple(data["household_members"])}


class Versioned(Schema):
    version = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=1),
        metadata={"description": "The elder's version you saw; a stale one gets 409"},
    )


class UpdateSchema(Versioned):
    name = fields.String(validate=validate.Length(min=1, max=100))
    address = fields.String(validate=validate.Length(min=1, max=300))
    phone = fields.String(allow_none=True, validate=PHONE)
    emergency_contact = fields.Nested(EmergencyContactSchema)
    circumstances = fields.Nested(
        CircumstancesChangeSchema,
        metadata={"description": "Only the fields sent change; the others keep their values"},
    )
    household_members = fields.List(fields.Nested(HouseholdMemberSchema))

    @post_load
    def members_as_tuple(self, data: dict[str, Any], **_: object) -> dict[str, Any]:
        if "household_members" in data:
            data["household_members"] = tuple(data["household_members"])
        return data


class AssessmentSchema(Versioned):
    scale = fields.String(required=True, validate=validate.OneOf(SCALES))
    score = fields.Integer(
        required=True, strict=True, metadata={"description": "Barthel 0–100, or national level 0–4"}
    )
    chronic_illnesses = fields.List(fields.String(validate=TEXT), load_default=list)
    assessor = fields.String(required=True, validate=TEXT)
    assessed_on = fields.Date(required=True)
    valid_until = fields.Date(load_default=None)


class DeathSchema(Versioned):
    died_on = fields.Date(required=True)
    reported_by = fields.String(load_default="staff", validate=TEXT)


class MoveSchema(Versioned):
    moved_on = fields.Date(required=True)
    to_community = fields.String(
        load_default=None, metadata={"description": "Set for a move within the district"}
    )
    address = fields.String(load_default=None, validate=validate.Length(min=1, max=300))
    destination = fields.String(
        load_default=None, metadata={"description": "Where to, for a move out of the district"}
    )


class CardRequestSchema(Versioned):
    category = fields.String(
        load_default=None, metadata={"description": "Omit for the highest the age allows"}
    )


class ReissueSchema(Versioned):
    reason = fields.String(load_default="lost", validate=TEXT)


class PriorityCardCancellationSchema(Versioned):
    reason = fields.String(
        required=True,
        validate=TEXT,
        metadata={"description": "Why, e.g. handed back by the elder"},
    )


class DuplicateResolutionSchema(Versioned):
    other_elder_id = fields.String(required=True)
    decision = fields.String(required=True, validate=validate.OneOf(("merge", "distinct")))


class DeathRevocationSchema(Versioned):
    reason = fields.String(
        required=True,
        validate=validate.Length(min=1, max=500),
        metadata={"description": "Why the death was reported in error"},
    )


class ReturnSchema(Versioned):
    returned_on = fields.Date(required=True)
    community = fields.String(
        required=True,
        validate=validate.Length(min=1, max=100),
        metadata={"description": "The community the elder lives in now"},
    )
    address = fields.String(
        load_default=None,
        validate=validate.Length(min=1, max=300),
        metadata={"description": "Omit to keep the address on record"},
    )


class IdentityCorrectionInSchema(Versioned):
    national_id = NationalIdField(
        load_default=None, metadata={"description": "The corrected ID number, if it changes"}
    )
    birth_date = fields.Date(
        load_default=None, metadata={"description": "Must agree with the ID number"}
    )
    sex = fields.String(
        load_default=None,
        validate=validate.OneOf(SEXES),
        metadata={"description": "Must agree with the ID number"},
    )
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


class RejectionSchema(Versioned):
    note = fields.String(required=True, validate=validate.Length(min=1, max=500))


class AbsenceSchema(Schema):
    moved_out_on = fields.Date()
    returned_on = fields.Date()


class IdentityCorrectionSchema(Schema):
    national_id = fields.String()
    birth_date = fields.Date()
    sex = fields.String()
    previous_national_id = fields.String()
    previous_birth_date = fields.Date()
    previous_sex = fields.String()
    reason = fields.String()
    proposed_by = fields.String()
    proposed_at = fields.AwareDateTime()
    status = fields.String(metadata={"description": "pending, approved or rejected"})
    decided_by = fields.String(allow_none=True)
    decided_at = fields.AwareDateTime(allow_none=True)
    decision_note = fields.String(allow_none=True)


class AssessmentOutSchema(Schema):
    scale = fields.String()
    score = fields.Integer()
    self_care_level = fields.String()
    chronic_illnesses = fields.List(
        fields.String(),
        metadata={
            "description": "On one elder's record and its history, to intake clerks, visitors "
            "and community heads; left out of lists and for other roles"
        },
    )
    assessor = fields.String()
    assessed_on = fields.Date()
    valid_until = fields.Date()


class CardSchema(Schema):
    number = fields.String()
    category = fields.String()
    issued_on = fields.Date()


class PriorityCardSchema(Schema):
    number = fields.String()
    issued_on = fields.Date()


class DoorCheckedSchema(Schema):
    checked_on = fields.Date()
    by = fields.String(metadata={"description": "The worker who called"})
    campaign_id = fields.String(allow_none=True, metadata={"description": "The round of checks"})
    visit_id = fields.String()
    corrected = fields.List(fields.String(), metadata={"description": "The facts found wrong"})


class ListedElderSchema(Schema):
    """An elder as a list shows them: the ID number masked."""

    elder_id = fields.String()
    name = fields.String()
    sex = fields.String()
    age = fields.Integer()
    community = fields.String()
    status = fields.String()
    national_id = fields.String(metadata={"description": "masked: 110105********0021"})


class ElderSchema(Schema):
    elder_id = fields.String()
    national_id = fields.String()
    name = fields.String()
    sex = fields.String()
    birth_date = fields.Date()
    age = fields.Integer()
    community = fields.String()
    address = fields.String()
    phone = fields.String(allow_none=True)
    emergency_contact = fields.Nested(
        EmergencyContactOutSchema, allow_none=True, metadata={"description": "null: none given"}
    )
    circumstances = fields.Nested(CircumstancesSchema)
    household_members = fields.List(fields.Nested(HouseholdMemberSchema))
    assessment = fields.Nested(AssessmentOutSchema, allow_none=True)
    key_target_reasons = fields.List(fields.String())
    card = fields.Nested(CardSchema, allow_none=True)
    card_upgrade_due = fields.String(
        allow_none=True,
        metadata={
            "description": "The higher card category the elder's age now allows "
            "(POST /elders/{id}/card/upgrade), or null"
        },
    )
    priority_card = fields.Nested(
        PriorityCardSchema,
        allow_none=True,
        metadata={"description": "The priority service card (老年人优先服务卡) held, or null"},
    )
    possible_duplicates = fields.List(fields.String())
    warnings = fields.List(fields.String())
    status = fields.String()
    died_on = fields.Date(allow_none=True)
    moved_out_on = fields.Date(allow_none=True)
    merged_into = fields.String(allow_none=True)
    absences = fields.List(
        fields.Nested(AbsenceSchema),
        metadata={"description": "Earlier times away from the district (moved out, returned)"},
    )
    identity_corrections = fields.List(
        fields.Nested(IdentityCorrectionSchema),
        metadata={"description": "Corrections of ID number, birth date and sex, and decisions"},
    )
    last_checked = fields.Nested(
        DoorCheckedSchema,
        allow_none=True,
        metadata={"description": "When the facts were last checked at the door, by whom"},
    )
    version = fields.Integer()
    registered_at = fields.AwareDateTime()


class HistorySchema(Schema):
    at = fields.AwareDateTime()
    by = fields.String()
    origin = fields.String(data_key="from", attribute="from", allow_none=True)
    change = fields.String()
    version = fields.Integer()
    before = fields.Dict(metadata={"description": "Changed fields, as they were"})
    after = fields.Dict(metadata={"description": "Changed fields, as they are now"})


class ElderListArgs(KeysetArgs):
    """In the order of elder ids; `after`/`before` page by cursor, `page` by number (slower
    where the register is searched: it is read up to the page)."""

    community = fields.String()
    status = fields.String(validate=validate.OneOf(ELDER_STATUSES))
    age_band = fields.String(validate=validate.OneOf(BAND_NAMES))
    household_type = fields.String(validate=validate.OneOf(HOUSEHOLD_TYPES))
    low_income = fields.Boolean()
    disabled = fields.Boolean()
    home_care = fields.Boolean()
    key_target = fields.Boolean()
    key_target_reason = fields.String(validate=validate.OneOf(tuple(RULES)))
    card = fields.String(
        metadata={
            "description": "any, none, a card category code, or upgrade_due: active holders "
            "whose age now allows a higher category"
        }
    )
    name = fields.String(metadata={"description": "Exact name"})
    identity_correction = fields.String(
        validate=validate.OneOf(("pending", "approved", "rejected")),
        metadata={"description": "pending: corrections awaiting the administrator's decision"},
    )
    not_checked_since = fields.Date(
        metadata={
            "description": "Only elders whose facts were not checked at the door (入户核对) on "
            "or after this day, those never checked among them"
        }
    )


class CommunitySchema(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=50))
    name = fields.String(required=True, validate=TEXT)
    kind = fields.String(load_default="community", validate=validate.OneOf(SETTLEMENTS))
    former_names = fields.List(
        fields.String(validate=TEXT),
        load_default=list,
        metadata={"description": "Names it had before a rename; still understood"},
    )

    @post_load
    def make(self, data: dict[str, Any], **_: object) -> Community:
        return Community(**{**data, "former_names": tuple(data["former_names"])})


class RetiredCommunitySchema(Schema):
    code = fields.String()
    name = fields.String()
    successor = fields.String(metadata={"description": "The community it was merged into"})
    reorganisation_id = fields.String()


class CardCategorySchema(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=20))
    name = fields.String(required=True, validate=TEXT)
    min_age = fields.Integer(required=True, strict=True, validate=validate.Range(min=60))

    @post_load
    def make(self, data: dict[str, Any], **_: object) -> CardCategory:
        return CardCategory(**data)


class DistrictSchema(Schema):
    communities = fields.List(fields.Nested(CommunitySchema))
    card_categories = fields.List(fields.Nested(CardCategorySchema))
    retired = fields.List(
        fields.Nested(RetiredCommunitySchema),
        metadata={
            "description": "Communities merged into others: their codes and names now "
            "mean their successor"
        },
    )
    version = fields.Integer(
        metadata={"description": "0 until first changed; each change adds one"}
    )


class CommunitiesSchema(Schema):
    communities = fields.List(
        fields.Nested(CommunitySchema), required=True, validate=validate.Length(min=1)
    )


class CardCategoriesSchema(Schema):
    card_categories = fields.List(
        fields.Nested(CardCategorySchema), required=True, validate=validate.Length(min=1)
    )


class VolunteerInSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    community = fields.String(required=True)
    phone = fields.String(load_default=None, validate=PHONE)
    skills = fields.List(fields.String(validate=TEXT), load_default=list)
    national_id = NationalIdField(load_default=None)
    elder_id = fields.String(load_default=None)


class VolunteerSchema(Schema):
    volunteer_id = fields.String()
    name = fields.String()
    community = fields.String()
    phone = fields.String(allow_none=True, metadata={"description": "Masked in the list"})
    skills = fields.List(fields.String())
    elder_id = fields.String(allow_none=True)
    registered_at = fields.AwareDateTime()


class VolunteerListArgs(PageArgs):
    community = fields.String()
    skill = fields.String()


class RejectedRowSchema(Schema):
    row = fields.Integer()
    reason = fields.String()


class AmbiguousGroupingSchema(Schema):
    rows = fields.List(fields.Integer(), metadata={"description": "The survey's rows"})
    elder_ids = fields.List(fields.String())
    reason = fields.String()


class GroupingSchema(Schema):
    """How the imported elders were put into households (户): by 户号 where a row has one,
    else by the normalised address in the community (docs/households.md)."""

    placed = fields.Integer()
    households_formed = fields.Integer()
    households_joined = fields.Integer(metadata={"description": "Existing households joined"})
    types_followed = fields.Integer(
        metadata={"description": "Elders whose household type became their household's"}
    )
    ambiguous = fields.List(
        fields.Nested(AmbiguousGroupingSchema),
        metadata={"description": "Groupings a clerk should check, and fix on the household"},
    )


class ImportReportSchema(Schema):
    rows = fields.Integer()
    imported = fields.Integer()
    unchanged = fields.Integer(metadata={"description": "Already registered: left as they are"})
    possible_duplicates = fields.Integer()
    rejected = fields.List(fields.Nested(RejectedRowSchema))
    households = fields.Nested(GroupingSchema)


FIRST_YEAR, LAST_YEAR = 1900, 9000  # no register is older; no day is later


class DayOrMoment(fields.Field):
    """A day (2026-06-30: its end, in the district's time zone) or a moment (ISO 8601)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        text = str(value).strip()
        try:
            when = date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
        except ValueError as error:
            raise ValidationError(
                "a day (2026-06-30) or a moment (2026-06-30T18:00:00+08:00)"
            ) from error
        if not FIRST_YEAR <= when.year < LAST_YEAR:
            raise ValidationError(f"a day from {FIRST_YEAR} on")
        return when


class StatisticsArgs(Schema):
    community = fields.String()
    as_of = DayOrMoment(
        metadata={
            "description": "The register as it stood at the end of this day (or at this "
            "moment), by the communities of then: before or after a reorganisation",
            "type": "string",
            "example": "2026-06-30",
        }
    )
    format = fields.String(load_default="json", validate=validate.OneOf(("json", "xlsx")))


class FactCountsSchema(Schema):
    marital_status = fields.Dict(keys=fields.String(), values=fields.Integer())
    party_member = fields.Dict(keys=fields.String(), values=fields.Integer())
    veteran = fields.Dict(keys=fields.String(), values=fields.Integer())
    cadre_retirement = fields.Dict(keys=fields.String(), values=fields.Integer())
    settlement = fields.Dict(keys=fields.String(), values=fields.Integer())


class HouseholdCountsSchema(Schema):
    households = fields.Integer(metadata={"description": "户"})
    elders = fields.Integer(metadata={"description": "Elders of the register living in them"})
    persons = fields.Integer(metadata={"description": "Everyone living in them (人)"})


class TallySchema(Schema):
    community = fields.String()
    elders = fields.Integer()
    age_bands = fields.Dict(keys=fields.String(), values=fields.Integer())
    household_types = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "Elders, by the type of the household they live in"},
    )
    households = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(HouseholdCountsSchema),
        metadata={
            "description": "Households by type, with their elders and persons: 空巢家庭 N户 / M人; "
            "under home_care, the home-care households (居家养老户) of every type"
        },
    )
    key_targets = fields.Integer()
    key_target_reasons = fields.Dict(keys=fields.String(), values=fields.Integer())
    cards_issued = fields.Dict(keys=fields.String(), values=fields.Integer())
    low_income = fields.Integer()
    home_care = fields.Integer()
    facts = fields.Nested(
        FactCountsSchema,
        metadata={
            "description": "Elders by marital status, party membership, service, cadre "
            "retirement (离休/退休) and where they live (社区/村); unknown where not recorded"
        },
    )


class StatisticsSchema(Schema):
    as_of = fields.Date()
    district = fields.Nested(TallySchema)
    communities = fields.List(fields.Nested(TallySchema))


class ServiceContactsSchema(Schema):
    version = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=0),
        metadata={"description": "the version read (0: never set); the answer's is the new one"},
    )
    hotline = fields.String(
        required=True,
        metadata={"description": "The service hotline (服务热线), e.g. 12349; empty: none"},
    )
    service_guide = fields.String(
        required=True,
        metadata={"description": "The title of the service guide handbook (服务指南手册)"},
    )


class IntakeYearSchema(YearSummarySchema):
    as_of = fields.Date()
    elders = fields.Integer()
    age_bands = fields.Dict(keys=fields.String(), values=fields.Integer())
    household_types = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "Elders, by the type of the household they live in"},
    )
    households = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(HouseholdCountsSchema),
        metadata={
            "description": "Households by type: 户, their elders, and persons (人); under "
            "home_care, the home-care households (居家养老户) of every type"
        },
    )
    key_targets = fields.Integer()
    cards_held = fields.Dict(keys=fields.String(), values=fields.Integer())
    cards_issued = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "in the year, by category (reissues and upgrades too)"},
    )
    priority_cards_held = fields.Integer(
        metadata={"description": "Priority service cards (老年人优先服务卡) held"}
    )
    priority_cards_issued = fields.Integer(
        metadata={"description": "Priority service cards issued in the year (reissues too)"}
    )
    volunteers = fields.Integer()
    volunteers_new = fields.Integer(metadata={"description": "registered in the year"})
