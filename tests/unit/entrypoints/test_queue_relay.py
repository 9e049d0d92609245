"""The relay over the in-memory stores: the feeds open before a snapshot is read, and nothing overtakes it."""

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from attrs import define, evolve, field

from adapters.fakes.job_store import InMemoryJobStore
from adapters.fakes.preview_store import InMemoryPreviewStore
from application.ports.preview_store import JobPreview
from domain.generated_content import ContentKind
from domain.queue_job import QueueJob
from entrypoints.http.json_converter import make_json_converter
from entrypoints.http.queue_relay import OUTBOX_LIMIT, TOO_SLOW, QueueRelay

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
JOB = QueueJob(id="j1", project_id="p1", clip_id="c1", kind=ContentKind.IMAGE, model="sdxl", params={},
               output_node="9", created_at=NOW, updated_at=NOW)


@define(eq=False)  # hashed by identity, as sockets are
class RecordingSocket:
    sent: list[dict[str, Any]] = field(factory=list)
    closed_with: int | None = None

    async def send_str(self, text: str) -> None:
        self.sent.append(json.loads(text))

    async def close(self, *, code: int, message: bytes) -> None:
        self.closed_with = code


@define(eq=False)
class StalledSocket(RecordingSocket):
    """A client that stopped reading: its sends never finish."""

    async def send_str(self, text: str) -> None:
        await asyncio.Event().wait()


@pytest.fixture
async def relay() -> AsyncIterator[QueueRelay]:
    jobs = InMemoryJobStore()
    await jobs.add_all([JOB], [{}])
    relay = QueueRelay(jobs, InMemoryPreviewStore(), make_json_converter())
    task = asyncio.create_task(relay.run())
    yield relay
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def settled() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_a_change_written_during_the_snapshot_comes_after_it_and_is_not_lost(relay: QueueRelay) -> None:
    socket = RecordingSocket()

    async def snapshot() -> dict[str, Any]:
        await relay.jobs.save(evolve(JOB, priority=5))  # right after the read
        await settled()  # the relay has the change while the snapshot is still on its way
        return {"type": "queue_snapshot", "data": {"jobs": []}}

    await relay.subscribe(socket, "p1", snapshot=snapshot)  # type: ignore[arg-type]
    await settled()
    assert [m["type"] for m in socket.sent] == ["queue_snapshot", "queue_update"]
    assert socket.sent[1]["data"]["priority"] == 5 and socket.sent[1]["data"]["job_id"] == "j1"


async def test_previews_reach_their_projects_subscribers_only(relay: QueueRelay) -> None:
    mine, theirs, everything = RecordingSocket(), RecordingSocket(), RecordingSocket()
    async def snapshot() -> dict[str, Any]:
        return {"type": "queue_snapshot"}

    for socket, project_id in ((mine, "p1"), (theirs, "p2"), (everything, None)):
        await relay.subscribe(socket, project_id, snapshot=snapshot)  # type: ignore[arg-type]
    await relay.previews.put(JobPreview(job_id="j1", project_id="p1", clip_id="c1", image=b"\xff\xd8", created_at=NOW))
    await settled()
    assert [m["type"] for m in mine.sent] == [m["type"] for m in everything.sent] == ["queue_snapshot", "queue_preview"]
    assert mine.sent[1]["data"] == {"job_id": "j1", "clip_id": "c1", "project_id": "p1",
                                    "image": "data:image/jpeg;base64,/9g="}
    assert [m["type"] for m in theirs.sent] == ["queue_snapshot"]


async def test_a_stalled_subscriber_delays_no_other_and_is_closed_once_too_far_behind(relay: QueueRelay) -> None:
    stalled, reading = StalledSocket(), RecordingSocket()

    async def snapshot() -> dict[str, Any]:
        return {"type": "queue_snapshot"}

    for socket in (stalled, reading):
        await relay.subscribe(socket, "p1", snapshot=snapshot)  # type: ignore[arg-type]
    job = JOB
    for priority in range(1, OUTBOX_LIMIT + 3):
        job = await relay.jobs.save(evolve(job, priority=priority % 1000))
        await settled()
    assert len(reading.sent) == OUTBOX_LIMIT + 3 and reading.sent[-1]["data"]["version"] == job.version
    assert stalled.closed_with == TOO_SLOW and stalled not in relay.subscribers and reading in relay.subscribers
