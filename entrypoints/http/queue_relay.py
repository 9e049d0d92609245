"""Relays every job change (from any API instance, via the job store's change feed) to WebSocket subscribers."""

import asyncio
import contextlib
import logging
from typing import Any

import orjson
from aiohttp import web
from attrs import define, field

from application.ports.job_store import JobStore
from domain.queue_job import QueueJob

log = logging.getLogger(__name__)


def queue_update(job: QueueJob) -> dict[str, Any]:
    return {"type": "queue_update", "data": {
        "job_id": job.id, "status": job.status.value, "progress": job.progress, "project_id": job.project_id,
        "clip_id": job.clip_id, "kind": job.kind.value, "server_id": job.server_id, "retry_count": job.retry_count,
        "result_url": job.result_url, "error_message": job.error_message, "batch_id": job.batch_id,
        "updated_at": job.updated_at.isoformat(),
    }}


@define
class QueueRelay:
    jobs: JobStore
    subscriptions: dict[web.WebSocketResponse, set[str | None]] = field(factory=dict)
    _wanted: asyncio.Event = field(factory=asyncio.Event)  # the change feed opens with the first subscriber

    def subscribe(self, socket: web.WebSocketResponse, project_id: str | None) -> None:
        """None subscribes to every project."""
        self.subscriptions.setdefault(socket, set()).add(project_id)
        self._wanted.set()

    def unsubscribe(self, socket: web.WebSocketResponse, project_id: str | None = None, *, everything: bool = False) -> None:
        if everything:
            self.subscriptions.pop(socket, None)
        else:
            self.subscriptions.get(socket, set()).discard(project_id)

    async def run(self) -> None:
        await self._wanted.wait()
        while True:
            try:
                async for job in self.jobs.changes():
                    await self._publish(job)
            except Exception:  # the feed broke (database restart): reopen it
                log.exception("queue change feed interrupted; reopening")
                await asyncio.sleep(1.0)

    async def _publish(self, job: QueueJob) -> None:
        message = orjson.dumps(queue_update(job)).decode()
        for socket, projects in list(self.subscriptions.items()):
            if None in projects or job.project_id in projects:
                with contextlib.suppress(ConnectionError, RuntimeError):
                    await socket.send_str(message)
