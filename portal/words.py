"""The field's words on screen: the labels of shared.vocabulary in Chinese, and the code words
themselves, made readable, in English."""

from flask_babel import get_locale

from shared.vocabulary import (
    ACTIVITY_TYPES,
    ASSESSMENT_SCALES,
    CADRE_RETIREMENTS,
    CHECKED_FACTS,
    COMMUNITY_POSTS,
    COMPLAINT_CHANNELS,
    COURSE_KINDS,
    COURSE_ORGANISERS,
    ELDER_STATUSES,
    FEEDBACK_GIVERS,
    GRID_KINDS,
    GRID_LEADERS,
    HELP_CHANNELS,
    HOUSEHOLD_DEPARTURES,
    HOUSEHOLD_TYPE_SOURCES,
    HOUSEHOLD_TYPES,
    KEY_TARGET_REASONS,
    MARITAL_STATUSES,
    OBLIGATION_KIND_LABELS,
    PARTNER_KINDS,
    RATING_LABELS,
    REFERRAL_KINDS,
    RELATIONS,
    SELF_CARE_LEVELS,
    SERVICE_TYPE_LABELS,
    SETTLEMENTS,
    SEXES,
    TEAM_KINDS,
    TRIGGER_OF,
    TRIGGERS,
    URGENCIES,
    VENUE_KINDS,
    VISIT_FREQUENCIES,
    VISIT_KIND_LABELS,
    VISIT_KINDS,
    VOLUNTEER_SERVICES,
)


def _chinese() -> bool:
    return str(get_locale() or "zh").startswith("zh")


def _label(word: str, chinese: str) -> str:
    return chinese if _chinese() else word.replace("_", " ").capitalize()


def sexes() -> dict[str, str]:
    return {w: _label(w, label) for w, label in SEXES.items()}


def household_types() -> dict[str, str]:
    return {w: _label(w, label) for w, label in HOUSEHOLD_TYPES.items()}


def activity_types() -> dict[str, str]:
    return {w: _label(w, label) for w, label in ACTIVITY_TYPES.items()}


def team_kinds() -> dict[str, str]:
    return {w: _label(w, label) for w, label in TEAM_KINDS.items()}


def venue_kinds() -> dict[str, str]:
    return {w: _label(w, label) for w, label in VENUE_KINDS.items()}


def volunteer_services() -> dict[str, str]:
    return {w: _label(w, label) for w, label in VOLUNTEER_SERVICES.items()}


def course_organisers() -> dict[str, str]:
    return {w: _label(w, label) for w, label in COURSE_ORGANISERS.items()}


def course_kinds() -> dict[str, str]:
    return {w: _label(w, label) for w, label in COURSE_KINDS.items()}


def community_posts() -> dict[str, str]:
    return {w: _label(w, label) for w, label in COMMUNITY_POSTS.items()}


def service_types() -> dict[str, str]:
    """The types of service delivered (医疗保健, 家政服务 …)."""
    return {w: _label(w, label) for w, label in SERVICE_TYPE_LABELS.items()}


def referral_kinds() -> dict[str, str]:
    return {w: _label(w, label) for w, label in REFERRAL_KINDS.items()}


def complaint_channels() -> dict[str, str]:
    return {w: _label(w, label) for w, label in COMPLAINT_CHANNELS.items()}


def feedback_givers() -> dict[str, str]:
    return {w: _label(w, label) for w, label in FEEDBACK_GIVERS.items()}


def ratings() -> dict[str, str]:
    """The ratings, the best first, each with its words ("5 · 很满意")."""
    english = {
        1: "very dissatisfied",
        2: "dissatisfied",
        3: "neither",
        4: "satisfied",
        5: "very satisfied",
    }
    return {
        str(n): f"{n} · {label if _chinese() else english[n]}"
        for n, label in sorted(RATING_LABELS.items(), reverse=True)
    }


def grid_kinds() -> dict[str, str]:
    return {w: _label(w, label) for w, label in GRID_KINDS.items()}


