"""GET /metrics (Prometheus text, read back with prometheus_client's own parser), X-Request-ID, job counters."""

import logging
from datetime import timedelta
from pathlib import Path

import pytest
from attrs import evolve
from prometheus_client.parser import text_string_to_metric_families

from adapters.fakes.job_store import InMemoryJobStore
from adapters.observability.log_context import REQUEST_ID, LogContextFilter
from adapters.observability.observed_job_store import ObservedJobStore
from adapters.observability.service_metrics import ServiceMetrics
from entrypoints.http.app import create_app
from tests.api.auth_support import KEYS, auth_settings, bearer
from tests.api.helpers import API
from tests.contract.test_job_store import LEASE, NOW, job

ABSENT_ID = "0123456789abcdef01234567"


def samples(text: str) -> dict[str, list]:  # type: ignore[type-arg]
    return {family.name: family.samples for family in text_string_to_metric_families(text)}


def value(found: dict, family: str, sample: str, **labels: str) -> float:  # type: ignore[type-arg]
    matching = [s.value for s in found[family] if s.name == sample and all(s.labels.get(k) == v
                                                                        for k, v in labels.items())]
    assert matching, f"no {sample}{labels} in {found.get(family)}"
    return sum(matching)


async def test_requests_are_counted_by_route_template_and_status(client):
    await client.get(f"{API}/projects")
    await client.get(f"{API}/projects/{ABSENT_ID}")
    await client.get(f"{API}/projects/{ABSENT_ID[::-1]}")
    await client.get("/no/such/path")
    response = await client.get("/metrics")
    assert response.status == 200 and response.content_type == "text/plain"
    found = samples(await response.text())
    route = "/api/v1/projects/{project_id}"
    assert value(found, "storycanvas_http_requests", "storycanvas_http_requests_total",
                 route=route, status="404") == 2
    assert value(found, "storycanvas_http_requests", "storycanvas_http_requests_total",
                 route="/api/v1/projects", status="200", method="GET") == 1
    assert value(found, "storycanvas_http_requests", "storycanvas_http_requests_total", route="unmatched") == 1
    assert value(found, "storycanvas_http_request_duration_seconds", "storycanvas_http_request_duration_seconds_count",
                 route=route) == 2


async def test_queue_server_and_subscriber_gauges_are_exported(client):
    found = samples(await (await client.get("/metrics")).text())
    for status in ("pending", "processing", "completed", "failed", "cancelled"):
        assert value(found, "storycanvas_queue_jobs", "storycanvas_queue_jobs", status=status) == 0
    assert value(found, "storycanvas_websocket_subscribers", "storycanvas_websocket_subscribers") == 0
    for family in ("storycanvas_job_retries", "storycanvas_job_failures", "storycanvas_job_dispatch_latency_seconds",
                   "storycanvas_upload_duration_seconds", "storycanvas_export_duration_seconds",
                   "storycanvas_server_running_jobs", "storycanvas_server_capacity"):
        assert family in found


async def test_uploads_and_exports_have_their_durations(client):
    await client.post(f"{API}/media/images", data=b"")
    await client.get(f"{API}/projects/{ABSENT_ID}/export/edl")
    found = samples(await (await client.get("/metrics")).text())
    assert value(found, "storycanvas_upload_duration_seconds", "storycanvas_upload_duration_seconds_count") == 1
    assert value(found, "storycanvas_export_duration_seconds", "storycanvas_export_duration_seconds_count") == 1


async def test_a_request_id_is_echoed_or_made(client):
    given = await client.get(f"{API}/health", headers={"X-Request-ID": "abc-123"})
    assert given.headers["X-Request-ID"] == "abc-123"
    made = await client.get(f"{API}/health")
    assert len(made.headers["X-Request-ID"]) == 32
    odd = await client.get(f"{API}/health", headers={"X-Request-ID": "bad id\twith spaces"})
    assert odd.headers["X-Request-ID"] != "bad id\twith spaces"
    refused = await client.get(f"{API}/projects/{ABSENT_ID}", headers={"X-Request-ID": "r-404"})
    assert refused.status == 404 and refused.headers["X-Request-ID"] == "r-404"


async def test_metrics_need_the_admin_role(tmp_path: Path, container, aiohttp_client):
    client = await aiohttp_client(create_app(auth_settings(tmp_path), container))
    assert (await client.get("/metrics")).status == 401
    assert (await client.get("/metrics", headers=bearer(KEYS["editor"]))).status == 403
    response = await client.get("/metrics", headers=bearer(KEYS["admin"]))
    assert response.status == 200
    assert "storycanvas_http_requests" in samples(await response.text())


async def test_each_app_has_its_own_registry(settings, container, aiohttp_client):
    first = await aiohttp_client(create_app(settings, container))
    second_metrics = ServiceMetrics()
    assert second_metrics.registry is not container.metrics().registry
    await first.get(f"{API}/health")


# The job store's counters ------------------------------------------------------------------------------


async def test_dispatch_latency_retries_and_failures_are_counted():
    metrics = ServiceMetrics()
    store = ObservedJobStore(InMemoryJobStore(), metrics)
    pending = job("j1")
    await store.add_all([pending], [{}])
    taken = pending.claimed(server_id="s1", owner="api", lease=LEASE, now=NOW)
    assert await store.claim(pending, taken)
    retried = await store.save(evolve(taken, version=pending.version + 1).attempt_failed("boom", now=NOW))
    again = retried.claimed(server_id="s2", owner="api", lease=LEASE, now=NOW + timedelta(minutes=1))
    assert await store.claim(retried, again)
    await store.save(evolve(again, version=retried.version + 1, retry_count=3).attempt_failed("boom", now=NOW))
    found = samples(_text(metrics))
    assert value(found, "storycanvas_job_retries", "storycanvas_job_retries_total") == 1
    assert value(found, "storycanvas_job_failures", "storycanvas_job_failures_total") == 1
    assert value(found, "storycanvas_job_dispatch_latency_seconds",
                 "storycanvas_job_dispatch_latency_seconds_count") == 2
    assert value(found, "storycanvas_job_dispatch_latency_seconds",
                 "storycanvas_job_dispatch_latency_seconds_sum") == pytest.approx(3600 + 60 - 2, abs=5)


def _text(metrics: ServiceMetrics) -> str:
    from prometheus_client import generate_latest

    return generate_latest(metrics.registry).decode()


# Log context -----------------------------------------------------------------------------------------------


async def test_a_job_enqueued_in_a_request_carries_its_request_id_into_its_log_lines():
    import asyncio

    store = ObservedJobStore(InMemoryJobStore(), ServiceMetrics())
    token = REQUEST_ID.set("req-42")
    try:
        await store.add_all([job("job-7")], [{}])
    finally:
        REQUEST_ID.reset(token)
    records: list[logging.LogRecord] = []

    async def run() -> None:
        record = logging.LogRecord("x", logging.INFO, __file__, 1, "running", None, None)
        LogContextFilter().filter(record)
        records.append(record)

    await asyncio.create_task(run(), name="job job-7")
    assert (records[0].job_id, records[0].request_id) == ("job-7", "req-42")
