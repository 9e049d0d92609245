"""Webhooks through the API: CRUD, bad input, signed deliveries retried until 2xx, durable across a restart."""

import ipaddress
import json
from pathlib import Path

import pytest
from standardwebhooks import Webhook as Verifier

from domain.outbound import LOOPBACK
from domain.queue_job import JobStatus
from entrypoints.container import Container
from entrypoints.http.app import create_app
from entrypoints.settings import Settings
from tests.api.helpers import API, body_of, error_of, post
from tests.api.webhook_support import deliveries, ended_job, eventually, receiving

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(upload_dir=tmp_path / "uploads", data_dir=tmp_path / "data", outbound_allowed_networks=LOOPBACK,
                    webhook_poll_s=0.05, webhook_retry_base_s=0.2, webhook_timeout_s=2.0, webhook_secret=SECRET)


async def test_a_webhook_shows_its_secret_once_and_is_listed_changed_and_deleted(client):
    created = await post(client, "/webhooks", {"url": "http://127.0.0.1:9/hooks", "events": ["job.failed"]})
    assert created["secret"].startswith("whsec_") and created["events"] == ["job.failed"]
    Verifier(created["secret"])  # a secret the standardwebhooks library takes
    listed = await body_of(await client.get(f"{API}/webhooks"))
    assert [w["id"] for w in listed] == [created["id"]] and "secret" not in listed[0]
    assert "secret" not in await body_of(await client.get(f"{API}/webhooks/{created['id']}"))
    changed = await body_of(await client.put(f"{API}/webhooks/{created['id']}",
                                             json={"events": ["job.completed", "batch.completed"], "enabled": False}))
    assert changed["events"] == ["job.completed", "batch.completed"] and changed["enabled"] is False
    assert changed["version"] == 2 and changed["url"] == "http://127.0.0.1:9/hooks"
    deleted = await body_of(await client.delete(f"{API}/webhooks/{created['id']}"))
    assert deleted == {"id": created["id"], "deliveries_deleted": 0}
    await error_of(await client.get(f"{API}/webhooks/{created['id']}"), 404)


async def test_an_unknown_event_is_refused_with_the_list_of_events(client):
    error = await error_of(await client.post(f"{API}/webhooks", json={"url": "http://127.0.0.1:9/h",
                                                                      "events": ["job.done"]}), 400)
    assert "events" in error["details"]["fields"]
    text = json.dumps(error)
    assert all(name in text for name in ("job.completed", "job.failed", "job.cancelled", "batch.completed"))


class TestTheOutboundGuard:
    @pytest.fixture
    def settings(self, tmp_path: Path) -> Settings:
        return Settings(upload_dir=tmp_path / "uploads", data_dir=tmp_path / "data", webhook_secret=SECRET,
                        outbound_allowed_networks=(ipaddress.ip_network("10.0.0.0/8"),))

    async def test_a_webhook_url_the_guard_denies_is_refused(self, client):
        error = await error_of(await client.post(f"{API}/webhooks", json={"url": "http://127.0.0.1:9/hooks"}), 400)
        assert "OUTBOUND_ALLOWED_NETWORKS" in error["message"] and "url" in error["details"]["fields"]
        error = await error_of(await client.post(f"{API}/webhooks", json={"url": "http://169.254.169.254/"}), 400)
        assert "url" in error["details"]["fields"]

    async def test_a_jobs_own_webhook_url_the_guard_denies_is_refused(self, client):
        body = {"clip_id": "c" * 24, "model": "sdxl", "webhook_url": "http://127.0.0.1:9/hooks"}
        error = await error_of(await client.post(f"{API}/generation", json=body), 400)
        assert "webhook_url" in error["details"]["fields"]


async def test_a_delivery_failing_twice_is_retried_until_the_receiver_answers_2xx_and_is_signed(client, container):
    async with receiving(500, 503) as receiver:
        created = await post(client, "/webhooks", {"url": receiver.url, "events": ["job.completed"]})
        job = await ended_job(container, "a" * 24)
        await ended_job(container, "b" * 24, status=JobStatus.FAILED)  # an event it did not ask for

        async def delivered():
            listed = await deliveries(client, created["id"])
            return listed if listed and listed[0]["status"] == "delivered" else None

        [delivery] = await eventually(delivered)
    assert [a["status_code"] for a in delivery["attempts"]] == [500, 503, 204]
    assert delivery["attempt_count"] == 3 and delivery["event"] == "job.completed"
    assert len(receiver.received) == 3
    ids = {headers["webhook-id"] for headers, _ in receiver.received}
    assert ids == {delivery["id"]}  # one message id across the retries
    headers, body = receiver.received[-1]
    payload = Verifier(created["secret"]).verify(body, headers)
    assert payload["type"] == "job.completed" and payload["data"]["job_id"] == job.id
    assert headers["webhook-signature"].startswith("v1,")
    assert (await container.jobs().get(job.id)).announced is True


async def test_a_pending_delivery_survives_a_restart_and_is_sent_by_the_next_instance(
        settings, database, aiohttp_client, tmp_path):
    first = Container(settings=settings)
    first.database.override(database)
    async with receiving(503) as receiver:
        old = await aiohttp_client(create_app(settings, first))
        created = await post(old, "/webhooks", {"url": receiver.url, "events": ["job.cancelled"]})
        await ended_job(first, "c" * 24, status=JobStatus.CANCELLED)
        await eventually(lambda: _attempted(old, created["id"]))
        await old.close()  # the instance stops between two attempts
        count = len(receiver.received)
        second = Container(settings=settings)
        second.database.override(database)
        new = await aiohttp_client(create_app(settings, second))

        async def delivered():
            listed = await deliveries(new, created["id"])
            return listed if listed and listed[0]["status"] == "delivered" else None

        [delivery] = await eventually(delivered)
    assert count == 1 and len(receiver.received) == 2
    assert [a["status_code"] for a in delivery["attempts"]] == [503, 204]
    Verifier(created["secret"]).verify(receiver.received[-1][1], receiver.received[-1][0])


async def _attempted(client, webhook_id):
    listed = await deliveries(client, webhook_id)
    return bool(listed) and listed[0]["attempt_count"] >= 1


async def test_a_batch_and_its_jobs_tell_their_own_webhook_url(client, container):
    async with receiving() as receiver:
        await ended_job(container, "d" * 24, batch_id="e" * 24, webhook_url=receiver.url)
        await ended_job(container, "f" * 24, batch_id="e" * 24, webhook_url=receiver.url, status=JobStatus.FAILED)

        async def three():
            return len(receiver.received) >= 3

        await eventually(three)
    events = sorted(json.loads(body)["type"] for _, body in receiver.received)
    assert events == ["batch.completed", "job.completed", "job.failed"]
    for headers, body in receiver.received:
        Verifier(SECRET).verify(body, headers)
    batch = next(json.loads(b) for _, b in receiver.received if json.loads(b)["type"] == "batch.completed")
    assert batch["data"]["completed"] == 1 and batch["data"]["failed"] == 1 and batch["data"]["total"] == 2
