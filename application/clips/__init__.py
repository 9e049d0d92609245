"""Clip use cases."""
