"""PreviewStore: the latest preview of each job, replaced on put, deleted by job id, and a feed of every put."""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from adapters.fakes.preview_store import InMemoryPreviewStore
from adapters.mongo.client import connect
from adapters.mongo.preview_store import MongoPreviewStore
from application.ports.preview_store import JobPreview, PreviewStore

T0 = datetime(2026, 3, 1, 12, 0, 0, 250_000, tzinfo=UTC)  # whole milliseconds: what BSON keeps
JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 300 + b"\xff\xd9"  # every byte value, NULs included


@pytest.fixture(params=["fake", "mongo", "mongo-polling"])
async def preview_stores(request: pytest.FixtureRequest,
                         secantus_url: str) -> AsyncIterator[Callable[[], PreviewStore]]:
    """Instances over one shared state (an API instance each): the fake itself, or new adapters on one database."""
    if request.param == "fake":
        fake = InMemoryPreviewStore()
        yield lambda: fake
        return
    database = await connect(secantus_url, f"contract_{uuid4().hex[:16]}")
    streams = request.param == "mongo"
    yield lambda: MongoPreviewStore(database.handle, poll_interval=0.05, change_streams=streams)
    await database.handle.client.drop_database(database.handle.name)
    await database.close()


@pytest.fixture
def previews(preview_stores: Callable[[], PreviewStore]) -> PreviewStore:
    return preview_stores()


def preview(job_id: str, step: int = 0, *, image: bytes = JPEG) -> JobPreview:
    return JobPreview(job_id=job_id, project_id="p1", clip_id=f"clip-{job_id}", image=image + bytes([step]),
                      created_at=T0 + timedelta(milliseconds=500 * step))


@contextlib.asynccontextmanager
async def feed(store: PreviewStore) -> AsyncIterator[asyncio.Queue[JobPreview]]:
    """The store's changes, collected by a task, once the feed says it is open."""
    received: asyncio.Queue[JobPreview] = asyncio.Queue()
    opened = asyncio.Event()

    async def pump() -> None:
        async for item in store.changes(opened=opened.set):
            received.put_nowait(item)

    task = asyncio.create_task(pump())
    await asyncio.wait_for(opened.wait(), 5)
    try:
        yield received
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def next_of(received: asyncio.Queue[JobPreview]) -> JobPreview:
    return await asyncio.wait_for(received.get(), 5)


async def test_a_job_without_previews_has_no_latest(previews: PreviewStore) -> None:
    assert await previews.latest("no-such-job") is None


async def test_a_put_replaces_its_jobs_previous_preview_and_keeps_the_bytes(previews: PreviewStore) -> None:
    await previews.put(preview("a", 0))
    await previews.put(preview("b", 0))
    await previews.put(preview("a", 1))
    assert await previews.latest("a") == preview("a", 1)
    assert await previews.latest("b") == preview("b", 0)


async def test_the_latest_preview_is_shared_by_every_instance(preview_stores: Callable[[], PreviewStore]) -> None:
    writer, reader = preview_stores(), preview_stores()
    await writer.put(preview("a", 3))
    assert await reader.latest("a") == preview("a", 3)


async def test_delete_removes_the_given_jobs_previews_only(previews: PreviewStore) -> None:
    for job_id in ("a", "b", "c"):
        await previews.put(preview(job_id))
    await previews.delete(["a", "c", "never-previewed"])
    await previews.delete([])
    assert [await previews.latest(job_id) for job_id in ("a", "b", "c")] == [None, preview("b"), None]


async def test_every_put_after_the_feed_opened_arrives_in_order_from_any_instance(
    preview_stores: Callable[[], PreviewStore],
) -> None:
    listener, writer = preview_stores(), preview_stores()
    async with feed(listener) as received:
        puts = [preview("a", 0), preview("b", 0), preview("a", 1)]
        for item in puts:
            await writer.put(item)
            if isinstance(writer, MongoPreviewStore) and not writer.change_streams:
                await asyncio.sleep(0.15)  # polling sees the latest of each job, not every put in between
        assert [await next_of(received) for _ in puts] == puts


async def test_a_deletion_is_not_fed_as_a_preview(previews: PreviewStore) -> None:
    await previews.put(preview("a"))
    async with feed(previews) as received:
        await previews.delete(["a"])
        await previews.put(preview("b", 2))
        arrived = await next_of(received)
        while arrived.job_id == "a":  # polling may also report what was there when it opened
            arrived = await next_of(received)
        assert arrived == preview("b", 2)
