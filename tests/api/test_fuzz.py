"""A fuzzer driven by the served OpenAPI document.

For every operation, Hypothesis draws requests: bodies valid for the documented request schema, almost valid
ones (a wrong value, an unknown key, a missing key), arbitrary JSON (NaN, huge integers, unicode) and bytes
that are not JSON; path values from the seeded ids or any text (unicode, '../', NUL); query values valid or
any text. Whatever is sent: never a 500, only documented statuses, and every JSON body matches the schema
documented for its status. Requests also hit seeded ids, so the success paths are fuzzed too.

STORYCANVAS_FUZZ_EXAMPLES raises the number of examples per operation (default 25) for a longer run.
"""

import json
import os
from typing import Any
from urllib.parse import quote

import pytest
from aiohttp.test_utils import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from entrypoints.container import Container
from entrypoints.http.routes import OPERATIONS
from tests.api.fuzz_support import (
    JSON_MEDIA, add_take, assert_documented, assert_no_leak, from_schema, invalid_bodies, json_values,
    operation, request_schema,
)

EXAMPLES = int(os.environ.get("STORYCANVAS_FUZZ_EXAMPLES", "25"))
FUZZ = settings(
    max_examples=EXAMPLES, deadline=None, database=None, print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
ODD_TEXT = st.sampled_from([
    "../", "../../etc/passwd", "..%2F", "%00", "\x00", "a\x00b", " ", "💥", "ü", "\u202e", "$where", "{}",
    '{"$gt": ""}', "000000000000000000000000", "a" * 300, "null", "-1", "1e309", "\\", "?", "#", "&x=1",
])


class Seeded:
    """The served document and one of everything, so that generated requests also reach existing data."""

    def __init__(self, doc: dict[str, Any], ids: dict[str, list[str]]) -> None:
        self.doc = doc
        self.ids = ids  # "project_id" -> the seeded project ids, ...

    def id_values(self, name: str) -> st.SearchStrategy[str]:
        """Mostly an existing id of the kind the name says, sometimes one of another kind."""
        every = st.sampled_from(sorted({value for values in self.ids.values() for value in values}))
        if name not in self.ids:
            return every
        return st.one_of(st.sampled_from(self.ids[name]), st.sampled_from(self.ids[name]), every)

    def path_values(self, name: str) -> st.SearchStrategy[str]:
        any_text = st.one_of(st.text(min_size=1, max_size=40), ODD_TEXT)
        # Dot segments are resolved away by every client before a request is sent: not an id anyone can send.
        return st.one_of(self.id_values(name), any_text.filter(lambda text: text not in (".", "..")))


@pytest.fixture
async def seeded(client: TestClient, container: Container) -> Seeded:
    async def post(path: str, body: dict[str, Any]) -> str:
        response = await client.post(path, json=body)
        assert response.status == 201, await response.text()
        return (await response.json())["id"]

    doc = await (await client.get("/api/v1/openapi.json")).json()
    project = await post("/api/v1/projects", {"name": "Fuzz"})
    scene = await post("/api/v1/scenes", {"project_id": project, "name": "Scene"})
    character = await post("/api/v1/characters", {"name": "Ava", "project_id": project})
    clip = await post("/api/v1/clips", {"scene_id": scene, "name": "Clip", "length": 3, "character_id": character})
    response = await client.post(f"/api/v1/scenes/{scene}/alternates", json={"copy_clips": True})
    assert response.status == 201
    alternate = (await response.json())["id"]
    template = await post("/api/v1/templates", {"name": "T", "image_prompt": "{lyrics}", "project_id": project})
    take = await add_take(container, clip)
    # a provider on a closed loopback port: its jobs queue (and fail there), so generating never answers 503
    provider = await post("/api/v1/video-providers", {"name": "Fuzz", "base_url": "http://127.0.0.1:9/v1"})
    return Seeded(doc, {"project_id": [project], "scene_id": [scene, alternate], "clip_id": [clip],
                        "character_id": [character], "template_id": [template], "content_id": [take],
                        "provider_id": [provider]})


def request_for(seeded: Seeded, method: str, path: str) -> st.SearchStrategy[dict[str, Any]]:
    """A strategy of {"path", "params", "data"} for one operation, from its documentation."""
    doc = seeded.doc
    op = operation(doc, method, path)
    parameters = op.get("parameters", [])
    path_values = st.fixed_dictionaries(
        {p["name"]: seeded.path_values(p["name"]) for p in parameters if p["in"] == "path"})
    query = st.fixed_dictionaries({}, optional={
        p["name"]: st.one_of(from_schema(doc, p["schema"]).map(query_text), st.text(max_size=30), ODD_TEXT)
        for p in parameters if p["in"] == "query"
    })
    schema = request_schema(doc, method, path)
    if schema is None:  # a body nobody asked for is ignored
        bodies: st.SearchStrategy[Any] = st.one_of(st.just(None), json_values().map(to_json))
    else:
        ids = seeded.id_values
        bodies = st.one_of(
            from_schema(doc, schema, ids=ids).map(to_json),
            from_schema(doc, schema, ids=ids).map(to_json),  # twice: valid bodies reach the use cases
            invalid_bodies(doc, schema, ids).map(to_json),
            json_values().map(to_json),
            st.binary(max_size=40),
            st.just(b""),
        )

    def build(values: dict[str, str], params: dict[str, str], data: bytes | None) -> dict[str, Any]:
        concrete = path
        for name, value in values.items():
            concrete = concrete.replace("{" + name + "}", quote(value, safe=""))
        return {"path": concrete, "params": params, "data": data}

    return st.builds(build, path_values, query, bodies)


def to_json(value: Any) -> bytes:
    """As a client would send it; NaN and Infinity become the (invalid) literals, unicode stays unescaped."""
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")


def query_text(value: Any) -> str:
    return json.dumps(value) if not isinstance(value, str) else value


async def send(client: TestClient, seeded: Seeded, method: str, path: str, request: dict[str, Any]) -> None:
    headers = {"Content-Type": JSON_MEDIA} if request["data"] is not None else {}
    response = await client.request(method, request["path"], params=request["params"], data=request["data"],
                                    headers=headers)
    raw = await response.read()
    shown = f"{method} {request['path']} params={request['params']!r} data={request['data']!r}"[:2000]
    assert_documented(seeded.doc, method, path, response.status, response.content_type, raw, request=shown)


@pytest.mark.parametrize(("method", "path"), [(op.method, op.path) for op in OPERATIONS],
                         ids=[f"{op.method} {op.path}" for op in OPERATIONS])
@FUZZ
@given(data=st.data())
async def test_every_operation_keeps_its_documented_contract(
    client: TestClient, seeded: Seeded, method: str, path: str, data: st.DataObject
) -> None:
    request = data.draw(request_for(seeded, method, path), label="request")
    await send(client, seeded, method, path, request)


METHODS = st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"])
SEGMENTS = st.lists(st.one_of(st.sampled_from(["projects", "scenes", "clips", "characters", "templates",
                                                "project", "scene", "with-scenes", "alternates", "move",
                                                "gallery", "select", "render", "duplicate", "docs", "assets",
                                                "health", "ready"]),
                              st.text(min_size=1, max_size=12).filter(lambda text: text not in (".", ".."))),
                    min_size=0, max_size=5)


@settings(FUZZ, max_examples=EXAMPLES * 4)
@given(method=METHODS, segments=SEGMENTS, body=st.one_of(st.none(), json_values().map(to_json)))
async def test_any_request_anywhere_gets_an_answer_and_never_a_server_error(
    client: TestClient, method: str, segments: list[str], body: bytes | None
) -> None:
    path = "/api/v1/" + "/".join(quote(segment, safe="") for segment in segments)
    response = await client.request(method, path, data=body)
    raw = await response.read()
    assert response.status < 500, (method, path, response.status, raw[:500])
    assert_no_leak(raw.decode("utf-8", "replace"))
    if response.status >= 400 and method != "HEAD":
        assert response.content_type == JSON_MEDIA, (method, path, response.status, raw[:200])
        error = json.loads(raw)["error"]
        assert error["code"] and error["message"], error
