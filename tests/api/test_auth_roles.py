"""Every operation declares who may call it, and each role gets exactly what it declares (table-driven over
the OpenAPI document, so a route added without a declared requirement fails here)."""

import re
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from entrypoints.container import Container
from entrypoints.http.app import create_app
from entrypoints.settings import Settings
from tests.api.auth_support import KEYS, auth_settings, bearer
from tests.api.fuzz_support import operations

ROLES = ("viewer", "editor", "admin")
RANK = {"public": 0, "viewer": 1, "editor": 2, "admin": 3}
SAMPLE_ID = "0123456789abcdef01234567"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return auth_settings(tmp_path)


@pytest.fixture
async def client(settings: Settings, container: Container, aiohttp_client) -> TestClient:  # type: ignore[no-untyped-def]
    return await aiohttp_client(create_app(settings, container))


@pytest.fixture
async def doc(client: TestClient) -> dict[str, Any]:
    return await (await client.get("/api/v1/openapi.json")).json()


def _path(path: str, operation: dict[str, Any]) -> str:
    schemas = {p["name"]: p["schema"] for p in operation.get("parameters", []) if p["in"] == "path"}

    def fill(match: re.Match[str]) -> str:
        schema = schemas[match[1]]
        return str(schema["enum"][0]) if "enum" in schema else SAMPLE_ID if "pattern" in schema else "x.png"

    return re.sub(r"\{(\w+)\}", fill, path)


async def test_every_operation_declares_its_required_role(doc):
    undeclared = sorted(f"{method} {path}" for method, path, operation in operations(doc)
                        if operation.get("x-required-role") not in RANK)
    assert not undeclared, "operations without a declared role (give their Operation role=Role.X): " + \
        ", ".join(undeclared)


async def test_the_document_declares_the_bearer_scheme_and_each_requirement(doc):
    assert doc["components"]["securitySchemes"]["bearer"] == {**doc["components"]["securitySchemes"]["bearer"],
                                                              "type": "http", "scheme": "bearer"}
    for _, _, operation in operations(doc):
        role = operation["x-required-role"]
        assert operation["security"][:1] == ([] if role == "public" else [{"bearer": [role]}])
        assert operation["security"][1:] in ([], [{"query_token": [role]}])  # file routes: or ?token=
        if role != "public":
            assert {"401", "403", "429"} <= set(operation["responses"])


async def test_each_role_reaches_exactly_the_operations_its_rank_allows(client, doc):
    mismatches = []
    for method, path, operation in operations(doc):
        needed = RANK[operation["x-required-role"]]
        url = _path(path, operation)
        for credential in (None, *ROLES):
            headers = bearer(KEYS[credential]) if credential else {}
            response = await client.request(method, url, headers=headers, json={} if method != "GET" else None)
            await response.read()
            rank = RANK[credential] if credential else 0
            expected_refusal = 401 if credential is None and needed else 403 if rank < needed else None
            refused = response.status if response.status in (401, 403) else None
            if refused != expected_refusal or response.status >= 500:
                mismatches.append(f"{method} {path} as {credential}: {response.status}, wanted {expected_refusal}")
    assert not mismatches, "\n".join(mismatches)


async def test_the_role_table_matches_the_issue(doc):
    role = {(m, p): o["x-required-role"] for m, p, o in operations(doc)}
    assert role[("GET", "/api/v1/health")] == "public"
    assert role[("GET", "/api/v1/projects")] == "viewer"
    assert role[("POST", "/api/v1/projects")] == "editor"
    assert role[("POST", "/api/v1/media/images")] == "editor"
    assert role[("POST", "/api/v1/generation")] == "editor"
    assert role[("GET", "/api/v1/projects/{project_id}/export/{format}")] == "editor"
    for admin in (("POST", "/api/v1/comfyui/servers"), ("POST", "/api/v1/video-providers"),
                  ("POST", "/api/v1/queue/pause"), ("POST", "/api/v1/queue/resume"),
                  ("DELETE", "/api/v1/queue/jobs/finished")):
        assert role[admin] == "admin"
