"""A provider URL the backend may not send requests to is refused when it is given (400), not when used."""

from application.ports.outbound_guard import OutboundGuard
from domain.errors import InvalidValue
from domain.outbound import OutboundRule


def ensure_reachable_by_rule(rule: OutboundRule, base_url: str) -> None:
    refusal = rule.refusal(base_url)
    if refusal is not None:
        raise InvalidValue("base_url", f"not allowed: {refusal}")


async def ensure_reachable(rule: OutboundRule, guard: OutboundGuard | None, base_url: str) -> None:
    """The rule on the URL, then (with a guard) on every address its host name resolves to."""
    ensure_reachable_by_rule(rule, base_url)
    refusal = None if guard is None else await guard.refusal(base_url)
    if refusal is not None:
        raise InvalidValue("base_url", f"not allowed: {refusal}")
