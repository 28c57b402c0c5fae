"""The operator's use cases."""
