"""The webhook ports (WebhookStore, WebhookOutbox, JobEndings), in memory as on Mongo, shared by API instances."""

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from attrs import evolve

from adapters.fakes.job_endings import InMemoryJobEndings
from adapters.fakes.job_store import InMemoryJobStore
from adapters.fakes.webhook_outbox import InMemoryWebhookOutbox
from adapters.fakes.webhook_store import InMemoryWebhookStore
from adapters.mongo.converter import make_document_converter
from adapters.mongo.job_endings import MongoJobEndings
from adapters.mongo.job_store import MongoJobStore
from adapters.mongo.webhook_outbox import MongoWebhookOutbox
from adapters.mongo.webhook_store import MongoWebhookStore
from application.errors import Conflict
from domain.generated_content import ContentKind
from domain.queue_job import JobStatus, QueueJob
from domain.webhook import EVENTS, Webhook
from domain.webhook_delivery import DeliveryAttempt, DeliveryStatus, RetryPolicy, WebhookDelivery
from tests.contract.conftest import BACKENDS, _shared_fake_or_mongo, fresh_database

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(params=BACKENDS)
async def webhook_stores(request: pytest.FixtureRequest, secantus_url: str) -> AsyncIterator[Callable[[], Any]]:
    async for instances in _shared_fake_or_mongo(request.param, secantus_url, InMemoryWebhookStore(),
                                                 MongoWebhookStore):
        yield instances


@pytest.fixture(params=BACKENDS)
async def outboxes(request: pytest.FixtureRequest, secantus_url: str) -> AsyncIterator[Callable[[], Any]]:
    async for instances in _shared_fake_or_mongo(request.param, secantus_url, InMemoryWebhookOutbox(),
                                                 MongoWebhookOutbox):
        yield instances


@pytest.fixture(params=BACKENDS)
async def endings(request: pytest.FixtureRequest, secantus_url: str) -> AsyncIterator[tuple[Any, Any]]:
    """(job store, job endings) over one shared state."""
    if request.param == "fake":
        store = InMemoryJobStore()
        yield store, InMemoryJobEndings(store)
        return
    async with fresh_database(secantus_url) as database:
        converter = make_document_converter()
        yield MongoJobStore(database.handle, converter), MongoJobEndings(database.handle, converter)


def webhook(webhook_id: str, *, at: datetime = NOW) -> Webhook:
    return Webhook(id=webhook_id, url="http://127.0.0.1:9/hooks", events=EVENTS, sealed_secret="sealed",
                   created_at=at, updated_at=at)


def delivery(delivery_id: str, *, due: datetime = NOW, webhook_id: str | None = "w1") -> WebhookDelivery:
    return WebhookDelivery(id=delivery_id, webhook_id=webhook_id, url="http://127.0.0.1:9/hooks",
                           event="job.completed", payload={"type": "job.completed", "data": {"job_id": "j"}},
                           created_at=NOW, next_attempt_at=due)


def job(job_id: str, *, status: JobStatus = JobStatus.PENDING, batch_id: str | None = None,
        ended: datetime | None = None) -> QueueJob:
    return QueueJob(id=job_id, project_id="p", clip_id="c", kind=ContentKind.IMAGE, model="m", params={},
                    output_node="9", created_at=NOW, updated_at=NOW, status=status, batch_id=batch_id,
                    completed_at=ended)


async def test_webhooks_round_trip_oldest_first_and_updates_are_version_guarded(webhook_stores):
    writer, reader = webhook_stores(), webhook_stores()
    await writer.add(webhook("b", at=NOW + timedelta(seconds=1)))
    await writer.add(webhook("a"))
    assert [w.id for w in await reader.all()] == ["a", "b"]
    stored = await reader.get("a")
    assert stored == webhook("a")
    updated = await writer.update(evolve(stored, enabled=False))
    assert updated.version == 2 and (await reader.get("a")).enabled is False
    with pytest.raises(Conflict):
        await reader.update(evolve(stored, description="stale"))
    assert await writer.delete("a") is True
    assert await writer.delete("a") is False
    assert await reader.get("a") is None


async def test_an_outbox_stores_each_message_id_once(outboxes):
    one, other = outboxes(), outboxes()
    assert await one.add_all([delivery("d1"), delivery("d2")]) == 2
    assert await other.add_all([delivery("d2"), delivery("d3")]) == 1
    assert await one.add_all([]) == 0
    assert await other.count_of_webhook("w1") == 3
    assert await one.get("d2") == delivery("d2")


