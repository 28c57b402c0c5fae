"""The operator console: consumer lag, dead letters, outbox backlog and health of every component.

Shaped like a service (domain, adapters, service_layer, entrypoints) but with no database of its
own: everything it shows is read from Kafka and from the services' health and metrics endpoints,
and the only thing it writes — how each dead letter was resolved — goes to a compacted topic.
"""
