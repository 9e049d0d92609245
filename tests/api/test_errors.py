"""Every error mapping of the single error middleware, once, at the API level.

Errors always come as `{"error": {"code", "message", "details"}}`; a 400 names the offending fields in
`details.fields`; nothing the API says ever carries a traceback or a server path.
"""

import io
import json
import logging
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from dependency_injector import providers

from adapters.media.readiness import UploadDirProbe
from entrypoints.container import Container
from entrypoints.http.openapi import ERROR_SCHEMA
from tests.api.fuzz_support import assert_no_leak, schema_errors

PROJECTS = "/api/v1/projects"
INT64_MAX = 2**63 - 1


async def error_of(response: Any, status: int, code: str) -> dict[str, Any]:
    """The error object of an enveloped error response, after checking status, code, shape and leaks."""
    text = await response.text()
    assert response.status == status, text
    assert response.content_type == "application/json", text
    assert_no_leak(text)
    body = json.loads(text)
    assert not schema_errors({}, ERROR_SCHEMA, body), body
    assert set(body) == {"error"}, body
    error = body["error"]
    assert error["code"] == code, body
    assert isinstance(error["message"], str) and error["message"], body
    return error


async def fields_of(response: Any) -> dict[str, str]:
    """`details.fields` of a 400: a non-empty map of field name -> message."""
    error = await error_of(response, 400, "VALIDATION_ERROR")
    fields = error["details"].get("fields")
    assert isinstance(fields, dict) and fields, error
    assert all(isinstance(k, str) and isinstance(v, str) and v for k, v in fields.items()), error
    return fields


