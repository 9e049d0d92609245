"""A webhook receiver on 127.0.0.1 that answers from a script, and helpers to wait for deliveries."""

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient
from attrs import define, field

from domain.generated_content import ContentKind
from domain.queue_job import JobStatus, QueueJob
from entrypoints.container import Container
from tests.api.helpers import API, body_of
from tests.loopback_server import serving


@define
class Receiver:
    answers: list[int] = field(factory=list)  # answered in turn; then 204
    received: list[tuple[dict[str, str], bytes]] = field(factory=list)
    url: str = ""

    async def handle(self, request: web.Request) -> web.Response:
        self.received.append((dict(request.headers), await request.read()))
        return web.Response(status=self.answers.pop(0) if self.answers else 204)


@asynccontextmanager
async def receiving(*answers: int) -> AsyncIterator[Receiver]:
    receiver = Receiver(list(answers))
    app = web.Application()
    app.router.add_post("/hooks", receiver.handle)
    async with serving(app) as port:
        receiver.url = f"http://127.0.0.1:{port}/hooks"
        yield receiver


async def eventually(check: Callable[[], Any], *, timeout: float = 10.0) -> Any:
    """Poll `check` (a coroutine function) until it returns something truthy."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = await check()
        if result or asyncio.get_running_loop().time() > deadline:
            assert result, "timed out waiting"
            return result
        await asyncio.sleep(0.05)


async def deliveries(client: TestClient, webhook_id: str) -> list[dict[str, Any]]:
    return (await body_of(await client.get(f"{API}/webhooks/{webhook_id}/deliveries")))["items"]


async def ended_job(container: Container, job_id: str, *, status: JobStatus = JobStatus.COMPLETED,
                    batch_id: str | None = None, webhook_url: str | None = None,
                    project_id: str = "p" * 24) -> QueueJob:
    """A job written as the queue leaves it when it ends."""
    now = datetime.now(UTC).replace(microsecond=0)
    job = QueueJob(id=job_id, project_id=project_id, clip_id="c" * 24, kind=ContentKind.IMAGE, model="sdxl",
                   params={}, output_node="9", created_at=now, updated_at=now, status=status, completed_at=now,
                   batch_id=batch_id, webhook_url=webhook_url,
                   result_url="/media/x.png" if status is JobStatus.COMPLETED else None)
    await container.jobs().add_all([job], [{}])
    return job
