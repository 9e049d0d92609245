"""The file routes a browser loads through `<img src>`/`<video src>` take the credential as `?token=` (no header
there); every other route still wants the header, and the token never reaches a log line."""

import io
import logging
from pathlib import Path

import pytest
from aiohttp import FormData
from aiohttp.test_utils import TestClient, TestServer

from entrypoints.container import Container
from entrypoints.http.app import create_app
from entrypoints.logging_setup import RedactingAccessLogger
from entrypoints.settings import Settings
from tests.api.auth_support import KEYS, auth_settings, bearer, token
from tests.api.helpers import API, body_of, error_of
from tests.media_samples import image

JOB_ID = "0123456789abcdef01234567"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return auth_settings(tmp_path)


@pytest.fixture
async def client(settings: Settings, container: Container, aiohttp_client) -> TestClient:  # type: ignore[no-untyped-def]
    """Served as `serve` serves: the access log on, through the redacting access logger."""
    server = TestServer(create_app(settings, container))
    await server.start_server(access_log_class=RedactingAccessLogger)
    return await aiohttp_client(server)


async def uploaded(client: TestClient, **params: str) -> str:
    form = FormData()
    form.add_field("file", io.BytesIO(image("PNG")), filename="ref.png", content_type="image/png")
    response = await client.post(f"{API}/media/images", data=form, params=params, headers=bearer(KEYS["editor"]))
    return (await body_of(response, 201))["url"]


async def test_a_media_file_wants_a_credential_and_takes_a_viewer_key_as_a_query_token(client):
    url = await uploaded(client)
    assert "?token=" in (await error_of(await client.get(url), 401))["message"]
    assert (await error_of(await client.get(url, params={"token": "not-a-key"}), 401))["code"] == "UNAUTHORIZED"
    response = await client.get(url, params={"token": KEYS["viewer"]})
    assert response.status == 200 and response.content_type == "image/png"
    assert (await client.head(url, params={"token": KEYS["viewer"]})).status == 200
    assert (await client.get(url, params={"token": token("viewer")})).status == 200, "a JWT as well as a key"


async def test_a_projects_file_and_a_jobs_preview_take_the_query_token(client):
    project = await body_of(await client.post(f"{API}/projects", json={"name": "P"}, headers=bearer(KEYS["editor"])),
                            201)
    url = await uploaded(client, project_id=project["id"])
    assert "/files/projects/" in url
    await error_of(await client.get(url), 401)
    assert (await client.get(url, params={"token": KEYS["viewer"]})).status == 200
    preview = f"{API}/queue/jobs/{JOB_ID}/preview"
    await error_of(await client.get(preview), 401)
    await error_of(await client.get(preview, params={"token": KEYS["viewer"]}), 404)  # past auth: no such job


async def test_a_json_route_still_wants_the_header(client):
    await error_of(await client.get(f"{API}/projects", params={"token": KEYS["admin"]}), 401)
    await error_of(await client.get(f"{API}/queue/jobs/{JOB_ID}", params={"token": KEYS["admin"]}), 401)
    assert (await client.get(f"{API}/projects", headers=bearer(KEYS["viewer"]))).status == 200


async def test_the_query_token_never_reaches_a_log_line(client, caplog):
    url = await uploaded(client)
    caplog.set_level(logging.DEBUG)
    secret = KEYS["viewer"]
    assert (await client.get(url, params={"token": secret})).status == 200
    await client.get(f"{API}/projects", params={"token": secret})  # refused: the query is still not logged
    await client.get(f"{API}/media/files/shared/images/missing.png", params={"token": secret})
    access = [r for r in caplog.records if r.name == "aiohttp.access"]
    assert len(access) >= 3 and all("token=%5Bredacted%5D" in r.getMessage() for r in access), "the access log ran"
    assert secret not in caplog.text
    assert all(secret not in str(record.__dict__) for record in caplog.records)


async def test_the_document_declares_the_query_token_on_the_file_routes_only(client):
    doc = await body_of(await client.get(f"{API}/openapi.json"))
    scheme = doc["components"]["securitySchemes"]["query_token"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "query", "token")
    takes = sorted((method.upper(), path) for path, item in doc["paths"].items() for method, op in item.items()
                   if {"query_token": ["viewer"]} in op.get("security", []))
    assert takes == sorted([
        ("GET", "/api/v1/media/files/projects/{project_id}/{folder}/{name}"),
        ("GET", "/api/v1/media/files/shared/{folder}/{name}"),
        ("GET", "/api/v1/queue/jobs/{job_id}/preview"),
        ("GET", "/api/v1/projects/{project_id}/storyboard.pdf"),
        ("GET", "/api/v1/projects/{project_id}/storyboard.png"),
        ("GET", "/api/v1/projects/{project_id}/animatic.mp4"),
    ])
