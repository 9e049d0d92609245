"""Rate limits: per credential (per address without one), 429 RATE_LIMITED with Retry-After in whole seconds."""

from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient

from entrypoints.container import Container
from entrypoints.http.app import create_app
from entrypoints.http.limits.token_bucket import TokenBuckets
from tests.api.auth_support import KEYS, auth_settings, bearer
from tests.api.helpers import API, error_of
from entrypoints.settings import Settings


def _app_client(aiohttp_client, container: Container, settings: Settings):  # type: ignore[no-untyped-def]
    return aiohttp_client(create_app(settings, container))


async def test_past_the_limit_a_client_gets_429_with_retry_after(tmp_path: Path, container, aiohttp_client):
    settings = Settings(upload_dir=tmp_path / "u", data_dir=tmp_path / "d", rate_limit_per_minute=5)
    client: TestClient = await _app_client(aiohttp_client, container, settings)
    statuses = [(await client.get(f"{API}/projects")).status for _ in range(5)]
    assert statuses == [200] * 5
    response = await client.get(f"{API}/projects")
    error = await error_of(response, 429)
    assert error["code"] == "RATE_LIMITED"
    assert response.headers["Retry-After"].isdigit() and 1 <= int(response.headers["Retry-After"]) <= 12
    assert (await client.get(f"{API}/health")).status == 200  # load balancers are never limited


async def test_each_credential_has_its_own_budget(tmp_path: Path, container, aiohttp_client):
    settings = auth_settings(tmp_path, rate_limit_per_minute=2)
    client: TestClient = await _app_client(aiohttp_client, container, settings)
    viewer, editor = bearer(KEYS["viewer"]), bearer(KEYS["editor"])
    assert [(await client.get(f"{API}/projects", headers=viewer)).status for _ in range(3)] == [200, 200, 429]
    assert (await client.get(f"{API}/projects", headers=editor)).status == 200


async def test_uploads_have_their_own_lower_limit(tmp_path: Path, container, aiohttp_client):
    settings = Settings(upload_dir=tmp_path / "u", data_dir=tmp_path / "d", rate_limit_per_minute=100,
                        rate_limit_upload_per_minute=1)
    client: TestClient = await _app_client(aiohttp_client, container, settings)
    first = await client.post(f"{API}/media/images", data=b"")
    assert first.status != 429
    assert (await client.post(f"{API}/media/images", data=b"")).status == 429
    assert (await client.get(f"{API}/projects")).status == 200  # other requests still go


@pytest.mark.parametrize(("per_minute", "wait"), [(60, 1), (6, 10), (1, 60)])
def test_retry_after_is_the_whole_seconds_until_a_token_is_back(per_minute, wait):
    now = [0.0]
    buckets = TokenBuckets(per_minute, clock=lambda: now[0])
    assert all(buckets.take("a") == 0 for _ in range(per_minute))
    assert buckets.take("a") == wait
    now[0] += wait
    assert buckets.take("a") == 0


def test_buckets_refill_over_time_and_never_beyond_the_limit():
    now = [0.0]
    buckets = TokenBuckets(2, clock=lambda: now[0])
    now[0] = 3600.0
    assert [buckets.take("a") for _ in range(3)][:2] == [0, 0]
