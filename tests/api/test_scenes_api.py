"""Scenes through HTTP: CRUD, dense ordering, alternates and what deleting a parent does to them."""

from tests.api.helpers import (
    API, add_takes, delete, error_of, expect_not_found, get, is_iso_datetime, new_clip, new_project,
    new_scene, post, put, scene_orders,
)


async def _project_with_scenes(client, *names):
    project = await new_project(client)
    scenes = [await new_scene(client, project["id"], name=name) for name in names]
    return project, scenes


async def test_create_scene_returns_201_at_the_end_of_the_order(client):
    project = await new_project(client)

    first = await new_scene(client, project["id"], name="Intro", description="Opening")
    second = await new_scene(client, project["id"], name="Verse")

    assert (first["name"], first["description"], first["project_id"]) == ("Intro", "Opening", project["id"])
    assert (first["order"], second["order"]) == (0, 1)
    assert first["version"] == 1 and is_iso_datetime(first["created_at"])
    assert (first["is_alternate"], first["alternate_number"], first["parent_scene_id"]) == (False, 0, None)
    assert first["id"] != second["id"]


async def test_get_scene_returns_what_was_created(client):
    project = await new_project(client)
    scene = await new_scene(client, project["id"])

    assert await get(client, f"/scenes/{scene['id']}") == scene


async def test_unknown_scene_or_project_is_a_404_envelope(client):
    await expect_not_found(client, "/scenes/nope")
    await expect_not_found(client, "/scenes/project/nope")
    for response in (
        await client.post(f"{API}/scenes", json={"project_id": "nope", "name": "S"}),
        await client.put(f"{API}/scenes/nope", json={"name": "S"}),
        await client.delete(f"{API}/scenes/nope"),
        await client.post(f"{API}/scenes/nope/alternates"),
    ):
        assert (await error_of(response, 404))["code"] == "RESOURCE_NOT_FOUND"


async def test_list_project_scenes_returns_only_that_projects_scenes_in_order(client):
    project, _ = await _project_with_scenes(client, "a", "b")
    await _project_with_scenes(client, "other")

    assert await scene_orders(client, project["id"]) == [("a", 0), ("b", 1)]


async def test_list_scenes_of_an_empty_project_is_empty(client):
    project = await new_project(client)

    assert await get(client, f"/scenes/project/{project['id']}") == []


async def test_insert_at_an_order_renumbers_the_others_densely(client):
    project, _ = await _project_with_scenes(client, "a", "b", "c")

    inserted = await new_scene(client, project["id"], name="new", order=1)

    assert inserted["order"] == 1
    assert await scene_orders(client, project["id"]) == [("a", 0), ("new", 1), ("b", 2), ("c", 3)]


async def test_insert_at_order_0_puts_the_scene_first(client):
    project, _ = await _project_with_scenes(client, "a", "b")

    await new_scene(client, project["id"], name="new", order=0)

    assert await scene_orders(client, project["id"]) == [("new", 0), ("a", 1), ("b", 2)]


async def test_insert_past_the_end_puts_the_scene_last(client):
    project, _ = await _project_with_scenes(client, "a", "b")

    inserted = await new_scene(client, project["id"], name="new", order=99)

    assert inserted["order"] == 2
    assert await scene_orders(client, project["id"]) == [("a", 0), ("b", 1), ("new", 2)]


async def test_inserting_before_a_scene_moves_its_alternates_along(client):
    project, (a,) = await _project_with_scenes(client, "a")
    await post(client, f"/scenes/{a['id']}/alternates", {"name": "a alt"})

    await new_scene(client, project["id"], name="new", order=0)

    assert await scene_orders(client, project["id"]) == [("new", 0), ("a", 1), ("a alt", 1)]


async def test_update_scene_keeps_absent_and_null_fields_and_increments_version(client):
    project = await new_project(client)
    scene = await new_scene(client, project["id"], name="Before", description="Kept")

    renamed = await put(client, f"/scenes/{scene['id']}", {"name": "After", "description": None})

    assert (renamed["name"], renamed["description"], renamed["order"]) == ("After", "Kept", 0)
    assert renamed["version"] == scene["version"] + 1
    assert await get(client, f"/scenes/{scene['id']}") == renamed


async def test_update_scene_with_empty_description_clears_it(client):
    project = await new_project(client)
    scene = await new_scene(client, project["id"], description="Something")

    assert (await put(client, f"/scenes/{scene['id']}", {"description": ""}))["description"] is None


async def test_update_scene_with_a_stale_version_is_a_409(client):
    project = await new_project(client)
    scene = await new_scene(client, project["id"], name="Original")
    await put(client, f"/scenes/{scene['id']}", {"name": "Edited", "version": 1})

    response = await client.put(f"{API}/scenes/{scene['id']}", json={"name": "Lost", "version": 1})

    assert (await error_of(response, 409))["code"] == "CONFLICT"
    assert (await get(client, f"/scenes/{scene['id']}"))["name"] == "Edited"


