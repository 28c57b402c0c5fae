"""Local infrastructure for development and tests: a real Kafka broker, FerretDB stores and
the three services, started as plain processes (no Docker) and stopped by PID."""
