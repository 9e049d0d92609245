"""Scene use cases."""
