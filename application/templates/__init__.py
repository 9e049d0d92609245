"""Prompt template use cases."""
