"""The principal a request acts as, stored on the request by the authentication middleware."""

from aiohttp import web

from domain.access import ANONYMOUS, Principal

PRINCIPAL_KEY: web.RequestKey[Principal] = web.RequestKey("principal", Principal)


def principal_of(request: web.Request) -> Principal:
    """Who is calling: the authenticated principal, or the all-powerful anonymous one with authentication off."""
    return request.get(PRINCIPAL_KEY, ANONYMOUS)
