"""The webhook deliverer of an API instance: announce the jobs' endings to the outbox, send what is due."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from aiohttp import web

from entrypoints.container import Container
from entrypoints.http.typedefs import CONTAINER

log = logging.getLogger(__name__)


async def deliver_once(container: Container) -> int:
    """One round: every ending announced, then the due deliveries sent; returns how many were sent."""
    while await container.announce_endings()() == container.announce_endings().batch_size:
        pass
    sent = 0
    while tried := await container.deliver_webhooks()():
        sent += tried
    return sent


async def _deliver_forever(container: Container, interval: float) -> None:
    while True:
        try:
            await deliver_once(container)
        except Exception:  # a failed round is logged; the next one may succeed
            log.exception("webhook delivery round failed")
        await asyncio.sleep(interval)


async def webhook_deliveries(app: web.Application) -> AsyncIterator[None]:
    container = app[CONTAINER]
    settings = container.settings()
    task = (asyncio.create_task(_deliver_forever(container, settings.webhook_poll_s), name="webhooks")
            if settings.webhook_workers else None)
    yield
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, TimeoutError):
            await asyncio.wait_for(asyncio.shield(task), 5)
    await container.webhook_sender().close()
