"""Errors raised when a domain rule is broken."""


class DomainError(Exception):
    """Base of every rule violation."""


class InvalidValue(DomainError):
    """A value breaks an invariant of one field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class RuleViolation(DomainError):
    """An operation conflicts with the current state (overlap, wrong parent, ...)."""
