"""The OpenAPI 3.1 document: valid, complete (every route, every status), and true to real responses."""

import json
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from openapi_spec_validator import OpenAPIV31SpecValidator, validate

from entrypoints.container import Container
from entrypoints.http.errors import envelope
from entrypoints.http.openapi import ERROR_SCHEMA
from entrypoints.http.routes import OPERATIONS
from tests.api.fuzz_support import (
    JSON_MEDIA, add_take, assert_documented, operation, operations, resolve, schema_errors,
)

ERROR_REF = {"$ref": "#/components/schemas/Error"}
# Routes that serve the documentation itself rather than the API.
DOCUMENTATION_ROUTES = {
    (method, path) for path in ("/api/v1/openapi.json", "/api/v1/docs", "/api/v1/docs/assets/{name}", "/api/v1/ws")
    for method in ("GET", "HEAD")
}


@pytest.fixture
async def doc(client: TestClient) -> dict[str, Any]:
    response = await client.get("/api/v1/openapi.json")
    assert response.status == 200
    assert response.content_type == JSON_MEDIA
    return await response.json()


def documented(doc: dict[str, Any]) -> set[tuple[str, str]]:
    return {(method, path) for method, path, _ in operations(doc)}


# The document itself ----------------------------------------------------------------------------


async def test_the_document_is_valid_openapi_3_1(doc: dict[str, Any]) -> None:
    assert doc["openapi"].startswith("3.1.")
    validate(doc, cls=OpenAPIV31SpecValidator)
    assert not list(OpenAPIV31SpecValidator(doc).iter_errors())


async def test_the_document_is_plain_json_and_stable(client: TestClient, doc: dict[str, Any]) -> None:
    again = await (await client.get("/api/v1/openapi.json")).json()
    assert again == doc
    assert json.loads(json.dumps(doc, allow_nan=False)) == doc
    assert doc["info"]["title"] and doc["info"]["version"]


async def test_it_lists_exactly_the_operations_of_the_route_table(doc: dict[str, Any]) -> None:
    table = {(op.method, op.path) for op in OPERATIONS}
    assert len(OPERATIONS) == len(table) >= 35, "no operation is listed twice; the 35 core ones at least"
    assert documented(doc) == table


async def test_every_api_route_is_documented_and_every_documented_operation_exists(
    client: TestClient, doc: dict[str, Any]
) -> None:
    app: web.Application = client.server.app  # type: ignore[assignment]
    routes = {(route.method, route.resource.canonical) for route in app.router.routes() if route.resource}
    heads = {("HEAD", path) for method, path in routes if method == "GET"}  # implied by GET (RFC 9110, 9.3.2)
    assert heads <= routes, "every GET route answers HEAD"
    assert routes - heads - DOCUMENTATION_ROUTES == documented(doc), "undocumented routes / documented but not routed"
    assert {route for route in DOCUMENTATION_ROUTES if route[0] == "GET"} <= routes


async def test_operation_ids_are_unique_and_every_operation_is_described(doc: dict[str, Any]) -> None:
    ids = [op["operationId"] for _, _, op in operations(doc)]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    for method, path, op in operations(doc):
        assert op["summary"] and op["tags"], (method, path)


async def test_path_parameters_are_declared(doc: dict[str, Any]) -> None:
    for method, path, op in operations(doc):
        in_template = {part[1:-1] for part in path.split("/") if part.startswith("{")}
        declared = {p["name"] for p in op.get("parameters", []) if p["in"] == "path"}
        assert in_template == declared, (method, path)
        assert all(p["required"] for p in op["parameters"] if p["in"] == "path")


@pytest.mark.parametrize(("method", "path"), [(op.method, op.path) for op in OPERATIONS],
                         ids=[f"{op.method} {op.path}" for op in OPERATIONS])
