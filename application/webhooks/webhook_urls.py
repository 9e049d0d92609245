"""A receiver's URL the backend may not send to is refused when it is given (400), not when it is used."""

from domain.errors import InvalidValue
from domain.outbound import OutboundRule


def ensure_sendable(rule: OutboundRule, url: str, *, field_name: str = "url") -> None:
    refusal = rule.refusal(url)
    if refusal is not None:
        raise InvalidValue(field_name, f"not allowed: {refusal}")