async def create(client: TestClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(path, json=body)
    assert response.status == 201, await response.text()
    return await response.json()


@pytest.fixture
async def project(client: TestClient) -> dict[str, Any]:
    return await create(client, PROJECTS, {"name": "Errors"})


@pytest.fixture
async def scene(client: TestClient, project: dict[str, Any]) -> dict[str, Any]:
    return await create(client, "/api/v1/scenes", {"project_id": project["id"], "name": "Opening"})


# 400 VALIDATION_ERROR: the body ------------------------------------------------------------------


async def test_a_wrong_type_names_the_field(client: TestClient) -> None:
    fields = await fields_of(await client.post(PROJECTS, json={"name": 123}))
    assert set(fields) == {"name"}


async def test_a_bool_is_not_an_integer(client: TestClient, project: dict[str, Any]) -> None:
    fields = await fields_of(await client.put(f"{PROJECTS}/{project['id']}", json={"version": True}))
    assert set(fields) == {"version"}


async def test_a_missing_field_is_named(client: TestClient) -> None:
    fields = await fields_of(await client.post(PROJECTS, json={"description": "no name"}))
    assert set(fields) == {"name"}


async def test_an_empty_body_is_an_empty_object_with_missing_fields(client: TestClient) -> None:
    fields = await fields_of(await client.post(PROJECTS, data=b""))
    assert set(fields) == {"name"}


async def test_an_unknown_field_is_rejected_and_named(client: TestClient) -> None:
    fields = await fields_of(await client.post(PROJECTS, json={"name": "x", "bogus": 1}))
    assert "bogus" in json.dumps(fields)


async def test_a_body_field_that_comes_from_the_path_is_an_unknown_field(
    client: TestClient, project: dict[str, Any]
) -> None:
    response = await client.post(f"{PROJECTS}/{project['id']}/duplicate", json={"project_id": "other"})
    assert "project_id" in await fields_of(response)


@pytest.mark.parametrize("raw", [b"{", b'{"name": "x",}', b"\xff\xfe{}", b"{'name': 'x'}", b"nul\x00l", b" ", b"\r\n"])
async def test_invalid_json_is_a_validation_error_on_the_body(client: TestClient, raw: bytes) -> None:
    response = await client.post(PROJECTS, data=raw, headers={"Content-Type": "application/json"})
    assert "body" in await fields_of(response)


async def test_deeply_nested_json_is_a_validation_error_not_a_crash(client: TestClient) -> None:
    depth = 100_000
    raw = b'{"name": ' + b"[" * depth + b"]" * depth + b"}"
    response = await client.post(PROJECTS, data=io.BytesIO(raw), headers={"Content-Type": "application/json"})
    await error_of(response, 400, "VALIDATION_ERROR")


@pytest.mark.parametrize("raw", [b"[]", b'["name"]', b'"name"', b"42", b"null", b"true"])
async def test_json_that_is_not_an_object_is_a_validation_error_on_the_body(client: TestClient, raw: bytes) -> None:
    response = await client.post(PROJECTS, data=raw, headers={"Content-Type": "application/json"})
    assert "body" in await fields_of(response)


@pytest.mark.parametrize("literal", [b"NaN", b"Infinity", b"-Infinity"])
async def test_nan_and_infinity_literals_are_not_json(
    client: TestClient, scene: dict[str, Any], literal: bytes
) -> None:
    raw = b'{"scene_id": "%s", "name": "c", "length": %s}' % (scene["id"].encode(), literal)
    response = await client.post("/api/v1/clips", data=raw, headers={"Content-Type": "application/json"})
    assert "body" in await fields_of(response)


@pytest.mark.parametrize("value", [INT64_MAX + 1, -INT64_MAX - 2, 10**30])
async def test_an_integer_beyond_int64_is_rejected(client: TestClient, project: dict[str, Any], value: int) -> None:
    fields = await fields_of(await client.post("/api/v1/scenes", json={
        "project_id": project["id"], "name": "s", "order": value}))
    assert set(fields) == {"order"}


async def test_a_huge_integer_for_a_float_field_is_rejected(client: TestClient, scene: dict[str, Any]) -> None:
    fields = await fields_of(await client.post("/api/v1/clips", json={
        "scene_id": scene["id"], "name": "c", "length": 10**400}))
    assert set(fields) == {"length"}


async def test_a_nul_character_in_a_string_is_rejected(client: TestClient) -> None:
    fields = await fields_of(await client.post(PROJECTS, json={"name": "a\x00b"}))
    assert set(fields) == {"name"}


async def test_a_nul_character_in_a_nested_string_is_rejected(client: TestClient) -> None:
    fields = await fields_of(await client.post("/api/v1/characters", json={
        "name": "Ann", "trigger_words": ["ok", "bad\x00"]}))
    assert any(name.startswith("trigger_words") for name in fields), fields


async def test_a_too_long_name_is_rejected(client: TestClient) -> None:
    fields = await fields_of(await client.post(PROJECTS, json={"name": "x" * 201}))
    assert set(fields) == {"name"}
    assert "200" in fields["name"]


async def test_a_blank_name_is_rejected(client: TestClient) -> None:
    fields = await fields_of(await client.post(PROJECTS, json={"name": "   "}))
    assert set(fields) == {"name"}


async def test_the_longest_name_is_accepted(client: TestClient) -> None:
    assert (await create(client, PROJECTS, {"name": "x" * 200}))["name"] == "x" * 200


# 400 VALIDATION_ERROR: query parameters -----------------------------------------------------------


@pytest.mark.parametrize(("query", "field"), [
    ("skip=-1", "skip"), ("skip=1.5", "skip"), ("skip=1000000001", "skip"),
    ("limit=abc", "limit"), ("limit=0", "limit"), ("limit=501", "limit"), ("limit=", "limit"),
    ("limit=99999999999999999999999999", "limit"),
])
async def test_bad_paging_parameters_are_named(client: TestClient, query: str, field: str) -> None:
    assert set(await fields_of(await client.get(f"{PROJECTS}?{query}"))) == {field}


@pytest.mark.parametrize("value", ["", "x" * 201, "a%00b"])
async def test_a_bad_project_filter_is_named(client: TestClient, value: str) -> None:
    response = await client.get(f"/api/v1/characters?project_id={value}")
    assert set(await fields_of(response)) == {"project_id"}


async def test_a_bad_alternates_policy_is_named(client: TestClient, scene: dict[str, Any]) -> None:
    response = await client.delete(f"/api/v1/scenes/{scene['id']}?alternates=bogus")
    assert set(await fields_of(response)) == {"alternates"}
    assert (await client.get(f"/api/v1/scenes/{scene['id']}")).status == 200, "the scene must survive"


async def test_paging_parameters_at_their_bounds_are_accepted(client: TestClient) -> None:
    response = await client.get(f"{PROJECTS}?skip=1000000000&limit=500")
    assert response.status == 200
    assert await response.json() == {"items": [], "total": 0, "skip": 1000000000, "limit": 500}


# 404 RESOURCE_NOT_FOUND -------------------------------------------------------------------------


@pytest.mark.parametrize("path", [
    "/api/v1/projects/{id}", "/api/v1/projects/{id}/with-scenes", "/api/v1/scenes/{id}", "/api/v1/clips/{id}",
    "/api/v1/characters/{id}", "/api/v1/templates/{id}", "/api/v1/scenes/project/{id}",
    "/api/v1/clips/scene/{id}", "/api/v1/characters/project/{id}",
])
async def test_an_unknown_id_is_not_found(client: TestClient, path: str) -> None:
    unknown = "000000000000000000000000"
    error = await error_of(await client.get(path.format(id=unknown)), 404, "RESOURCE_NOT_FOUND")
    assert unknown in error["message"]


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
async def test_writing_an_unknown_id_is_not_found(client: TestClient, method: str) -> None:
    response = await client.request(method, f"{PROJECTS}/nope", json={})
    await error_of(response, 404, "RESOURCE_NOT_FOUND")


async def test_an_unknown_reference_in_a_body_is_not_found(client: TestClient) -> None:
    response = await client.post("/api/v1/scenes", json={"project_id": "nope", "name": "s"})
    await error_of(response, 404, "RESOURCE_NOT_FOUND")


async def test_an_empty_reference_names_nothing_never_the_current_one(
    client: TestClient, scene: dict[str, Any]
) -> None:
    clip = await (await client.post("/api/v1/clips", json={"scene_id": scene["id"], "name": "c"})).json()
    response = await client.post(f"/api/v1/clips/{clip['id']}/move", json={"scene_id": "", "timeline_position": 1})
    await error_of(response, 404, "RESOURCE_NOT_FOUND")


@pytest.mark.parametrize("path", [
    "/api/v1/nope", "/nope", "/", "/api/v2/projects", "/api/v1/projects/x/y/z", "/api/v1/projects/",
    "/api/v1/docs/assets/no-such-file.js",
])
async def test_an_unknown_path_is_not_found(client: TestClient, path: str) -> None:
    await error_of(await client.get(path), 404, "RESOURCE_NOT_FOUND")


@pytest.mark.parametrize("path", [
    "/api/v1/projects/..%2F..%2Fetc%2Fpasswd", "/api/v1/projects/%2E%2E", "/api/v1/projects/%00",
    "/api/v1/projects/%F0%9F%92%A5", "/api/v1/projects/a%2Fb",
])
async def test_odd_ids_are_just_unknown_ids(client: TestClient, path: str) -> None:
    await error_of(await client.get(path), 404, "RESOURCE_NOT_FOUND")


@pytest.mark.parametrize("path", [
    "/api/v1/docs/assets/../../../../etc/passwd", "/api/v1/docs/assets/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
    "/api/v1/docs/assets/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/api/v1/docs/assets/..%5C..%5Cpyproject.toml",
])
async def test_the_static_assets_do_not_reach_outside_their_directory(client: TestClient, path: str) -> None:
    response = await client.get(path)
    text = await response.text()
    assert response.status in (403, 404), text
    assert "root:" not in text and "[project]" not in text
    assert_no_leak(text)


async def test_the_assets_directory_answers_with_a_documented_error(client: TestClient) -> None:
    """No directory listing, and the error is an envelope whose code the Error schema allows."""
    for path in ("/api/v1/docs/assets", "/api/v1/docs/assets/"):
        response = await client.get(path)
        assert response.status in (403, 404), path
        body = await response.json()
        assert not schema_errors({}, ERROR_SCHEMA, body), (path, response.status, body)
        expected = {403: "FORBIDDEN", 404: "RESOURCE_NOT_FOUND"}[response.status]
        assert body["error"]["code"] == expected, (path, body)


# 405 METHOD_NOT_ALLOWED -------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path", "allowed"), [
    ("DELETE", PROJECTS, {"GET", "POST"}),
    ("PATCH", PROJECTS + "/" + "0" * 24, {"GET", "PUT", "DELETE"}),  # an id's form: a path of the table
    ("GET", PROJECTS + "/" + "0" * 24 + "/duplicate", {"POST"}),
    ("PUT", "/api/v1/health", {"GET"}),
])
async def test_a_wrong_method_is_not_allowed_and_says_what_is(
    client: TestClient, method: str, path: str, allowed: set[str]
) -> None:
    response = await client.request(method, path)
    await error_of(response, 405, "METHOD_NOT_ALLOWED")
    assert {m.strip() for m in response.headers["Allow"].split(",")} - {"HEAD"} == allowed


