"""Project use cases."""
