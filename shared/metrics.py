"""Every Prometheus metric the product exports, named in one place by Prometheus conventions."""

from prometheus_client import Counter, Gauge, Histogram

EVENTS_CONSUMED = Counter(
    "eldercare_events_consumed_total",
    "Events taken from Kafka and handled, by outcome (applied, duplicate, ignored)",
    ["service", "topic", "type", "outcome"],
)
EVENTS_FAILED = Counter(
    "eldercare_event_failures_total",
    "Attempts to handle an event that raised, before any retry",
    ["service", "topic", "error"],
)
EVENTS_DEAD_LETTERED = Counter(
    "eldercare_events_dead_lettered_total",
    "Messages sent to the dead-letter topic",
    ["service", "topic"],
)
EVENT_PROCESSING_SECONDS = Histogram(
    "eldercare_event_processing_seconds",
    "Time to handle one message, retries included",
    ["service", "topic"],
)
CONSUMER_LAG = Gauge(
    "eldercare_consumer_lag_messages",
    "Messages in an assigned partition the service's consumer has not reached yet "
    "(end offset minus the consumer's position)",
    ["service", "topic", "partition"],
)
CONSUMER_RESTARTS = Counter(
    "eldercare_consumer_restarts_total",
    "Times the service replaced a consumer that had stopped consuming while events waited",
    ["service"],
)
DUTY_HELD = Gauge(
    "eldercare_duty_lease_held",
    "1 while this copy of the worker holds the lease of a scheduled duty and so runs it",
    ["service", "duty"],
)
CONSUMER_HALTED = Gauge(
    "eldercare_consumer_halted",
    "1 while the service's consumer holds a failing message instead of dead-lettering it, "
    "after dead_letter_flood_limit handler failures in a row were dead-lettered",
    ["service"],
)
PRODUCER_RESTARTS = Counter(
    "eldercare_producer_restarts_total",
    "Times the outbox relay replaced a producer that kept failing",
    ["service"],
)
EVENTS_PUBLISHED = Counter(
    "eldercare_events_published_total",
    "Events the outbox relay published and Kafka confirmed",
    ["service", "topic"],
)
OUTBOX_BACKLOG = Gauge(
    "eldercare_outbox_backlog_documents",
    "Documents holding events not yet published",
    ["service", "collection"],
)
OUTBOX_PUBLISH_FAILURES = Counter(
    "eldercare_outbox_publish_failures_total",
    "Relay passes that could not publish (the events stay in the outbox)",
    ["service"],
)
HTTP_REQUESTS = Counter(
    "eldercare_http_requests_total",
    "HTTP requests answered",
    ["service", "method", "endpoint", "status"],
)
HTTP_REQUEST_SECONDS = Histogram(
    "eldercare_http_request_seconds",
    "HTTP request latency",
    ["service", "method", "endpoint"],
)
VISIT_OBLIGATIONS = Counter(
    "eldercare_visit_obligations_total",
    "Visit obligations by kind and what happened to them (created, met, overdue, escalated, ...)",
    ["kind", "change"],
)
REMINDERS = Counter(
    "eldercare_reminders_total",
    "Reminders tried on their channels, by cause and what came of it (sent, pending: to be "
    "tried again, failed: given up)",
    ["service", "cause", "outcome"],
)