async def test_every_status_an_operation_can_return_is_documented(
    doc: dict[str, Any], method: str, path: str
) -> None:
    op = operation(doc, method, path)
    statuses = {int(code) for code in op["responses"]}
    successes = {code for code in statuses if code < 400} - {206, 304}  # a file's partial and not-modified answers
    assert len(successes) == 1, (method, path, statuses)
    if 206 in statuses:
        assert {304, 412, 416} <= statuses, "ranges and conditional requests come with their failures"
    has_body = "requestBody" in op
    has_query = any(p["in"] == "query" for p in op.get("parameters", []))
    has_path = "{" in path
    expected = {500} | ({400} if has_body or has_query else set()) | ({404} if has_path else set()) | (
        {413} if has_body else set())
    assert expected <= statuses, (method, path, sorted(expected - statuses))
    if method == "PUT":
        assert 409 in statuses, "updates take a version and can conflict"


@pytest.mark.parametrize(("method", "path"), [
    ("POST", "/api/v1/scenes"), ("DELETE", "/api/v1/scenes/{scene_id}"),
    ("POST", "/api/v1/scenes/{scene_id}/alternates"),
    ("DELETE", "/api/v1/clips/{clip_id}"), ("POST", "/api/v1/clips/{clip_id}/alternates"),
    ("DELETE", "/api/v1/projects/{project_id}"), ("POST", "/api/v1/projects/{project_id}/duplicate"),
    ("DELETE", "/api/v1/characters/{character_id}"), ("POST", "/api/v1/generation"),
    ("POST", "/api/v1/generation/batch"), ("POST", "/api/v1/queue/jobs"),
])
async def test_an_operation_that_can_lose_a_race_or_break_a_rule_documents_409(
    doc: dict[str, Any], method: str, path: str
) -> None:
    """Changes under an aggregate's guard answer 409 after their retries; generating from no image breaks a rule."""
    assert "409" in operation(doc, method, path)["responses"]


async def test_uploads_name_the_file_types_they_take(doc: dict[str, Any]) -> None:
    music = operation(doc, "POST", "/api/v1/media/projects/{project_id}/upload-music")["requestBody"]
    image = operation(doc, "POST", "/api/v1/media/images")["requestBody"]
    for body, kind in ((music, "audio/"), (image, "image/")):
        types = body["content"]["multipart/form-data"]["encoding"]["file"]["contentType"].split(", ")
        assert types and all(media_type.startswith(kind) for media_type in types)


async def test_an_operation_whose_body_references_another_entity_documents_404(doc: dict[str, Any]) -> None:
    """`project_id`, `scene_id`, `clip_id`, `character_id` in a body are looked up: unknown ones are a 404."""
    undocumented = []
    for method, path, op in operations(doc):
        if "requestBody" not in op:
            continue
        schema = resolve(doc, next(iter(op["requestBody"]["content"].values()))["schema"])
        references = sorted(name for name in schema["properties"] if name.endswith("_id"))
        if references and "404" not in op["responses"]:
            undocumented.append(f"{method} {path} ({', '.join(references)})")
    assert not undocumented, "404 not documented for: " + "; ".join(undocumented)


async def test_every_error_response_references_the_error_schema(doc: dict[str, Any]) -> None:
    for method, path, op in operations(doc):
        for status, response in op["responses"].items():
            if int(status) >= 400:
                assert response["description"], (method, path, status)
                assert response["content"] == {JSON_MEDIA: {"schema": ERROR_REF}}, (method, path, status)
    assert resolve(doc, ERROR_REF)["required"] == ["error"]


async def test_request_bodies_are_closed_json_objects_required_when_a_field_is(doc: dict[str, Any]) -> None:
    """A body of optional fields may be left out (no body is `{}`); one with a required field may not."""
    for method, path, op in operations(doc):
        if "requestBody" not in op:
            continue
        body = op["requestBody"]
        assert list(body["content"]) in ([JSON_MEDIA], ["multipart/form-data"]), "JSON, or an upload's form"
        schema = resolve(doc, next(iter(body["content"].values()))["schema"])
        assert body["required"] is bool(schema.get("required")), (method, path)
        assert schema["type"] == "object", (method, path)
        assert schema["additionalProperties"] is False, (method, path)
        path_names = {part[1:-1] for part in path.split("/") if part.startswith("{")}
        assert not path_names & set(schema["properties"]), "path values are not body fields"


