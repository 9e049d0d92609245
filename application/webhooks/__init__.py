"""Signed webhooks: registration, the outbox of deliveries, and their sending."""
