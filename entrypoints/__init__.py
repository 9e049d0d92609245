"""Entrypoints: the HTTP API and the command line, both calling the same use cases."""
