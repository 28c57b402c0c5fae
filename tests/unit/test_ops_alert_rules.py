"""The sample alert rules and the operations guide agree with the metrics the code exports."""

import re
from pathlib import Path

import pytest
import yaml
from prometheus_client.metrics import MetricWrapperBase

from shared import metrics

DOCS = Path(__file__).resolve().parents[2] / "docs"
PROMETHEUS_OWN = {"up"}  # series Prometheus itself writes for every scrape target
KEYWORDS = {"and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring"}


def defined_metrics() -> dict[str, set[str]]:
    """Each metric of shared/metrics.py with the series names it exports."""
    suffixes = {"counter": ["_total"], "histogram": ["_bucket", "_sum", "_count"], "gauge": [""]}
    defined = {}
    for value in vars(metrics).values():
        if isinstance(value, MetricWrapperBase):
            [family] = value.describe()
            defined[family.name] = {family.name + suffix for suffix in suffixes[family.type]}
    return defined


def series_in(expression: str) -> set[str]:
    """The metric names a PromQL expression reads."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expression)  # strings
    text = re.sub(r"\{[^}]*\}", "", text)  # label matchers
    text = re.sub(r"\[[^\]]*\]", "", text)  # range selectors
    text = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", text)
    names = set()
    for match in re.finditer(r"[a-zA-Z_:][a-zA-Z0-9_:]*", text):
        followed = text[match.end() :].lstrip()
        if match.group() not in KEYWORDS and not followed.startswith("("):
            names.add(match.group())
    return names


@pytest.fixture(scope="module")
def rules() -> list[dict]:
    document = yaml.safe_load((DOCS / "alert-rules.yml").read_text())
    return [rule for group in document["groups"] for rule in group["rules"]]


def test_alert_expressions_read_only_metrics_the_services_export(rules):
    exported = set().union(*defined_metrics().values()) | PROMETHEUS_OWN
    used = set()
    for rule in rules:
        expression = rule["expr"]
        assert expression.count("(") == expression.count(")"), rule["alert"]
        names = series_in(expression)
        assert names, f"{rule['alert']} reads no metric"
        assert names <= exported, f"{rule['alert']} reads unknown {sorted(names - exported)}"
        used |= names
    wanted = {
        "eldercare_consumer_lag_messages",
        "eldercare_events_dead_lettered_total",
        "eldercare_outbox_backlog_documents",
        "eldercare_events_consumed_total",
        "eldercare_event_processing_seconds_bucket",
    }
    assert wanted <= used, "lag, dead letters, outbox and latency are all watched"


def test_the_expression_reader_finds_metric_names():
    assert series_in(
        'sum by (service) (rate(x_total{a="b(c"}[5m])) > 0 unless on(service) y > bool 1'
    ) == {"x_total", "y"}


def test_every_alert_is_labelled_explained_and_has_a_runbook(rules):
    guide = (DOCS / "operations.md").read_text()
    headings = {
        re.sub(r"[^a-z0-9-]", "", h.strip().lower().replace(" ", "-"))
        for h in re.findall(r"^#+ (.+)$", guide, re.M)
    }
    names = [rule["alert"] for rule in rules]
    assert len(names) == len(set(names))
    for rule in rules:
        assert rule["labels"]["severity"] in {"warning", "critical"}, rule["alert"]
        assert rule["annotations"]["summary"] and rule["annotations"]["description"]
        page, _, anchor = rule["annotations"]["runbook_url"].partition("#")
        assert page == "docs/operations.md" and anchor == rule["alert"].lower()
        assert anchor in headings, f"no runbook heading for {rule['alert']}"


def test_the_operations_guide_lists_every_metric():
    guide = (DOCS / "operations.md").read_text()
    for name, series in defined_metrics().items():
        shown = name + "_total" if name + "_total" in series else name
        assert f"`{shown}`" in guide, f"add {shown} to the metrics table in docs/operations.md"