async def test_a_due_delivery_is_claimed_by_one_instance_until_its_lease_expires(outboxes):
    one, other = outboxes(), outboxes()
    await one.add_all([delivery("later", due=NOW + timedelta(minutes=1)), delivery("due")])
    claimed = await one.claim_due(NOW, owner="A", until=NOW + timedelta(seconds=30))
    assert claimed is not None and claimed.id == "due" and claimed.lease_owner == "A"
    assert await other.claim_due(NOW + timedelta(seconds=10), owner="B", until=NOW + timedelta(seconds=40)) is None
    taken_over = await other.claim_due(NOW + timedelta(seconds=31), owner="B", until=NOW + timedelta(seconds=61))
    assert taken_over is not None and taken_over.id == "due" and taken_over.lease_owner == "B"
    attempt = DeliveryAttempt(at=NOW + timedelta(seconds=32), status_code=200, error=None, duration_ms=3.0)
    assert await one.settle(claimed.tried(attempt, policy=RetryPolicy()), owner="A") is False  # lease lost
    assert await other.settle(taken_over.tried(attempt, policy=RetryPolicy()), owner="B") is True
    stored = await one.get("due")
    assert stored.status is DeliveryStatus.DELIVERED and stored.attempts == (attempt,) and stored.lease_owner is None
    assert await one.claim_due(NOW + timedelta(hours=1), owner="A", until=NOW + timedelta(hours=2)) is not None
    assert await one.claim_due(NOW + timedelta(hours=1), owner="A", until=NOW + timedelta(hours=2)) is None


async def test_a_retried_delivery_waits_for_its_next_attempt(outboxes):
    outbox = outboxes()
    await outbox.add_all([delivery("d")])
    claimed = await outbox.claim_due(NOW, owner="A", until=NOW + timedelta(seconds=30))
    failed = DeliveryAttempt(at=NOW, status_code=503, error="answered 503", duration_ms=1.0)
    await outbox.settle(claimed.tried(failed, policy=RetryPolicy(base=timedelta(seconds=5))), owner="A")
    assert await outbox.claim_due(NOW + timedelta(seconds=4), owner="A", until=NOW + timedelta(minutes=1)) is None
    again = await outbox.claim_due(NOW + timedelta(seconds=5), owner="A", until=NOW + timedelta(minutes=1))
    assert again is not None and again.attempt_count == 1 and again.status is DeliveryStatus.PENDING


async def test_deliveries_are_listed_per_webhook_newest_first_and_deleted_with_it(outboxes):
    outbox = outboxes()
    await outbox.add_all([evolve(delivery(f"d{i}"), created_at=NOW + timedelta(seconds=i)) for i in range(5)])
    await outbox.add_all([delivery("other", webhook_id="w2"), delivery("own", webhook_id=None)])
    assert [d.id for d in await outbox.of_webhook("w1", skip=1, limit=2)] == ["d3", "d2"]
    assert await outbox.delete_of_webhook("w1") == 5
    assert await outbox.count_of_webhook("w1") == 0 and await outbox.count_of_webhook("w2") == 1


async def test_final_jobs_are_unannounced_until_marked_and_again_once_retried(endings):
    store, job_endings = endings
    ended = NOW + timedelta(minutes=1)
    await store.add_all([job("running"), job("done", status=JobStatus.COMPLETED, ended=ended, batch_id="b"),
                         job("first", status=JobStatus.FAILED, ended=NOW, batch_id="b")], [{}, {}, {}])
    assert [j.id for j in await job_endings.unannounced(limit=10)] == ["first", "done"]
    assert [j.id for j in await job_endings.unannounced(limit=1)] == ["first"]
    await job_endings.mark_announced(await store.get("first"))
    assert [j.id for j in await job_endings.unannounced(limit=10)] == ["done"]
    retried = await store.save((await store.get("first")).retried(now=ended))
    assert retried.announced is False
    await job_endings.mark_announced(await store.get("done"))
    assert await job_endings.unannounced(limit=10) == []
    assert sorted(j.id for j in await job_endings.of_batch("b")) == ["done", "first"]
    assert (await store.get("done")).version == 1  # marking is no guarded change


async def test_a_batch_is_finished_once_none_of_its_jobs_waits_or_runs(endings):
    store, job_endings = endings
    await store.add_all([job("a", status=JobStatus.COMPLETED, ended=NOW, batch_id="b"),
                         job("b", status=JobStatus.PROCESSING, batch_id="b"),
                         job("c", status=JobStatus.CANCELLED, ended=NOW, batch_id="other")], [{}, {}, {}])
    assert await job_endings.batch_finished("b") is False
    assert await job_endings.batch_finished("other") is True
    running = await store.get("b")
    await store.save(evolve(running, status=JobStatus.FAILED, completed_at=NOW))
    assert await job_endings.batch_finished("b") is True


async def test_endings_of_every_final_status_come_oldest_first_across_statuses(endings):
    store, job_endings = endings
    statuses = [JobStatus.CANCELLED, JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.COMPLETED]
    await store.add_all([job(f"j{n}", status=status, ended=NOW + timedelta(seconds=10 - n))
                         for n, status in enumerate(statuses)], [{}] * len(statuses))
    assert [j.id for j in await job_endings.unannounced(limit=3)] == ["j3", "j2", "j1"]