def grid_leaders() -> dict[str, str]:
    """What the leader of each kind of cell is called."""
    return {w: _label(f"{w} leader", label) for w, label in GRID_LEADERS.items()}


def household_type_sources() -> dict[str, str]:
    return {w: _label(w, label) for w, label in HOUSEHOLD_TYPE_SOURCES.items()}


def household_departures() -> dict[str, str]:
    return {w: _label(w, label) for w, label in HOUSEHOLD_DEPARTURES.items()}


def relations() -> dict[str, str]:
    return {w: _label(w, label) for w, label in RELATIONS.items()}


def marital_statuses() -> dict[str, str]:
    return {w: _label(w, label) for w, label in MARITAL_STATUSES.items()}


def fact_choices() -> dict[str, dict[str, str]]:
    """The choices of each fact the field uses, as the register's forms and pages name them
    ("unknown" is the form's blank, not a choice)."""
    yes_no = {"yes": _label("yes", "是"), "no": _label("no", "否")}
    return {
        "marital_status": {k: v for k, v in marital_statuses().items() if k != "unknown"},
        "has_children": {"yes": _label("yes", "有"), "no": _label("no", "无")},
        "party_member": yes_no,
        "veteran": yes_no,
        "cadre_retirement": {w: _label(w, label) for w, label in CADRE_RETIREMENTS.items()},
        "settlement": {w: _label(w, label) for w, label in SETTLEMENTS.items()},
    }


def key_target_reasons() -> dict[str, str]:
    return {w: _label(w, label) for w, label in KEY_TARGET_REASONS.items()}


def trigger(word: str | None) -> str:
    if word is None:
        return ""
    found = TRIGGERS.get(word)
    return _label(word, found.label) if found else word


def checked_facts() -> dict[str, str]:
    """What a door-to-door check may correct, by name."""
    return {w: _label(w, label) for w, label in CHECKED_FACTS.items()}


def obligation_kind(word: str) -> str:
    return _label(word, OBLIGATION_KIND_LABELS.get(word, word))


def visit_kinds() -> dict[str, str]:
    return {w: _label(w, VISIT_KIND_LABELS.get(w, w)) for w in VISIT_KINDS}


SERVICE_LABELS = {"intake": "老年人登记", "visits": "走访", "allowances": "津贴"}


def service(word: str) -> str:
    return _label(word, SERVICE_LABELS.get(word, word))


def help_channel(word: str) -> str:
    return _label(word, HELP_CHANNELS.get(word, word))


def urgency(word: str) -> str:
    found = URGENCIES.get(word)
    return _label(word, found.label) if found else word


def partner_kind(word: str) -> str:
    return _label(word, PARTNER_KINDS.get(word, word))


# What another system reports, beyond the must-visits it triggers (TRIGGER_OF)
INBOUND_EVENT_LABELS = {
    "hospital.discharged": "出院",
    "death.registered": "死亡登记",
    "residence.changed": "户籍迁移",
    "hotline.called": "服务热线来电",
}


def inbound_event(word: str) -> str:
    if word in TRIGGER_OF:
        return trigger(TRIGGER_OF[word])
    return _label(word.replace(".", " "), INBOUND_EVENT_LABELS.get(word, word))


def key_target_reason(word: str) -> str:
    return _label(word, KEY_TARGET_REASONS.get(word, word))


def visit_frequency(word: str) -> str:
    found = VISIT_FREQUENCIES.get(word)
    return _label(word, found.label) if found else word


CORRECTION_STATUSES = {"pending": "待审批", "approved": "已批准", "rejected": "已驳回"}


def statuses() -> dict[str, str]:
    return {w: _label(w, label) for w, label in ELDER_STATUSES.items()}


def self_care_levels() -> dict[str, str]:
    return {w: _label(w, label) for w, label in SELF_CARE_LEVELS.items()}


def correction_statuses() -> dict[str, str]:
    return {w: _label(w, label) for w, label in CORRECTION_STATUSES.items()}


def assessment_scales() -> dict[str, str]:
    return {w: _label(w, label) for w, label in ASSESSMENT_SCALES.items()}
