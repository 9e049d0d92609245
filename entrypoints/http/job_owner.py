"""The owner a queued job records: the subject of the caller's credential, or none with authentication off."""

from aiohttp import web

from entrypoints.http.auth.principal import principal_of
from entrypoints.http.typedefs import CONTAINER


def owner_of(request: web.Request) -> str | None:
    if not request.app[CONTAINER].settings().auth_enabled:
        return None
    return principal_of(request).subject
