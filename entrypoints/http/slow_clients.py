"""Slow or silent clients: a stalled request body is cut with a 408, an idle or half-sent request's connection closed."""

import asyncio
from collections.abc import Awaitable
from typing import Any, TypeVar

from aiohttp import web

from entrypoints.http.errors import BodyTimedOut
from entrypoints.http.typedefs import CONTAINER
from entrypoints.settings import Settings

T = TypeVar("T")
MAX_LINGERING_S = 10.0  # aiohttp's default


async def within_body_timeout(request: web.Request, read: Awaitable[T]) -> T:
    """`read` (a wait for body bytes), cut with BodyTimedOut once BODY_TIMEOUT_S pass without an answer."""
    seconds = request.app[CONTAINER].settings().body_timeout_s
    try:
        async with asyncio.timeout(seconds):
            return await read
    except TimeoutError:
        raise BodyTimedOut(f"The request body stopped arriving for {seconds:g} s") from None


def server_options(settings: Settings) -> dict[str, Any]:
    """Options for aiohttp's server (`run_app`, `AppRunner`).

    aiohttp closes a connection that waits longer than `keepalive_timeout` for a request: idle between
    requests, or still sending the request line and headers (the timer runs from the connection's start).
    After an answer given before the body was read (a 408, a 413), it reads and drops what is left of the
    body for at most `lingering_time`, so the client sees the answer, then closes the connection.
    """
    return {"keepalive_timeout": settings.keepalive_timeout_s,
            "lingering_time": min(MAX_LINGERING_S, settings.body_timeout_s)}
