"""Health use cases."""
