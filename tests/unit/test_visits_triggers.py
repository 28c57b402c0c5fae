from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.visits.domain.config import VisitsConfig, set_deadlines
from services.visits.domain.obligations import mandatory_visit
from services.visits.domain.triggers import (
    found_on_visit,
    moved_house,
    reported,
)
from shared.errors import RuleViolation
from shared.vocabulary import TRIGGERS

NOW = datetime(2026, 11, 29, 8, 30, tzinfo=UTC)


def test_the_catalogue_has_the_eight_must_visits_of_the_event_contract():
    assert len(TRIGGERS) == 8
    assert TRIGGERS["hospitalised"].default_hours == 72  # visit within 3 days
    assert TRIGGERS["moving_house"].label == "房子乔迁"


def test_an_unknown_trigger_is_refused_by_name():
    with pytest.raises(RuleViolation, match="unknown trigger 'fell_ill'") as refused:
        reported("i-1", "e-1", "fell_ill", NOW, "staff")
    assert refused.value.context == {"field": "trigger"}


def test_the_same_incident_always_opens_the_same_obligation():
    first = reported("i-1", "e-1", "hardship", NOW, "hotline")
    again = reported("i-1", "e-1", "hardship", NOW + timedelta(hours=1), "hotline")
    assert first.obligation_id == again.obligation_id == "incident:i-1"
    assert moved_house("ev-9", "e-1", NOW, "intake").obligation_id == "moved:ev-9"
    finding = found_on_visit("v-1", "e-1", "worries", NOW, "wang")
    assert (finding.obligation_id, finding.source) == ("finding:v-1:worries", "visit:v-1")


@given(
    st.sampled_from(tuple(TRIGGERS)),
    st.datetimes(timezones=st.just(UTC)),
    st.integers(min_value=1, max_value=2160),
)
def test_a_must_visit_is_due_its_configured_hours_after_the_event(trigger, occurred, hours):
    config = set_deadlines(VisitsConfig(), {trigger: hours}, {})
    incident = reported("i", "e", trigger, occurred, "staff")
    obligation = mandatory_visit(incident, "xinhua", config.deadline_hours(trigger), None, NOW)
    assert obligation.due_at - obligation.opens_at == timedelta(hours=hours)
    assert obligation.opens_at == occurred
    assert (obligation.kind, obligation.trigger, obligation.status) == (
        "mandatory",
        trigger,
        "open",
    )


def test_unconfigured_triggers_keep_their_default_deadline():
    config = set_deadlines(VisitsConfig(), {"hospitalised": 24}, {"urgent": 1})
    assert config.deadline_hours("hospitalised") == 24
    assert config.deadline_hours("moving_house") == TRIGGERS["moving_house"].default_hours
    assert config.response_deadline_hours("urgent") == 1
    assert config.version == 1


@pytest.mark.parametrize(
    ("triggers", "responses", "field"),
    [
        ({"fell_ill": 24}, {}, "triggers"),
        ({"hospitalised": 0}, {}, "hospitalised"),
        ({"hospitalised": 24 * 91}, {}, "hospitalised"),
        ({}, {"whenever": 5}, "help_requests"),
    ],
)
def test_deadlines_must_name_known_triggers_and_sensible_hours(triggers, responses, field):
    with pytest.raises(RuleViolation) as refused:
        set_deadlines(VisitsConfig(), triggers, responses)
    assert refused.value.context["field"] == field


def test_every_urgency_a_caller_may_send_has_a_response_deadline():
    """The hotline's `low` once had no deadline in visits, and dead-lettered the call."""
    from shared.events.inbound import HotlineCalled
    from shared.events.intake import HelpRequested

    for schema in (HotlineCalled, HelpRequested):
        accepted = schema._declared_fields["urgency"].validators[0].choices
        for urgency in accepted:
            assert VisitsConfig().response_deadline_hours(urgency) >= 1
    assert VisitsConfig().response_deadline_hours("low") == 168


def test_an_unknown_urgency_is_refused_by_name():
    with pytest.raises(RuleViolation, match="unknown urgency 'whenever'"):
        VisitsConfig().response_deadline_hours("whenever")


def test_key_target_rules_name_the_shared_reasons():
    from services.intake.domain.key_targets import RULES
    from shared.vocabulary import KEY_TARGET_REASONS

    assert tuple(RULES) == tuple(KEY_TARGET_REASONS)
