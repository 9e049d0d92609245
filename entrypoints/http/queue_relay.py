"""Relays job changes and previews (from any API instance, via the stores' change feeds) to WebSocket subscribers."""

import asyncio
import base64
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import orjson
from aiohttp import web
from attrs import define, field
from cattrs.preconf.json import JsonConverter

from application.ports.job_store import JobStore
from application.ports.preview_store import JobPreview, PreviewStore
from domain.queue_job import QueueJob

log = logging.getLogger(__name__)
OPEN_TIMEOUT_S = 10.0  # past this a subscriber gets its snapshot anyway (the feeds are reopening)
OUTBOX_LIMIT = 2000  # messages a subscriber may fall behind before it is closed to reconnect
TOO_SLOW = 1013  # WebSocket close code "try again later"
Feed = Callable[..., AsyncIterator[Any]]


def job_data(converter: JsonConverter, job: QueueJob) -> dict[str, Any]:
    """A job as `GET /api/v1/queue/jobs/{id}` answers it, plus `job_id` (= `id`) for older clients."""
    return {**converter.unstructure(job), "job_id": job.id}


def queue_update(converter: JsonConverter, job: QueueJob) -> dict[str, Any]:
    return {"type": "queue_update", "data": job_data(converter, job)}


def queue_preview(preview: JobPreview) -> dict[str, Any]:
    image = "data:image/jpeg;base64," + base64.b64encode(preview.image).decode("ascii")
    return {"type": "queue_preview", "data": {"job_id": preview.job_id, "clip_id": preview.clip_id,
                                              "project_id": preview.project_id, "image": image}}


async def _send(socket: web.WebSocketResponse, text: str) -> None:
    with contextlib.suppress(ConnectionError, RuntimeError):  # a socket closing meanwhile
        await socket.send_str(text)


@define
class _Subscriber:
    """One socket's projects and its outbox: its own writer sends from it, so a socket that reads slowly (or
    not at all) delays nobody else; one that falls OUTBOX_LIMIT messages behind is closed (1013, try again)."""

    socket: web.WebSocketResponse
    projects: set[str | None] = field(factory=set)  # None: every project
    held: list[str] | None = None  # messages kept back while a snapshot is on its way
    outbox: asyncio.Queue[str] = field(factory=lambda: asyncio.Queue(OUTBOX_LIMIT))
    writer: asyncio.Task[None] | None = None

    def wants(self, project_id: str) -> bool:
        return None in self.projects or project_id in self.projects

    def start(self) -> None:
        if self.writer is None:
            self.writer = asyncio.create_task(self._write(), name="websocket writer")

    def stop(self) -> None:
        if self.writer is not None:
            self.writer.cancel()

    def offer(self, text: str) -> bool:
        """Queue a message (behind a snapshot on its way); False once the subscriber is too far behind."""
        if self.held is not None:
            self.held.append(text)
            return True
        try:
            self.outbox.put_nowait(text)
        except asyncio.QueueFull:
            return False
        return True

    async def _write(self) -> None:
        while True:
            await _send(self.socket, await self.outbox.get())


@define
class QueueRelay:
    jobs: JobStore
    previews: PreviewStore
    converter: JsonConverter
    subscribers: dict[web.WebSocketResponse, _Subscriber] = field(factory=dict)
    _wanted: asyncio.Event = field(factory=asyncio.Event)  # the feeds open with the first subscriber
    _open: dict[str, asyncio.Event] = field(factory=lambda: {"jobs": asyncio.Event(), "previews": asyncio.Event()})

    async def subscribe(self, socket: web.WebSocketResponse, project_id: str | None, *,
                        snapshot: Callable[[], Awaitable[dict[str, Any]]]) -> None:
        """Open the feeds, then send `snapshot()`, then every change: one written after the snapshot's read is never
        missed (one it already shows may come too), and none is sent before the snapshot."""
        subscriber = self.subscribers.get(socket) or self.subscribers.setdefault(socket, _Subscriber(socket))
        subscriber.start()
        subscriber.projects.add(project_id)
        subscriber.held = []
        first: list[str] = []
        try:
            self._wanted.set()
            await self._feeds_open()
            first.append(orjson.dumps(await snapshot()).decode())
        finally:
            self._release(subscriber, first)

    def _release(self, subscriber: _Subscriber, first: list[str]) -> None:
        """The snapshot, then what arrived while it was on its way, in order."""
        held, subscriber.held = subscriber.held or [], None
        for text in (*first, *held):
            if not subscriber.offer(text):
                self._too_slow(subscriber)
                return

    def unsubscribe(self, socket: web.WebSocketResponse, project_id: str | None = None, *,
                    everything: bool = False) -> None:
        if everything:
            subscriber = self.subscribers.pop(socket, None)
            if subscriber is not None:
                subscriber.stop()
        elif socket in self.subscribers:
            self.subscribers[socket].projects.discard(project_id)

    async def _feeds_open(self) -> None:
        try:
            await asyncio.wait_for(asyncio.gather(*(event.wait() for event in self._open.values())), OPEN_TIMEOUT_S)
        except TimeoutError:
            log.warning("queue change feeds not open after %.0f s; sending the snapshot anyway", OPEN_TIMEOUT_S)

    async def run(self) -> None:
        await self._wanted.wait()
        await asyncio.gather(self._follow("jobs", self.jobs.changes, self._job_changed),
                             self._follow("previews", self.previews.changes, self._preview_put))

    async def _follow(self, name: str, changes: Feed, deliver: Callable[[Any], Awaitable[None]]) -> None:
        opened = self._open[name]
        while True:
            try:
                async for item in changes(opened=opened.set):
                    await deliver(item)
            except Exception:  # the feed broke (database restart): reopen it
                log.exception("%s change feed interrupted; reopening", name)
            opened.clear()
            await asyncio.sleep(1.0)

    async def _job_changed(self, job: QueueJob) -> None:
        await self._deliver(job.project_id, queue_update(self.converter, job))

    async def _preview_put(self, preview: JobPreview) -> None:
        await self._deliver(preview.project_id, queue_preview(preview))

    async def publish(self, project_id: str, message: dict[str, Any]) -> None:
        """Send `message` to the project's subscribers (other feeds use it: render jobs)."""
        await self._deliver(project_id, message)

    async def wanted(self) -> None:
        """Until the first subscriber arrives (other feeds open then too)."""
        await self._wanted.wait()

    async def _deliver(self, project_id: str, message: dict[str, Any]) -> None:
        text = orjson.dumps(message).decode()
        for subscriber in list(self.subscribers.values()):
            if subscriber.wants(project_id) and not subscriber.offer(text):
                self._too_slow(subscriber)

    def _too_slow(self, subscriber: _Subscriber) -> None:
        log.warning("closing a WebSocket subscriber %d messages behind", OUTBOX_LIMIT)
        self.unsubscribe(subscriber.socket, everything=True)
        asyncio.get_running_loop().create_task(
            subscriber.socket.close(code=TOO_SLOW, message=b"too far behind; reconnect for a fresh snapshot"))
