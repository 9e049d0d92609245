"""CORS allow-all: on every response, errors included, and preflights answered before routing."""

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

ORIGIN = "https://storyboard.example"


def assert_allow_all(response: Any) -> None:
    headers = response.headers
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert {m.strip() for m in headers["Access-Control-Allow-Methods"].split(",")} >= {
        "GET", "POST", "PUT", "DELETE", "OPTIONS"}
    assert headers["Access-Control-Allow-Headers"] == "*"
    assert headers["Access-Control-Expose-Headers"] == "*"


async def test_a_normal_response_allows_any_origin(client: TestClient) -> None:
    response = await client.get("/api/v1/health", headers={"Origin": ORIGIN})
    assert response.status == 200
    assert_allow_all(response)


async def test_a_created_response_allows_any_origin(client: TestClient) -> None:
    response = await client.post("/api/v1/projects", json={"name": "CORS"}, headers={"Origin": ORIGIN})
    assert response.status == 201
    assert_allow_all(response)


@pytest.mark.parametrize(("method", "path", "body", "status"), [
    ("POST", "/api/v1/projects", {"name": 1}, 400),
    ("GET", "/api/v1/projects/nope", None, 404),
    ("GET", "/api/v1/nowhere", None, 404),
    ("DELETE", "/api/v1/projects", None, 405),
    ("PUT", "/api/v1/health", None, 405),
])
async def test_an_error_response_allows_any_origin(
    client: TestClient, method: str, path: str, body: Any, status: int
) -> None:
    response = await client.request(method, path, json=body, headers={"Origin": ORIGIN})
    assert response.status == status
    assert (await response.json())["error"]["code"]
    assert_allow_all(response)


async def test_the_docs_and_the_document_allow_any_origin(client: TestClient) -> None:
    for path in ("/api/v1/openapi.json", "/api/v1/docs", "/api/v1/docs/assets/swagger-ui.css"):
        response = await client.get(path, headers={"Origin": ORIGIN})
        assert response.status == 200, path
        assert_allow_all(response)


@pytest.mark.parametrize(("path", "method"), [
    ("/api/v1/projects", "POST"),
    ("/api/v1/projects/some-id", "PUT"),
    ("/api/v1/scenes/some-id", "DELETE"),
    ("/api/v1/clips/some-id/move", "POST"),
    ("/api/v1/health", "GET"),
])
async def test_a_preflight_is_answered_with_no_content(client: TestClient, path: str, method: str) -> None:
    response = await client.options(path, headers={
        "Origin": ORIGIN, "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": "content-type, x-requested-with",
    })
    assert response.status == 204
    assert await response.read() == b""
    assert_allow_all(response)
    assert method in response.headers["Access-Control-Allow-Methods"]
    assert int(response.headers["Access-Control-Max-Age"]) > 0


async def test_an_options_request_that_is_not_a_preflight_is_routed(client: TestClient) -> None:
    response = await client.options("/api/v1/projects")
    assert response.status == 405
    assert (await response.json())["error"]["code"] == "METHOD_NOT_ALLOWED"
    assert_allow_all(response)
