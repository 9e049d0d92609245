"""Projects through HTTP: CRUD, paging, cascade delete, the board and duplication."""

import asyncio

from tests.api.helpers import (
    API, body_of, delete, error_of, expect_not_found, get, is_iso_datetime, new_character, new_clip,
    new_project, new_scene, new_template, post, put,
)


async def test_create_project_returns_201_with_id_version_and_timestamps(client):
    project = await new_project(client, name="Night drive", description="Synthwave")

    assert project["name"] == "Night drive"
    assert project["description"] == "Synthwave"
    assert project["music_file"] is None
    assert isinstance(project["id"], str) and project["id"]
    assert project["version"] == 1
    assert is_iso_datetime(project["created_at"])
    assert project["updated_at"] == project["created_at"]


async def test_get_project_returns_what_was_created(client):
    project = await new_project(client, name="Night drive")

    assert await get(client, f"/projects/{project['id']}") == project


async def test_unknown_project_is_a_404_envelope(client):
    await expect_not_found(client, "/projects/does-not-exist")
    await expect_not_found(client, "/projects/does-not-exist/with-scenes")
    for response in (
        await client.put(f"{API}/projects/does-not-exist", json={"name": "x"}),
        await client.delete(f"{API}/projects/does-not-exist"),
        await client.post(f"{API}/projects/does-not-exist/duplicate"),
    ):
        assert (await error_of(response, 404))["code"] == "RESOURCE_NOT_FOUND"


async def test_list_projects_pages_with_skip_limit_and_total(client):
    created = [await new_project(client, name=f"P{i}") for i in range(3)]

    first = await get(client, "/projects?limit=2")
    rest = await get(client, "/projects?skip=2&limit=2")

    assert (first["total"], first["skip"], first["limit"], len(first["items"])) == (3, 0, 2, 2)
    assert (rest["total"], rest["skip"], rest["limit"], len(rest["items"])) == (3, 2, 2, 1)
    assert {p["id"] for p in first["items"] + rest["items"]} == {p["id"] for p in created}


async def test_list_projects_defaults_to_skip_0_limit_100(client):
    await new_project(client)

    page = await get(client, "/projects")

    assert (page["total"], page["skip"], page["limit"], len(page["items"])) == (1, 0, 100, 1)


async def test_list_projects_is_newest_first(client):
    for name in ("old", "middle", "new"):
        await new_project(client, name=name)
        await asyncio.sleep(0.005)  # distinct created_at (millisecond precision)

    page = await get(client, "/projects")

    assert [p["name"] for p in page["items"]] == ["new", "middle", "old"]


async def test_update_project_keeps_absent_and_null_fields(client):
    project = await new_project(client, name="Before", description="Kept")

    renamed = await put(client, f"/projects/{project['id']}", {"name": "After"})
    unchanged = await put(client, f"/projects/{project['id']}", {"name": None, "description": None})

    assert (renamed["name"], renamed["description"]) == ("After", "Kept")
    assert (unchanged["name"], unchanged["description"]) == ("After", "Kept")
    assert await get(client, f"/projects/{project['id']}") == unchanged


async def test_update_project_with_empty_description_clears_it(client):
    project = await new_project(client, description="Something")

    updated = await put(client, f"/projects/{project['id']}", {"description": ""})

    assert updated["description"] is None


async def test_each_project_update_increments_the_version(client):
    project = await new_project(client)

    first = await put(client, f"/projects/{project['id']}", {"name": "A", "version": 1})
    second = await put(client, f"/projects/{project['id']}", {"name": "B", "version": 2})

    assert (first["version"], second["version"]) == (2, 3)
    assert first["created_at"] == project["created_at"]
    assert first["updated_at"] >= project["updated_at"]


