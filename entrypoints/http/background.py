"""Background work of an API instance: the periodic ComfyUI health check, and closing client sessions."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from aiohttp import web

from entrypoints.http.typedefs import CONTAINER

log = logging.getLogger(__name__)


async def _check_forever(app: web.Application, interval: float) -> None:
    while True:
        try:
            await app[CONTAINER].check_servers()()
        except Exception:  # a failed round is logged; the next one may succeed
            log.exception("ComfyUI health check failed")
        await asyncio.sleep(interval)


async def health_checks(app: web.Application) -> AsyncIterator[None]:
    interval = app[CONTAINER].settings().comfyui_health_interval_s
    task = asyncio.create_task(_check_forever(app, interval)) if interval > 0 else None
    yield
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def generation_backend(app: web.Application) -> AsyncIterator[None]:
    yield
    await app[CONTAINER].generation_backend().close()