async def test_put_with_order_moves_the_scene_and_renumbers_the_others(client):
    project, (a, _, _, _) = await _project_with_scenes(client, "a", "b", "c", "d")

    moved = await put(client, f"/scenes/{a['id']}", {"order": 2})

    assert moved["order"] == 2
    assert moved == await get(client, f"/scenes/{a['id']}")
    assert await scene_orders(client, project["id"]) == [("b", 0), ("c", 1), ("a", 2), ("d", 3)]


async def test_put_with_order_moves_a_scene_up(client):
    project, (_, _, c) = await _project_with_scenes(client, "a", "b", "c")

    await put(client, f"/scenes/{c['id']}", {"order": 0})

    assert await scene_orders(client, project["id"]) == [("c", 0), ("a", 1), ("b", 2)]


async def test_put_with_an_order_past_the_end_moves_the_scene_last(client):
    project, (a, _, _) = await _project_with_scenes(client, "a", "b", "c")

    moved = await put(client, f"/scenes/{a['id']}", {"order": 99})

    assert moved["order"] == 2
    assert await scene_orders(client, project["id"]) == [("b", 0), ("c", 1), ("a", 2)]


async def test_moving_a_scene_takes_its_alternates_along(client):
    project, (a, _) = await _project_with_scenes(client, "a", "b")
    alternate = await post(client, f"/scenes/{a['id']}/alternates", {"name": "a alt"})

    await put(client, f"/scenes/{a['id']}", {"order": 1})

    assert await scene_orders(client, project["id"]) == [("b", 0), ("a", 1), ("a alt", 1)]
    assert (await get(client, f"/scenes/{alternate['id']}"))["order"] == 1


async def test_delete_scene_renumbers_the_others(client):
    project, (_, b, _) = await _project_with_scenes(client, "a", "b", "c")

    deleted = await delete(client, f"/scenes/{b['id']}")

    assert deleted == {"scene_ids": [b["id"]], "clips": 0, "jobs_cancelled": 0, "files": 0}
    assert await scene_orders(client, project["id"]) == [("a", 0), ("c", 1)]
    await expect_not_found(client, f"/scenes/{b['id']}")


async def test_deleting_a_scene_renumbers_the_alternates_of_later_scenes(client):
    project, (a, b) = await _project_with_scenes(client, "a", "b")
    await post(client, f"/scenes/{b['id']}/alternates", {"name": "b alt"})

    await delete(client, f"/scenes/{a['id']}")

    assert await scene_orders(client, project["id"]) == [("b", 0), ("b alt", 0)]


async def test_delete_scene_deletes_its_clips(client):
    project, (scene,) = await _project_with_scenes(client, "a")
    clips = [await new_clip(client, scene["id"]) for _ in range(2)]

    deleted = await delete(client, f"/scenes/{scene['id']}")

    assert deleted["clips"] == 2
    for clip in clips:
        await expect_not_found(client, f"/clips/{clip['id']}")


async def test_alternates_are_numbered_share_the_parents_order_and_are_marked(client):
    project, (_, parent) = await _project_with_scenes(client, "a", "b")

    first = await post(client, f"/scenes/{parent['id']}/alternates")
    second = await post(client, f"/scenes/{parent['id']}/alternates", {"name": "Night version"})

    for number, alternate in enumerate((first, second), start=1):
        assert alternate["alternate_number"] == number
        assert alternate["order"] == parent["order"] == 1
        assert alternate["is_alternate"] is True
        assert alternate["parent_scene_id"] == parent["id"]
        assert alternate["project_id"] == project["id"]
        assert alternate["version"] == 1
    assert first["name"] == "b (alt 1)"
    assert second["name"] == "Night version"
    assert await scene_orders(client, project["id"]) == [("a", 0), ("b", 1), ("b (alt 1)", 1), ("Night version", 1)]


async def test_an_alternate_of_an_alternate_belongs_to_the_root_parent(client):
    _, (parent,) = await _project_with_scenes(client, "a")
    first = await post(client, f"/scenes/{parent['id']}/alternates")

    second = await post(client, f"/scenes/{first['id']}/alternates")

    assert (second["parent_scene_id"], second["alternate_number"]) == (parent["id"], 2)


async def test_an_alternate_copies_the_source_clips_without_generated_content(client, container):
    _, (parent,) = await _project_with_scenes(client, "a")
    shot = await new_clip(client, parent["id"], name="Shot", lyrics="words", image_prompt="a red car")
    await new_clip(client, parent["id"], name="Wide", timeline_position=7.5, length=2)
    await add_takes(container, shot["id"], "/media/1.png", "/media/2.png")
    shot_alt = await post(client, f"/clips/{shot['id']}/alternates")

    alternate = await post(client, f"/scenes/{parent['id']}/alternates")

    copies = await get(client, f"/clips/scene/{alternate['id']}")
    originals = await get(client, f"/clips/scene/{parent['id']}")
    assert [(c["name"], c["timeline_position"], c["length"], c["alternate_number"]) for c in copies] == \
        [(c["name"], c["timeline_position"], c["length"], c["alternate_number"]) for c in originals]
    assert not {c["id"] for c in copies} & {c["id"] for c in originals}
    assert all(c["scene_id"] == alternate["id"] and c["version"] == 1 for c in copies)
    assert all(c["generated_images"] == [] and c["generated_videos"] == [] for c in copies)
    by_name = {c["name"]: c for c in copies}
    assert (by_name["Shot"]["lyrics"], by_name["Shot"]["image_prompt"]) == ("words", "a red car")
    assert by_name[shot_alt["name"]]["parent_clip_id"] == by_name["Shot"]["id"]
    assert len((await get(client, f"/clips/{shot['id']}"))["generated_images"]) == 2


