"""A provider URL the backend may not send requests to is refused when it is given (400), not when used."""

from domain.errors import InvalidValue
from domain.outbound import OutboundRule


def ensure_reachable_by_rule(rule: OutboundRule, base_url: str) -> None:
    refusal = rule.refusal(base_url)
    if refusal is not None:
        raise InvalidValue("base_url", f"not allowed: {refusal}")
