"""Metrics and log context shared by the adapters and the HTTP layer."""
