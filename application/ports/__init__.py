"""Ports: the protocols the use cases need from the outside world."""
