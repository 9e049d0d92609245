"""Webhook deliveries over HTTP."""