# 409 CONFLICT ------------------------------------------------------------------------------------


async def test_a_stale_version_is_a_conflict(client: TestClient, project: dict[str, Any]) -> None:
    path = f"{PROJECTS}/{project['id']}"
    assert (await client.put(path, json={"name": "v2", "version": 1})).status == 200
    error = await error_of(await client.put(path, json={"name": "v3", "version": 1}), 409, "CONFLICT")
    assert error["details"] == {}
    assert (await (await client.get(path)).json())["name"] == "v2"


async def test_a_broken_rule_is_a_conflict(client: TestClient, scene: dict[str, Any]) -> None:
    await create(client, "/api/v1/clips", {"scene_id": scene["id"], "name": "a", "timeline_position": 0, "length": 5})
    response = await client.post("/api/v1/clips", json={
        "scene_id": scene["id"], "name": "b", "timeline_position": 2, "length": 5})
    await error_of(response, 409, "CONFLICT")


# 413 PAYLOAD_TOO_LARGE ---------------------------------------------------------------------------


def json_body_of_size(size: int) -> bytes:
    head, tail = b'{"name": "x", "description": "', b'"}'
    return head + b"d" * (size - len(head) - len(tail)) + tail


async def test_a_body_above_the_limit_is_too_large(client: TestClient, settings: Any) -> None:
    raw = json_body_of_size(settings.max_json_body_kb * 1024 + 1)
    response = await client.post(PROJECTS, data=io.BytesIO(raw), headers={"Content-Type": "application/json"})
    await error_of(response, 413, "PAYLOAD_TOO_LARGE")


