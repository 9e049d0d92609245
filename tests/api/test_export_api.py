"""Exports through the API on SecantusDB: every format, the legacy paths byte for byte, names, bad options."""

import json
from urllib.parse import unquote

import opentimelineio as otio
import pytest
from aiohttp.test_utils import TestClient
from lxml import etree

from tests.api.helpers import API, add_takes, body_of, error_of, new_clip, new_project, new_scene
from tests.unit.adapters.test_export_readback import DTD

FORMATS = {"fcpxml": ("application/xml", ".fcpxml"), "edl": ("text/plain", ".edl"),
           "resolve": ("application/vnd.opentimelineio+json", ".otio"), "resolve-xml": ("application/xml", ".xml"),
           "otio": ("application/vnd.opentimelineio+json", ".otio"), "json": ("application/json", ".json")}
PROJECT_NAME = "Nuit Étoilée & 'Co'"


async def board(client: TestClient, container) -> str:
    project = await new_project(client, name=PROJECT_NAME)
    verse = await new_scene(client, project["id"], name="Verse")
    chorus = await new_scene(client, project["id"], name="Chorus")
    wide = await new_clip(client, verse["id"], name="Wide & 'open'", length=4.0, lyrics="we ride")
    await new_clip(client, verse["id"], name="Close", length=2.5, timeline_position=5.0)
    await new_clip(client, chorus["id"], name="Hook", length=3.0, lyrics="oh oh")
    await add_takes(container, wide["id"], "/api/v1/media/files/shared/images/a.png")
    return project["id"]


async def export(client: TestClient, path: str, **query: str):
    return await client.get(path, params=query)


@pytest.mark.parametrize("fmt", list(FORMATS))
async def test_every_format_downloads_as_a_named_file(client, container, fmt):
    project_id = await board(client, container)
    response = await export(client, f"{API}/projects/{project_id}/export/{fmt}", fps="29.97")
    assert response.status == 200, await response.text()
    media_type, extension = FORMATS[fmt]
    assert response.content_type == media_type and response.charset == "utf-8"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="Nuit Etoilee Co{extension}"; ')
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == PROJECT_NAME + extension
    assert "Hook" in await response.text()


@pytest.mark.parametrize("fmt", ["fcpxml", "edl", "resolve", "json"])
async def test_the_legacy_routes_answer_with_the_same_bytes(client, container, fmt):
    project_id = await board(client, container)
    for query in ({}, {"fps": "23.976", "start_timecode": "00:59:50:00"}):
        versioned = await export(client, f"{API}/projects/{project_id}/export/{fmt}", **query)
        legacy = await export(client, f"/api/projects/{project_id}/export/{fmt}", **query)
        assert legacy.status == versioned.status == 200
        assert await legacy.read() == await versioned.read()
        assert legacy.headers["Content-Disposition"] == versioned.headers["Content-Disposition"]


async def test_a_board_exports_as_a_full_cut_before_anything_is_generated(client, container):
    project_id = await board(client, container)
    body = await body_of(await export(client, f"{API}/projects/{project_id}/export/json", fps="25"))
    clips = [(e["type"], e["name"], e["record_in"], e["duration"]) for e in body["events"]]
    assert clips == [("still", "Wide & 'open'", 0, 100), ("gap", "", 100, 25), ("placeholder", "Close", 125, 63),
                     ("placeholder", "Hook", 188, 75)]
    assert [(m["kind"], m["name"], m["timecode"]) for m in body["markers"]] == [
        ("scene", "Verse", "01:00:00:00"), ("lyrics", "we ride", "01:00:00:00"), ("scene", "Chorus", "01:00:07:13"),
        ("lyrics", "oh oh", "01:00:07:13")]


async def test_the_fcpxml_download_validates_and_reads_back(client, container):
    project_id = await board(client, container)
    document = await (await export(client, f"{API}/projects/{project_id}/export/fcpxml", fps="23.976")).read()
    assert DTD.validate(etree.fromstring(document))
    timeline = otio.adapters.read_from_string(document.decode(), "fcpx_xml")[0]
    assert [clip.name for clip in timeline.tracks[0] if isinstance(clip, otio.schema.Clip)] == [
        "Wide & 'open'", "Close", "Hook"]


@pytest.mark.parametrize(("query", "field"), [
    ({"fps": "23.98"}, "fps"), ({"fps": ""}, "fps"), ({"start_timecode": "1:00:00:00"}, "start_timecode"),
    ({"start_timecode": "00:00:00:30"}, "start_timecode"),
])
async def test_bad_options_are_a_400_naming_the_parameter(client, container, query, field):
    project_id = await board(client, container)
    error = await error_of(await export(client, f"{API}/projects/{project_id}/export/edl", **query), 400)
    assert field in error["details"]["fields"]


async def test_unknown_formats_and_projects(client, container):
    project_id = await board(client, container)
    error = await error_of(await export(client, f"{API}/projects/{project_id}/export/aaf"), 400)
    assert "format" in error["details"]["fields"]
    assert (await error_of(await export(client, f"{API}/projects/nope/export/edl"), 404))["code"]
    assert (await error_of(await export(client, "/api/projects/nope/export/json"), 404))["code"]
    assert (await client.get(f"/api/projects/{project_id}/export/otio")).status == 404


async def test_the_json_export_matches_the_schema_in_the_openapi_document(client, container):
    project_id = await board(client, container)
    doc = await (await client.get(f"{API}/openapi.json")).json()
    schema = doc["paths"]["/api/v1/projects/{project_id}/export/{format}"]["get"]["responses"]["200"]["content"][
        "application/json"]["schema"]
    from jsonschema import validate

    validate(json.loads(await (await export(client, f"{API}/projects/{project_id}/export/json")).read()), schema)