async def test_update_project_with_a_stale_version_is_a_409_and_changes_nothing(client):
    project = await new_project(client, name="Original")
    await put(client, f"/projects/{project['id']}", {"name": "Edited"})

    response = await client.put(f"{API}/projects/{project['id']}", json={"name": "Lost", "version": 1})

    error = await error_of(response, 409)
    assert error["code"] == "CONFLICT"
    stored = await get(client, f"/projects/{project['id']}")
    assert (stored["name"], stored["version"]) == ("Edited", 2)


async def test_delete_project_removes_its_scenes_clips_characters_and_templates(client):
    project = await new_project(client)
    scene = await new_scene(client, project["id"])
    clip = await new_clip(client, scene["id"])
    alternate = await post(client, f"/scenes/{scene['id']}/alternates")  # copies the clip
    character = await new_character(client, project_id=project["id"])
    template = await new_template(client, project_id=project["id"])
    global_character = await new_character(client, name="Global")
    global_template = await new_template(client, name="Global")

    deleted = await delete(client, f"/projects/{project['id']}")

    assert deleted == {"project_id": project["id"], "scenes": 2, "clips": 2, "characters": 1, "templates": 1,
                       "media_files": 0, "jobs": 0, "jobs_cancelled": 0}
    for path in (f"/projects/{project['id']}", f"/scenes/{scene['id']}", f"/scenes/{alternate['id']}",
                 f"/clips/{clip['id']}", f"/characters/{character['id']}", f"/templates/{template['id']}"):
        await expect_not_found(client, path)
    assert (await get(client, f"/characters/{global_character['id']}"))["id"] == global_character["id"]
    assert (await get(client, f"/templates/{global_template['id']}"))["id"] == global_template["id"]


async def test_delete_project_leaves_other_projects_alone(client):
    doomed, kept = await new_project(client), await new_project(client)
    kept_scene = await new_scene(client, kept["id"])
    kept_clip = await new_clip(client, kept_scene["id"])

    await delete(client, f"/projects/{doomed['id']}")

    assert (await get(client, f"/clips/{kept_clip['id']}"))["scene_id"] == kept_scene["id"]
    assert (await get(client, "/projects"))["total"] == 1


async def test_board_lists_scenes_in_order_alternates_after_parent_with_clips_by_position(client):
    project = await new_project(client)
    second = await new_scene(client, project["id"], name="second")
    first = await new_scene(client, project["id"], name="first", order=0)
    late = await new_clip(client, first["id"], name="late", timeline_position=10)
    early = await new_clip(client, first["id"], name="early", timeline_position=0)
    await post(client, f"/scenes/{first['id']}/alternates", {"name": "first alt", "copy_clips": False})

    board = await get(client, f"/projects/{project['id']}/with-scenes")

    assert board["id"] == project["id"] and board["name"] == project["name"]
    assert [(s["name"], s["order"], s["is_alternate"]) for s in board["scenes"]] == [
        ("first", 0, False), ("first alt", 0, True), ("second", 1, False),
    ]
    assert [c["id"] for c in board["scenes"][0]["clips"]] == [early["id"], late["id"]]
    assert board["scenes"][1]["clips"] == [] and board["scenes"][2]["clips"] == []
    assert board["scenes"][2]["id"] == second["id"]


async def test_board_of_an_empty_project_has_no_scenes(client):
    project = await new_project(client)

    board = await get(client, f"/projects/{project['id']}/with-scenes")

    assert board == {**project, "board_version": 1, "scenes": []}


