"""Character use cases."""
