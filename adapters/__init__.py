"""Adapters: the outside world behind the application ports."""