async def test_an_alternate_without_copy_clips_starts_empty(client):
    _, (parent,) = await _project_with_scenes(client, "a")
    await new_clip(client, parent["id"])

    alternate = await post(client, f"/scenes/{parent['id']}/alternates", {"copy_clips": False})

    assert await get(client, f"/clips/scene/{alternate['id']}") == []


async def test_deleting_a_parent_deletes_its_alternates_by_default(client):
    project, (_, parent, _) = await _project_with_scenes(client, "a", "b", "c")
    await new_clip(client, parent["id"])
    alternates = [await post(client, f"/scenes/{parent['id']}/alternates") for _ in range(2)]

    deleted = await delete(client, f"/scenes/{parent['id']}")

    assert set(deleted["scene_ids"]) == {parent["id"], *(a["id"] for a in alternates)}
    assert deleted["clips"] == 3
    for alternate in alternates:
        await expect_not_found(client, f"/scenes/{alternate['id']}")
    assert await scene_orders(client, project["id"]) == [("a", 0), ("c", 1)]


async def test_alternates_delete_policy_is_the_default(client):
    _, (parent,) = await _project_with_scenes(client, "a")
    alternate = await post(client, f"/scenes/{parent['id']}/alternates")

    await delete(client, f"/scenes/{parent['id']}?alternates=delete")

    await expect_not_found(client, f"/scenes/{alternate['id']}")


async def test_deleting_a_parent_with_promote_makes_the_first_alternate_the_main_scene(client):
    project, (_, parent, _) = await _project_with_scenes(client, "a", "b", "c")
    first, second, third = [await post(client, f"/scenes/{parent['id']}/alternates", {"name": f"b{n}"})
                            for n in (1, 2, 3)]
    clip = await new_clip(client, first["id"], name="kept")

    deleted = await delete(client, f"/scenes/{parent['id']}?alternates=promote")

    assert deleted["scene_ids"] == [parent["id"]]
    heir = await get(client, f"/scenes/{first['id']}")
    assert (heir["order"], heir["is_alternate"], heir["parent_scene_id"], heir["alternate_number"]) == \
        (1, False, None, 0)
    for scene, number in ((second, 1), (third, 2)):
        adopted = await get(client, f"/scenes/{scene['id']}")
        assert (adopted["order"], adopted["is_alternate"], adopted["parent_scene_id"], adopted["alternate_number"]) \
            == (1, True, first["id"], number)
    assert await scene_orders(client, project["id"]) == [("a", 0), ("b1", 1), ("b2", 1), ("b3", 1), ("c", 2)]
    assert (await get(client, f"/clips/{clip['id']}"))["scene_id"] == first["id"]


async def test_promote_without_alternates_just_deletes_the_scene(client):
    project, (a, _) = await _project_with_scenes(client, "a", "b")

    deleted = await delete(client, f"/scenes/{a['id']}?alternates=promote")

    assert deleted["scene_ids"] == [a["id"]]
    assert await scene_orders(client, project["id"]) == [("b", 0)]


async def test_deleting_an_alternate_renumbers_its_siblings_and_keeps_the_parent(client):
    project, (parent,) = await _project_with_scenes(client, "a")
    first, second, third = [await post(client, f"/scenes/{parent['id']}/alternates") for _ in range(3)]

    deleted = await delete(client, f"/scenes/{first['id']}")

    assert deleted["scene_ids"] == [first["id"]]
    assert [(await get(client, f"/scenes/{s['id']}"))["alternate_number"] for s in (second, third)] == [1, 2]
    assert (await get(client, f"/scenes/{parent['id']}"))["order"] == 0
    assert len(await get(client, f"/scenes/project/{project['id']}")) == 3


async def test_moving_an_alternate_with_put_order_is_a_409(client):
    project, (parent, _) = await _project_with_scenes(client, "a", "b")
    alternate = await post(client, f"/scenes/{parent['id']}/alternates")

    response = await client.put(f"{API}/scenes/{alternate['id']}", json={"order": 1})

    assert (await error_of(response, 409))["code"] == "CONFLICT"
    assert (await get(client, f"/scenes/{alternate['id']}"))["order"] == 0
    assert await scene_orders(client, project["id"]) == [("a", 0), ("a (alt 1)", 0), ("b", 1)]


async def test_renaming_an_alternate_is_allowed(client):
    _, (parent,) = await _project_with_scenes(client, "a")
    alternate = await post(client, f"/scenes/{parent['id']}/alternates")

    renamed = await put(client, f"/scenes/{alternate['id']}", {"name": "Take two", "order": 0})

    assert (renamed["name"], renamed["order"], renamed["is_alternate"]) == ("Take two", 0, True)
