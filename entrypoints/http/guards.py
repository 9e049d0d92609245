"""The middlewares guarding the API: authentication (when configured) and rate limits (when set)."""

from entrypoints.http.auth.access_table import AccessTable
from entrypoints.http.auth.credentials import Authenticator
from entrypoints.http.auth.middleware import auth_middleware
from entrypoints.http.limits.middleware import rate_limit_middleware
from entrypoints.http.operation import Operation
from entrypoints.settings import Settings


def guard_middlewares(settings: Settings, operations: list[Operation]) -> list:  # type: ignore[type-arg]
    """Run inside the error middleware, in this order: who is calling, then how often."""
    access = AccessTable.of(operations)
    guards: list = []  # type: ignore[type-arg]
    if settings.auth_enabled:
        guards.append(auth_middleware(Authenticator.from_settings(settings), access))
    if settings.rate_limit_per_minute or settings.rate_limit_upload_per_minute \
            or settings.rate_limit_generation_per_minute:
        guards.append(rate_limit_middleware(settings, operations, access))
    return guards