async def test_duplicate_project_copies_everything_under_new_ids(client):
    project = await new_project(client, name="Original", description="desc")
    hero = await new_character(client, name="Hero", project_id=project["id"])
    extra = await new_character(client, name="Extra")  # global: shared, not copied
    template = await new_template(client, name="Look", project_id=project["id"], style="noir")
    scene = await new_scene(client, project["id"], name="Intro")
    await new_scene(client, project["id"], name="Outro")
    clip = await new_clip(client, scene["id"], name="Shot", character_id=hero["id"], lyrics="la la")
    await new_clip(client, scene["id"], name="Wide", character_id=extra["id"])
    await post(client, f"/clips/{clip['id']}/alternates", {"name": "Shot alt"})
    await post(client, f"/scenes/{scene['id']}/alternates", {"name": "Intro alt"})

    copy = await post(client, f"/projects/{project['id']}/duplicate")

    assert copy["id"] != project["id"]
    assert (copy["name"], copy["description"], copy["version"]) == ("Original (copy)", "desc", 1)
    source_board = await get(client, f"/projects/{project['id']}/with-scenes")
    copy_board = await get(client, f"/projects/{copy['id']}/with-scenes")
    assert _shape(copy_board) == _shape(source_board)
    source_ids = _ids(source_board)
    copied_ids = _ids(copy_board)
    assert not source_ids & copied_ids

    scenes = {s["name"]: s for s in copy_board["scenes"]}
    assert scenes["Intro alt"]["parent_scene_id"] == scenes["Intro"]["id"]
    assert all(c["scene_id"] == s["id"] and c["project_id"] == copy["id"]
               for s in copy_board["scenes"] for c in s["clips"])
    for copied_scene in (scenes["Intro"], scenes["Intro alt"]):
        clips = {c["name"]: c for c in copied_scene["clips"]}
        assert clips["Shot alt"]["parent_clip_id"] == clips["Shot"]["id"]

    copied_characters = await get(client, f"/characters/project/{copy['id']}")
    assert [(c["name"], c["project_id"]) for c in copied_characters] == [("Hero", copy["id"])]
    copied_hero = copied_characters[0]
    assert copied_hero["id"] != hero["id"]
    intro_clips = {c["name"]: c for c in scenes["Intro"]["clips"]}
    assert intro_clips["Shot"]["character_id"] == copied_hero["id"]
    assert intro_clips["Shot"]["lyrics"] == "la la"
    assert intro_clips["Wide"]["character_id"] == extra["id"]

    copied_templates = (await get(client, f"/templates?project_id={copy['id']}"))["items"]
    assert [(t["name"], t["style"]) for t in copied_templates] == [("Look", "noir")]
    assert copied_templates[0]["id"] != template["id"]


async def test_duplicate_project_takes_the_given_name_and_leaves_the_source_unchanged(client):
    project = await new_project(client, name="Original")
    scene = await new_scene(client, project["id"])
    await new_clip(client, scene["id"])
    before = await get(client, f"/projects/{project['id']}/with-scenes")

    copy = await post(client, f"/projects/{project['id']}/duplicate", {"name": "Remix"})

    assert copy["name"] == "Remix"
    assert await get(client, f"/projects/{project['id']}/with-scenes") == before
    assert (await get(client, "/projects"))["total"] == 2


async def test_duplicate_then_delete_source_keeps_the_copy(client):
    project = await new_project(client)
    scene = await new_scene(client, project["id"])
    await new_clip(client, scene["id"])
    await new_character(client, project_id=project["id"])
    copy = await post(client, f"/projects/{project['id']}/duplicate")

    await body_of(await client.delete(f"{API}/projects/{project['id']}"))

    board = await get(client, f"/projects/{copy['id']}/with-scenes")
    assert len(board["scenes"]) == 1 and len(board["scenes"][0]["clips"]) == 1
    assert len(await get(client, f"/characters/project/{copy['id']}")) == 1


def _shape(board):
    """The board without ids, links and timestamps: names, orders, numbers, positions."""
    return [
        (s["name"], s["order"], s["alternate_number"], s["is_alternate"],
         [(c["name"], c["timeline_position"], c["length"], c["alternate_number"], c["is_alternate"])
          for c in s["clips"]])
        for s in board["scenes"]
    ]


def _ids(board):
    return {s["id"] for s in board["scenes"]} | {c["id"] for s in board["scenes"] for c in s["clips"]}
