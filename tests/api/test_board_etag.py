"""The board's version as its ETag: every change to a project's board changes it; a current copy costs a 304."""

from typing import Any

import pytest
from aiohttp import FormData
from aiohttp.test_utils import TestClient
from attrs import define, field

from application.ports.project_board_reader import ProjectBoard
from entrypoints.container import Container
from tests.api.fuzz_support import assert_documented, operation
from tests.api.helpers import (
    API,
    add_takes,
    api_instances,
    delete,
    error_of,
    new_character,
    new_clip,
    new_project,
    new_scene,
    post,
    put,
)
from tests.media_samples import wav

BOARD_PATH = "/api/v1/projects/{project_id}/with-scenes"


async def board_of(client: TestClient, project_id: str, **headers: str) -> tuple[int, str | None, Any]:
    """Status, ETag and body (None when there is none) of the project's with-scenes."""
    response = await client.get(f"{API}/projects/{project_id}/with-scenes", headers=headers)
    body = await response.json() if response.status != 304 else None
    assert response.status != 304 or await response.read() == b""
    return response.status, response.headers.get("ETag"), body


async def etag_of(client: TestClient, project_id: str) -> str:
    status, etag, _ = await board_of(client, project_id)
    assert status == 200 and etag is not None
    return etag


async def test_the_board_answers_its_version_as_a_strong_etag_that_caches_must_revalidate(client):
    project = await new_project(client)
    scene = await new_scene(client, project["id"])
    response = await client.get(f"{API}/projects/{project['id']}/with-scenes")
    board = await response.json()

    assert response.headers["ETag"] == f'"board-{board["board_version"]}"'
    assert response.headers["Cache-Control"] == "no-cache"
    assert [s["id"] for s in board["scenes"]] == [scene["id"]]


async def test_a_matching_if_none_match_is_a_304_with_no_body_and_the_same_etag(client):
    project = await new_project(client)
    etag = await etag_of(client, project["id"])

    for sent in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        status, answered, _ = await board_of(client, project["id"], **{"If-None-Match": sent})
        assert (status, answered) == (304, etag), sent


async def test_a_stale_or_malformed_if_none_match_gets_the_whole_board(client):
    project = await new_project(client)
    stale = await etag_of(client, project["id"])
    await new_scene(client, project["id"])

    for sent in (stale, "board-1", "garbage, \"", '"board-999"'):
        status, etag, body = await board_of(client, project["id"], **{"If-None-Match": sent})
        assert status == 200 and etag != stale and len(body["scenes"]) == 1, sent


async def test_the_document_describes_the_etag_if_none_match_and_the_304(client):
    doc = await (await client.get(f"{API}/openapi.json")).json()
    board = operation(doc, "GET", BOARD_PATH)
    project = await new_project(client)
    full = await client.get(f"{API}/projects/{project['id']}/with-scenes")
    not_modified = await client.get(f"{API}/projects/{project['id']}/with-scenes",
                                    headers={"If-None-Match": full.headers["ETag"]})

    assert {"name": "If-None-Match", "in": "header"}.items() <= board["parameters"][-1].items()
    for response, status in ((full, 200), (not_modified, 304)):
        assert "ETag" in board["responses"][str(status)]["headers"]
        assert_documented(doc, "GET", BOARD_PATH, status, response.content_type, await response.read())
    assert "content" not in board["responses"]["304"]


async def test_if_none_match_for_an_unknown_project_is_a_404(client):
    response = await client.get(f"{API}/projects/{'0' * 24}/with-scenes", headers={"If-None-Match": "*"})
    assert (await error_of(response, 404))["code"] == "RESOURCE_NOT_FOUND"


@define
class CountingReader:
    """The board reader, counting which of its reads a request made."""

    inner: Any
    calls: list[str] = field(factory=list)
    versions_passed: list[int | None] = field(factory=list)

    async def board(self, project_id: str, *, version: int | None = None) -> ProjectBoard | None:
        self.calls.append("board")
        self.versions_passed.append(version)
        return await self.inner.board(project_id, version=version)

    async def board_version(self, project_id: str) -> int | None:
        self.calls.append("board_version")
        return await self.inner.board_version(project_id)


async def test_the_304_reads_the_board_version_alone_not_the_board(client, container: Container):
    project = await new_project(client)
    for _ in range(3):
        await new_clip(client, (await new_scene(client, project["id"]))["id"])
    etag = await etag_of(client, project["id"])
    reader = CountingReader(container.board_reader())
    container.board_reader.override(reader)
    try:
        assert (await board_of(client, project["id"], **{"If-None-Match": etag}))[0] == 304
        assert reader.calls == ["board_version"]
    finally:
        container.board_reader.reset_override()


async def upload_music(client: TestClient, project_id: str) -> None:
    form = FormData()
    form.add_field("file", wav(), filename="song.wav", content_type="audio/wav")
    response = await client.post(f"{API}/media/projects/{project_id}/upload-music", data=form)
    assert response.status == 200, await response.text()


