"""The product's common package: event contract, Kafka and MongoDB plumbing, web helpers."""
