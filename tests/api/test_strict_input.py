"""Strict input: no value is coerced into another JSON type or clamped into range; the 400 names field and limit."""

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from tests.api.test_errors import PROJECTS, create, fields_of

CLIPS, SCENES, CHARACTERS = "/api/v1/clips", "/api/v1/scenes", "/api/v1/characters"


@pytest.fixture
async def clip(client: TestClient) -> dict[str, Any]:
    project = await create(client, PROJECTS, {"name": "Strict"})
    scene = await create(client, SCENES, {"project_id": project["id"], "name": "S"})
    return await create(client, CLIPS, {"scene_id": scene["id"], "name": "C", "length": 2})


@pytest.mark.parametrize("field", ["trigger_words", "reference_images"])
async def test_a_string_is_never_taken_as_a_list_of_characters(client: TestClient, field: str) -> None:
    fields = await fields_of(await client.post(CHARACTERS, json={"name": "Ann", field: "notalist"}))
    assert fields == {field: "expected an array"}
    character = await create(client, CHARACTERS, {"name": "Ann"})
    fields = await fields_of(await client.put(f"{CHARACTERS}/{character['id']}", json={field: "notalist"}))
    assert fields == {field: "expected an array"}
    assert (await (await client.get(f"{CHARACTERS}/{character['id']}")).json())[field] == []


async def test_a_batch_of_clips_is_a_list_not_a_string(client: TestClient, clip: dict[str, Any]) -> None:
    response = await client.post("/api/v1/generation/batch", json={"model": "sdxl", "clip_ids": clip["id"]})
    assert await fields_of(response) == {"clip_ids": "expected an array"}


@pytest.mark.parametrize(("body", "field"), [
    ({"name": 7}, "name"), ({"name": ["a"]}, "name"), ({"name": "a", "description": 1.5}, "description"),
])
async def test_a_number_or_a_list_is_never_a_string(client: TestClient, body: dict[str, Any], field: str) -> None:
    assert set(await fields_of(await client.post(PROJECTS, json=body))) == {field}


@pytest.mark.parametrize("value", [True, 1.5, "3", [3]])
async def test_an_integer_field_takes_only_a_whole_number(client: TestClient, value: Any) -> None:
    project = await create(client, PROJECTS, {"name": "P"})
    response = await client.post(SCENES, json={"project_id": project["id"], "name": "s", "order": value})
    assert set(await fields_of(response)) == {"order"}


async def test_a_whole_number_written_with_a_fraction_is_that_integer(client: TestClient) -> None:
    """JSON Schema's `integer`: 0.0 is the number 0."""
    project = await create(client, PROJECTS, {"name": "P"})
    scene = await create(client, SCENES, {"project_id": project["id"], "name": "s", "order": 0.0})
    assert scene["order"] == 0 and isinstance(scene["order"], int)


@pytest.mark.parametrize("value", [True, "1.0", None])
async def test_a_number_field_takes_only_a_number(client: TestClient, clip: dict[str, Any], value: Any) -> None:
    response = await client.post(f"{CLIPS}/{clip['id']}/move", json={"timeline_position": value})
    assert set(await fields_of(response)) == {"timeline_position"}


@pytest.mark.parametrize(("params", "field", "limit"), [
    ({"width": 4096}, "params.width", "2048"),
    ({"height": 8}, "params.height", "64"),
    ({"width": 2048}, "params.width", "1024"),  # within any model's sizes, beyond SD 1.5's
    ({"steps": 0}, "params.steps", "200"),
    ({"cfg": 101}, "params.cfg", "100"),
    ({"fps": 0}, "params.fps", "120"),
    ({"denoise": 1.5}, "params.denoise", "1"),
    ({"width": 512.5}, "params.width", "integer"),
    ({"width": "512"}, "params.width", "integer"),
    ({"size": 3}, "params.size", "width"),
])
async def test_out_of_range_generation_params_are_refused_never_clamped(
    client: TestClient, clip: dict[str, Any], params: dict[str, Any], field: str, limit: str
) -> None:
    response = await client.post("/api/v1/generation", json={"clip_id": clip["id"], "model": "sd15", "params": params})
    fields = await fields_of(response)
    assert set(fields) == {field} and limit in fields[field], fields


@pytest.mark.parametrize(("body", "field"), [
    ({"seed": -1}, "seed"), ({"seed": 2**53}, "seed"), ({"priority": 1001}, "priority"),
    ({"max_retries": 11}, "max_retries"), ({"kind": "audio"}, "kind"),
])
async def test_generation_fields_out_of_range_are_named(
    client: TestClient, clip: dict[str, Any], body: dict[str, Any], field: str
) -> None:
    response = await client.post("/api/v1/generation", json={"clip_id": clip["id"], "model": "sd15", **body})
    assert set(await fields_of(response)) == {field}


async def test_a_size_within_the_models_range_is_rounded_to_its_step(client: TestClient, clip: dict[str, Any]) -> None:
    response = await client.post("/api/v1/generation", json={"clip_id": clip["id"], "model": "sd15",
                                                             "params": {"width": 509, "height": 512.0}})
    assert response.status == 202, await response.text()
    assert (await response.json())["params"]["width"] == 512


@pytest.mark.parametrize(("body", "field"), [
    ({"name": "x" * 201}, "name"), ({"name": "  "}, "name"), ({"lora_strength": 10.5}, "lora_strength"),
    ({"trigger_words": ["w"] * 51}, "trigger_words"), ({"trigger_words": ["w" * 201]}, "trigger_words"),
])
async def test_limits_name_the_field_and_the_limit(client: TestClient, body: dict[str, Any], field: str) -> None:
    fields = await fields_of(await client.post(CHARACTERS, json={"name": "Ann", **body}))
    assert set(fields) == {field} and any(ch.isdigit() or "empty" in fields[field] for ch in fields[field])


async def test_every_limit_the_document_states_for_a_field_is_the_one_the_server_checks(client: TestClient) -> None:
    doc = await (await client.get("/api/v1/openapi.json")).json()
    name = doc["components"]["schemas"]["CreateCharacter"]["properties"]["name"]
    assert (name["minLength"], name["maxLength"]) == (1, 200)
    trigger_words = doc["components"]["schemas"]["CreateCharacter"]["properties"]["trigger_words"]
    assert trigger_words["maxItems"] == 50 and trigger_words["items"]["maxLength"] == 200
    assert (await client.post(CHARACTERS, json={"name": "x" * 200, "trigger_words": ["w" * 200] * 50})).status == 201
    links = doc["paths"]["/api/v1/projects"]["post"]["responses"]["201"]["links"]
    assert links["get_project"] == {"operationId": "get_project", "parameters": {"path.project_id": "$response.body#/id"},
                                    "description": links["get_project"]["description"]}
    assert links["create_scene"]["requestBody"] == {"project_id": "$response.body#/id"}
    assert set(doc["info"]["x-websocket"]["incoming"]) >= {"subscribe_queue"}
    assert set(doc["info"]["x-websocket"]["outgoing"]) >= {"queue_update", "queue_snapshot"}