async def test_a_chunked_body_above_the_limit_is_too_large(client: TestClient, settings: Any) -> None:
    raw = json_body_of_size(settings.max_json_body_kb * 1024 * 2)

    async def chunks():  # type: ignore[no-untyped-def]
        for start in range(0, len(raw), 64 * 1024):
            yield raw[start:start + 64 * 1024]

    response = await client.post(PROJECTS, data=chunks(), headers={"Content-Type": "application/json"})
    await error_of(response, 413, "PAYLOAD_TOO_LARGE")


async def test_a_body_at_the_limit_is_read(client: TestClient, settings: Any) -> None:
    """Exactly at the limit the body is read; here its description is then too long for the domain."""
    raw = json_body_of_size(settings.max_json_body_kb * 1024)
    response = await client.post(PROJECTS, data=io.BytesIO(raw), headers={"Content-Type": "application/json"})
    assert set(await fields_of(response)) == {"description"}


# 503 SERVICE_UNAVAILABLE -------------------------------------------------------------------------


async def test_not_ready_is_service_unavailable_and_names_the_failed_check_without_paths(
    client: TestClient, container: Container, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    media = tmp_path / "not-a-directory" / "uploads"
    probes = providers.List(providers.Factory(UploadDirProbe, directory=media))
    with container.readiness_probes.override(probes):
        response = await client.get("/api/v1/health/ready")
        text = await response.text()
    error = await error_of(response, 503, "SERVICE_UNAVAILABLE")
    assert "media" in error["message"]
    assert [check["name"] for check in error["details"]["checks"] if not check["ok"]] == ["media"]
    assert str(tmp_path) not in text, f"the readiness answer leaks a server path: {text}"


# 500 INTERNAL_ERROR ------------------------------------------------------------------------------


class Exploding:
    """A use case that fails in a way no error mapping knows."""

    async def __call__(self, *_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("secret /etc/storycanvas/credentials at /work/main/adapters/x.py line 3")


async def test_an_unexpected_exception_is_a_bare_internal_error(
    client: TestClient, container: Container, caplog: pytest.LogCaptureFixture
) -> None:
    with container.get_project.override(providers.Factory(Exploding)), caplog.at_level(logging.ERROR):
        response = await client.get(f"{PROJECTS}/{'0' * 24}")
        text = await response.text()
    error = await error_of(response, 500, "INTERNAL_ERROR")
    assert error == {"code": "INTERNAL_ERROR", "message": "Internal server error", "details": {}}
    for secret in ("secret", "/etc/", "credentials", "RuntimeError", "Exploding"):
        assert secret not in text
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert any(r.exc_info and isinstance(r.exc_info[1], RuntimeError) for r in caplog.records), "logged for operators"


async def test_an_unexpected_exception_in_a_write_is_a_bare_internal_error(
    client: TestClient, container: Container, caplog: pytest.LogCaptureFixture
) -> None:
    with container.create_project.override(providers.Factory(Exploding)), caplog.at_level(logging.CRITICAL):
        response = await client.post(PROJECTS, json={"name": "boom"})
    error = await error_of(response, 500, "INTERNAL_ERROR")
    assert error["message"] == "Internal server error"
    assert error["details"] == {}


async def test_the_app_recovers_after_an_internal_error(
    client: TestClient, container: Container, caplog: pytest.LogCaptureFixture
) -> None:
    with container.list_projects.override(providers.Factory(Exploding)), caplog.at_level(logging.CRITICAL):
        assert (await client.get(PROJECTS)).status == 500
    assert (await client.get(PROJECTS)).status == 200