async def test_every_change_to_the_board_changes_its_etag(client, container: Container):
    project = await new_project(client)
    pid = project["id"]
    scene = await new_scene(client, pid)
    clip = await new_clip(client, scene["id"])
    character = await new_character(client, project_id=pid)
    seen = {await etag_of(client, pid)}

    async def changes(edit: str, change: Any) -> Any:
        result = await change
        etag = await etag_of(client, pid)
        assert etag not in seen, f"{edit} left the ETag as it was"
        seen.add(etag)
        return result

    await changes("rename project", put(client, f"/projects/{pid}", {"name": "Renamed"}))
    await changes("upload music", upload_music(client, pid))
    other = await changes("insert scene", new_scene(client, pid, name="other"))
    await changes("rename scene", put(client, f"/scenes/{scene['id']}", {"name": "Renamed"}))
    await changes("move scene", put(client, f"/scenes/{other['id']}", {"order": 0}))
    alternate = await changes("scene alternate", post(client, f"/scenes/{scene['id']}/alternates", {}))
    second = await changes("insert clip", new_clip(client, scene["id"]))
    await changes("edit clip text", put(client, f"/clips/{clip['id']}", {"lyrics": "la la"}))
    await changes("resize clip", put(client, f"/clips/{clip['id']}", {"length": 2}))
    await changes("move clip", post(client, f"/clips/{second['id']}/move", {"timeline_position": 30}, status=200))
    await changes("clip alternate", post(client, f"/clips/{clip['id']}/alternates", {}))
    await changes("link character", put(client, f"/clips/{clip['id']}", {"character_id": character["id"]}))
    await changes("unlink by deleting the character", delete(client, f"/characters/{character['id']}"))
    [take] = await changes("file a generated take", add_takes(container, clip["id"], "/media/a.png"))
    await changes("select a take", post(client, f"/clips/{clip['id']}/gallery/{take}/select", status=200))
    await changes("delete a take", delete(client, f"/clips/{clip['id']}/gallery/{take}"))
    await changes("remove the music", delete(client, f"/media/projects/{pid}/music"))
    await changes("delete clip", delete(client, f"/clips/{second['id']}"))
    await changes("delete scene", delete(client, f"/scenes/{alternate['id']}"))


@pytest.mark.parametrize("edit", ["unknown clip", "overlap"])
async def test_a_refused_edit_leaves_the_etag_as_it_was(client, edit):
    project = await new_project(client)
    scene = await new_scene(client, project["id"])
    await new_clip(client, scene["id"], timeline_position=0, length=5)
    etag = await etag_of(client, project["id"])

    if edit == "unknown clip":
        response = await client.put(f"{API}/clips/{'0' * 24}", json={"name": "x"})
    else:
        response = await client.post(f"{API}/clips", json={"scene_id": scene["id"], "name": "x", "timeline_position": 1})
    assert response.status in (404, 409)
    assert await etag_of(client, project["id"]) == etag


async def test_an_unchanged_board_is_read_whole_once_and_then_answered_from_its_version(client, container):
    project = await new_project(client)
    await new_clip(client, (await new_scene(client, project["id"]))["id"], lyrics="first")
    first = await board_of(client, project["id"])
    reader = CountingReader(container.board_reader())
    container.board_reader.override(reader)
    try:
        assert await board_of(client, project["id"]) == first
        assert reader.calls == ["board_version"]
    finally:
        container.board_reader.reset_override()


async def test_a_board_changed_through_another_instance_is_never_answered_stale(settings, database, aiohttp_client):
    instances = first, second = await api_instances(settings, database, aiohttp_client)
    project = await new_project(first)
    clip = await new_clip(first, (await new_scene(first, project["id"]))["id"], lyrics="before")
    for round_number in range(4):
        await board_of(first, project["id"])  # each instance keeps the board it rendered
        await board_of(second, project["id"])
        edited = await put(second if round_number % 2 else first, f"/clips/{clip['id']}",
                           {"lyrics": f"after {round_number}"})
        for instance in instances:
            _, etag, board = await board_of(instance, project["id"])
            assert board["scenes"][0]["clips"][0]["lyrics"] == edited["lyrics"]
            assert etag == f'"board-{board["board_version"]}"'


async def test_a_deleted_projects_board_counters_go_with_it(client, database):
    project = await new_project(client)
    clip = await new_clip(client, (await new_scene(client, project["id"]))["id"])
    for index in range(5):
        clip = await put(client, f"/clips/{clip['id']}", {"lyrics": f"take {index}"})
    counters = database.handle["board_versions"]
    assert await counters.count_documents({"project_id": project["id"]}) >= 1
    await delete(client, f"/projects/{project['id']}")
    assert await counters.count_documents({"project_id": project["id"]}) == 0


async def test_the_board_version_counts_what_the_project_document_counted_before_the_shards(client, database):
    project = await new_project(client)
    _, _, before = await board_of(client, project["id"])
    await database.handle["projects"].update_one({"_id": project["id"]}, {"$set": {"board_version": 40}})
    await new_scene(client, project["id"])
    _, etag, after = await board_of(client, project["id"])
    assert after["board_version"] == before["board_version"] + 40 + 1 and etag == f'"board-{after["board_version"]}"'


async def test_a_board_read_whole_reads_its_version_once(client, container):
    project = await new_project(client)
    await new_clip(client, (await new_scene(client, project["id"]))["id"])
    reader = CountingReader(container.board_reader())
    container.board_reader.override(reader)
    try:
        status, etag, board = await board_of(client, project["id"])
        assert status == 200 and etag == f'"board-{board["board_version"]}"'
        assert reader.calls == ["board_version", "board"] and reader.versions_passed == [board["board_version"]]
    finally:
        container.board_reader.reset_override()