def test_the_error_schema_allows_every_code_the_envelope_can_carry() -> None:
    """Any HTTP error can reach the middleware (403 from the static route, 414, 431...)."""
    undocumented = {}
    for status in range(400, 600):
        response = envelope(status, "message")
        assert isinstance(response.body, bytes)
        body = json.loads(response.body)
        if schema_errors({}, ERROR_SCHEMA, body):
            undocumented[status] = body["error"]["code"]
    assert not undocumented, f"envelope codes outside the Error schema's enum: {undocumented}"


# Real responses against the documented schemas ---------------------------------------------------

FLOW_TAGS = {"health", "projects", "scenes", "clips", "characters", "templates"}


class Api:
    """Calls operations by their documented path template; checks every response against the document."""

    def __init__(self, client: TestClient, doc: dict[str, Any]) -> None:
        self.client, self.doc = client, doc
        self.seen: set[tuple[str, str, int]] = set()

    async def __call__(
        self, method: str, template: str, status: int, *, json: Any = None, query: dict[str, str] | None = None,
        **path_values: str,
    ) -> Any:
        path = template.format(**path_values)
        response = await self.client.request(method, path, json=json, params=query)
        raw = await response.read()
        assert response.status == status, (method, path, response.status, raw[:500])
        self.seen.add((method, template, status))
        return assert_documented(self.doc, method, template, response.status, response.content_type, raw,
                                 request=f"{method} {path} {json}")


