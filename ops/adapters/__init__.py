"""Kafka and HTTP: where the console reads the system's state and writes resolutions."""
