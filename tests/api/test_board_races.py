"""Random bursts of concurrent edits at one scene's timeline and one project's order, through HTTP on SecantusDB.

After every burst the board keeps its rules: no two main clips of a scene overlap, main scenes are ordered
0..n-1, alternates are numbered 1..k under a main parent; every answer is a success, a 409 (a lost race, in the
standard envelope) or a 404 (a concurrent delete came first), never a 500; the board version went up.
"""

import asyncio
from collections import Counter, defaultdict
from datetime import UTC, datetime
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from attrs import evolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.generated_content import ContentKind, GeneratedContent
from entrypoints.container import Container
from entrypoints.http.app import create_app
from entrypoints.http.typedefs import CONTAINER
from tests.api.helpers import API, get, new_clip, new_project, new_scene

ALLOWED = {200, 201, 404, 409}
RACES = settings(max_examples=12, deadline=None, database=None, print_blob=True,
                 suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

pick = st.integers(0, 10_000)  # an index into what exists when the burst starts
positions = st.integers(0, 40).map(lambda half_seconds: half_seconds / 2)
lengths = st.integers(1, 12).map(lambda half_seconds: half_seconds / 2)
policies = st.sampled_from(["delete", "promote"])
orders = st.one_of(st.none(), st.integers(0, 8))
clip_edits = st.one_of(
    st.tuples(st.just("insert_clip"), positions, lengths),
    st.tuples(st.just("move_clip"), pick, positions),
    st.tuples(st.just("resize_clip"), pick, lengths),
    st.tuples(st.just("alternate_clip"), pick),
    st.tuples(st.just("delete_clip"), pick, policies),
)
scene_edits = st.one_of(
    st.tuples(st.just("insert_scene"), orders),
    st.tuples(st.just("move_scene"), pick, st.integers(0, 8)),
    st.tuples(st.just("alternate_scene"), pick, st.booleans()),
    st.tuples(st.just("delete_scene"), pick, policies),
)
bursts = st.lists(st.lists(st.one_of(clip_edits, scene_edits), min_size=2, max_size=8), min_size=1, max_size=4)


@pytest.fixture(params=["transactions", "no transactions"])
async def client(request, settings, database, aiohttp_client):  # type: ignore[no-untyped-def]
    """The app over SecantusDB with its transactions, and as over a MongoDB without (the guards alone)."""
    container = Container(settings=settings)
    container.database.override(database if request.param == "transactions" else evolve(database, transactions=False))
    return await aiohttp_client(create_app(settings, container))


class Board:
    """One project with a scene whose timeline the clip edits share; scene edits leave that scene alone."""

    def __init__(self, client: TestClient, project_id: str, timeline_id: str) -> None:
        self.client, self.project_id, self.timeline_id = client, project_id, timeline_id

    async def read(self) -> dict[str, Any]:
        return await get(self.client, f"/projects/{self.project_id}/with-scenes")

    async def send(self, edit: tuple[Any, ...], board: dict[str, Any]) -> int:
        """Send one edit, naming what existed when the burst started."""
        kind, *args = edit
        clips = [c for s in board["scenes"] if s["id"] == self.timeline_id for c in s["clips"]]
        others = [s for s in board["scenes"] if s["id"] != self.timeline_id]
        scenes = board["scenes"]
        request = self._request(kind, args, clips=clips, others=others, scenes=scenes)
        if request is None:
            return 0
        method, path, body = request
        response = await self.client.request(method, API + path, json=body)
        if response.status == 409:
            assert (await response.json())["error"]["code"] == "CONFLICT"
        return response.status

    def _request(self, kind: str, args: list[Any], *, clips: list[dict[str, Any]], others: list[dict[str, Any]],
                 scenes: list[dict[str, Any]]) -> tuple[str, str, Any] | None:
        if kind == "insert_clip":
            return "POST", "/clips", {"scene_id": self.timeline_id, "name": "c", "timeline_position": args[0],
                                      "length": args[1]}
        if kind == "insert_scene":
            return "POST", "/scenes", {"project_id": self.project_id, "name": "s", "order": args[0]}
        pool = clips if kind.endswith("_clip") else others if kind == "delete_scene" else scenes
        if not pool:
            return None
        target = pool[args[0] % len(pool)]["id"]
        return {
            "move_clip": lambda: ("POST", f"/clips/{target}/move", {"timeline_position": args[1]}),
            "resize_clip": lambda: ("PUT", f"/clips/{target}", {"length": args[1]}),
            "alternate_clip": lambda: ("POST", f"/clips/{target}/alternates", {}),
            "delete_clip": lambda: ("DELETE", f"/clips/{target}?alternates={args[1]}", None),
            "move_scene": lambda: ("PUT", f"/scenes/{target}", {"order": args[1]}),
            "alternate_scene": lambda: ("POST", f"/scenes/{target}/alternates", {"copy_clips": args[1]}),
            "delete_scene": lambda: ("DELETE", f"/scenes/{target}?alternates={args[1]}", None),
        }[kind]()


def assert_board_rules(board: dict[str, Any]) -> None:
    scenes = board["scenes"]
    mains = {s["id"]: s for s in scenes if s["parent_scene_id"] is None}
    assert sorted(s["order"] for s in mains.values()) == list(range(len(mains))), "main scenes ordered 0..n-1"
    assert_alternates(scenes, "parent_scene_id", mains)
    for scene in scenes:
        if scene["parent_scene_id"] is not None:
            assert scene["order"] == mains[scene["parent_scene_id"]]["order"], "an alternate shares its slot"
        main_clips = sorted((c for c in scene["clips"] if c["parent_clip_id"] is None),
                            key=lambda c: c["timeline_position"])
        for before, after in zip(main_clips, main_clips[1:]):
            assert before["timeline_position"] + before["length"] <= after["timeline_position"], "clips overlap"
        assert_alternates(scene["clips"], "parent_clip_id", {c["id"]: c for c in main_clips})


def assert_alternates(items: list[dict[str, Any]], parent_field: str, mains: dict[str, Any]) -> None:
    numbers = defaultdict(list)
    for item in items:
        if item[parent_field] is not None:
            assert item[parent_field] in mains, "an alternate's parent is a live main item of the same board"
            numbers[item[parent_field]].append(item["alternate_number"])
    for taken in numbers.values():
        assert sorted(taken) == list(range(1, len(taken) + 1)), "alternates numbered 1..k"


@RACES
@given(bursts=bursts)
async def test_concurrent_bursts_keep_the_board_rules_and_never_fail(client, bursts):
    project = await new_project(client)
    timeline = await new_scene(client, project["id"], name="timeline")
    for _ in range(2):
        await new_scene(client, project["id"])
    for position in (0, 6):
        await new_clip(client, timeline["id"], timeline_position=position, length=4)
    board = Board(client, project["id"], timeline["id"])
    before = await board.read()
    for burst in bursts:
        statuses = Counter(await asyncio.gather(*[board.send(edit, before) for edit in burst]))
        statuses.pop(0, None)  # an edit with nothing to act on was not sent
        assert set(statuses) <= ALLOWED, statuses
        after = await board.read()
        assert_board_rules(after)
        if statuses[200] + statuses[201]:
            assert after["board_version"] > before["board_version"]
        before = after


async def test_concurrent_text_edits_of_one_scene_all_land_beside_its_deletes(client):
    """Text edits race no other clip's edit (each is guarded by its own clip's version), yet a concurrent
    delete of the clip still wins or loses cleanly, and every edit that landed counts on the board version."""
    project = await new_project(client)
    scene = await new_scene(client, project["id"])
    clips = [await new_clip(client, scene["id"], timeline_position=index * 4.0, length=2) for index in range(8)]
    before = (await get(client, f"/projects/{project['id']}/with-scenes"))["board_version"]
    edits = [client.put(f"{API}/clips/{clip['id']}", json={"lyrics": f"sung {index}", "version": clip["version"]})
             for index, clip in enumerate(clips)]
    deletes = [client.delete(f"{API}/clips/{clip['id']}") for clip in clips[:2]]
    answers = await asyncio.gather(*edits, *deletes)
    statuses = [response.status for response in answers]
    assert set(statuses) <= ALLOWED and statuses[2:8] == [200] * 6, statuses
    board = await get(client, f"/projects/{project['id']}/with-scenes")
    lyrics = {clip["id"]: clip["lyrics"] for clip in board["scenes"][0]["clips"]}
    assert all(lyrics[clip["id"]] == f"sung {index}" for index, clip in enumerate(clips) if index >= 2)
    assert set(lyrics) == {clip["id"] for clip in clips[2:]}
    assert board["board_version"] >= before + 6 + 2


async def test_takes_filed_into_one_scene_race_neither_each_other_nor_text_edits(client):
    """Filing a take is guarded by its clip's version alone (no rule across the scene's clips): takes for eight
    clips of one scene, filed at once beside a text edit of each, all land, none lost to another, and each
    counts on the board version."""
    project = await new_project(client)
    scene = await new_scene(client, project["id"])
    clips = [await new_clip(client, scene["id"], timeline_position=index * 4.0, length=2) for index in range(8)]
    before = (await get(client, f"/projects/{project['id']}/with-scenes"))["board_version"]
    takes = [GeneratedContent(id=f"take-{index}", kind=ContentKind.IMAGE, url=f"/media/take-{index}.png",
                              created_at=datetime.now(UTC), job_id=f"job-{index}") for index in range(8)]
    # one runner a job, as the dispatcher makes them; their filing step, without a server to run a prompt on
    filed = [client.app[CONTAINER].run_job()._file_into_gallery(clip["id"], [take])
             for clip, take in zip(clips, takes, strict=True)]
    edits = [client.put(f"{API}/clips/{clip['id']}", json={"lyrics": f"sung {index}", "version": clip["version"]})
             for index, clip in enumerate(clips)]
    results = await asyncio.gather(*filed, *edits)
    assert results[:8] == [True] * 8
    assert {response.status for response in results[8:]} <= {200, 409}
    board = await get(client, f"/projects/{project['id']}/with-scenes")
    gallery = {clip["id"]: [image["id"] for image in clip["generated_images"]] for clip in board["scenes"][0]["clips"]}
    assert gallery == {clip["id"]: [f"take-{index}"] for index, clip in enumerate(clips)}
    landed = sum(response.status == 200 for response in results[8:])
    assert board["board_version"] >= before + 8 + landed