async def test_a_realistic_flow_matches_the_documented_schemas(
    client: TestClient, container: Container, doc: dict[str, Any]
) -> None:
    api = Api(client, doc)
    await api("GET", "/api/v1/health", 200)
    await api("GET", "/api/v1/health/ready", 200)

    project = await api("POST", "/api/v1/projects", 201, json={"name": "Night drive", "description": "synthwave"})
    pid = project["id"]
    await api("GET", "/api/v1/projects/{project_id}", 200, project_id=pid)
    await api("PUT", "/api/v1/projects/{project_id}", 200, json={"name": "Night drive (v2)", "version": 1},
              project_id=pid)

    character = await api("POST", "/api/v1/characters", 201, json={
        "name": "Ava", "description": "driver", "trigger_words": ["ava"], "lora": "ava.safetensors",
        "lora_strength": 0.8, "project_id": pid})
    template = await api("POST", "/api/v1/templates", 201, json={
        "name": "Neon", "image_prompt": "{character} under neon, {lyrics}", "project_id": pid})

    opening = await api("POST", "/api/v1/scenes", 201, json={"project_id": pid, "name": "Opening"})
    chorus = await api("POST", "/api/v1/scenes", 201, json={"project_id": pid, "name": "Chorus", "order": 0})
    await api("PUT", "/api/v1/scenes/{scene_id}", 200, json={"description": "city lights"}, scene_id=opening["id"])
    alternate = await api("POST", "/api/v1/scenes/{scene_id}/alternates", 201, json={"name": "Opening B"},
                          scene_id=opening["id"])
    assert alternate["is_alternate"] is True

    clip = await api("POST", "/api/v1/clips", 201, json={
        "scene_id": opening["id"], "name": "Wide", "length": 4.5, "lyrics": "we ride",
        "character_id": character["id"]})
    second = await api("POST", "/api/v1/clips", 201, json={"scene_id": opening["id"], "name": "Close"})
    assert second["timeline_position"] == 4.5
    await api("PUT", "/api/v1/clips/{clip_id}", 200, json={"image_prompt": "wide shot"}, clip_id=clip["id"])
    await api("POST", "/api/v1/clips/{clip_id}/alternates", 201, json={}, clip_id=clip["id"])
    await api("POST", "/api/v1/clips/{clip_id}/move", 200, json={"timeline_position": 0, "scene_id": chorus["id"]},
              clip_id=second["id"])
    await api("POST", "/api/v1/clips/{clip_id}/gallery/{content_id}/select", 404,
              clip_id=clip["id"], content_id="no-such-take")
    first, second_take = await add_take(container, clip["id"]), await add_take(container, clip["id"])
    selected = await api("POST", "/api/v1/clips/{clip_id}/gallery/{content_id}/select", 200,
                         clip_id=clip["id"], content_id=second_take)
    assert [(take["id"], take["selected"]) for take in selected["generated_images"]] == [
        (first, False), (second_take, True)]
    kept = await api("DELETE", "/api/v1/clips/{clip_id}/gallery/{content_id}", 200,
                     clip_id=clip["id"], content_id=first)
    assert [(take["id"], take["selected"]) for take in kept["generated_images"]] == [(second_take, True)]
    await api("POST", "/api/v1/templates/{template_id}/render", 200, json={"clip_id": clip["id"]},
              template_id=template["id"])

    board = await api("GET", "/api/v1/projects/{project_id}/with-scenes", 200, project_id=pid)
    assert [scene["name"] for scene in board["scenes"]][:2] == ["Chorus", "Opening"]
    assert sum(len(scene["clips"]) for scene in board["scenes"]) == 3

    page = await api("GET", "/api/v1/projects", 200, query={"skip": "0", "limit": "10"})
    assert page["total"] == 1
    assert len(await api("GET", "/api/v1/scenes/project/{project_id}", 200, project_id=pid)) == 3
    assert len(await api("GET", "/api/v1/clips/scene/{scene_id}", 200, scene_id=opening["id"])) == 2
    await api("GET", "/api/v1/clips/{clip_id}", 200, clip_id=clip["id"])
    await api("GET", "/api/v1/scenes/{scene_id}", 200, scene_id=chorus["id"])
    await api("GET", "/api/v1/characters", 200, query={"project_id": pid})
    await api("GET", "/api/v1/characters/project/{project_id}", 200, project_id=pid)
    await api("GET", "/api/v1/characters/{character_id}", 200, character_id=character["id"])
    await api("PUT", "/api/v1/characters/{character_id}", 200, json={"lora": ""}, character_id=character["id"])
    await api("GET", "/api/v1/templates", 200)
    await api("GET", "/api/v1/templates/{template_id}", 200, template_id=template["id"])
    await api("PUT", "/api/v1/templates/{template_id}", 200, json={"style": "noir"}, template_id=template["id"])

    copy = await api("POST", "/api/v1/projects/{project_id}/duplicate", 201, json={"name": "Copy"}, project_id=pid)
    await api("DELETE", "/api/v1/clips/{clip_id}", 200, query={"alternates": "promote"}, clip_id=clip["id"])
    await api("DELETE", "/api/v1/scenes/{scene_id}", 200, scene_id=opening["id"])
    await api("DELETE", "/api/v1/characters/{character_id}", 200, character_id=character["id"])
    await api("DELETE", "/api/v1/templates/{template_id}", 200, template_id=template["id"])
    deleted = await api("DELETE", "/api/v1/projects/{project_id}", 200, project_id=pid)
    assert deleted["project_id"] == pid
    await api("DELETE", "/api/v1/projects/{project_id}", 200, project_id=copy["id"])
    await api("GET", "/api/v1/projects/{project_id}", 404, project_id=pid)
    await api("GET", "/api/v1/projects", 200)

    # Error bodies are documented too.
    await api("POST", "/api/v1/projects", 400, json={"name": 1})
    await api("PUT", "/api/v1/projects/{project_id}", 404, json={}, project_id=pid)

    core = {(op.method, op.path) for op in OPERATIONS if op.tag in FLOW_TAGS}
    assert len(core) == 36
    untouched = core - {(m, t) for m, t, s in api.seen if s < 300}
    assert not untouched, f"the flow should succeed once on every operation; not yet: {sorted(untouched)}"
