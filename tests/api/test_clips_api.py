"""Clips through HTTP: CRUD, timeline placement and overlaps, alternates, moves and gallery selection."""

from domain.generated_content import ContentKind
from tests.api.helpers import (
    API, add_takes, body_of, delete, error_of, expect_not_found, get, is_iso_datetime, new_clip,
    new_project, new_scene, post, put,
)


async def _scene(client, project=None):
    project = project or await new_project(client)
    return await new_scene(client, project["id"])


async def _expect_conflict(response):
    assert (await error_of(response, 409))["code"] == "CONFLICT"


async def _expect_invalid_field(response, field):
    error = await error_of(response, 400)
    assert error["code"] == "VALIDATION_ERROR"
    assert field in error["details"]["fields"]


async def test_create_clip_returns_201_with_its_shape(client):
    scene = await _scene(client)

    clip = await new_clip(client, scene["id"], name="Opening", length=4.5, lyrics="hello",
                          image_prompt="a city at night", video_prompt="slow pan")

    assert (clip["name"], clip["length"], clip["timeline_position"]) == ("Opening", 4.5, 0.0)
    assert (clip["lyrics"], clip["image_prompt"], clip["video_prompt"]) == ("hello", "a city at night", "slow pan")
    assert (clip["scene_id"], clip["project_id"]) == (scene["id"], scene["project_id"])
    assert isinstance(clip["id"], str) and clip["version"] == 1 and is_iso_datetime(clip["created_at"])
    assert (clip["is_alternate"], clip["alternate_number"], clip["parent_clip_id"]) == (False, 0, None)
    assert (clip["character_id"], clip["generated_images"], clip["generated_videos"]) == (None, [], [])


async def test_create_clip_defaults_to_5_seconds(client):
    scene = await _scene(client)

    assert (await new_clip(client, scene["id"]))["length"] == 5.0


async def test_get_clip_returns_what_was_created(client):
    scene = await _scene(client)
    clip = await new_clip(client, scene["id"])

    assert await get(client, f"/clips/{clip['id']}") == clip


async def test_unknown_clip_or_scene_is_a_404_envelope(client):
    await expect_not_found(client, "/clips/nope")
    await expect_not_found(client, "/clips/scene/nope")
    for response in (
        await client.post(f"{API}/clips", json={"scene_id": "nope", "name": "C"}),
        await client.put(f"{API}/clips/nope", json={"name": "C"}),
        await client.delete(f"{API}/clips/nope"),
        await client.post(f"{API}/clips/nope/alternates"),
        await client.post(f"{API}/clips/nope/move", json={"timeline_position": 0}),
        await client.post(f"{API}/clips/nope/gallery/x/select"),
    ):
        assert (await error_of(response, 404))["code"] == "RESOURCE_NOT_FOUND"


async def test_a_new_clip_goes_after_the_end_of_the_last_clip(client):
    scene = await _scene(client)

    first = await new_clip(client, scene["id"], length=5)
    second = await new_clip(client, scene["id"], length=3)
    third = await new_clip(client, scene["id"])

    assert [c["timeline_position"] for c in (first, second, third)] == [0.0, 5.0, 8.0]


async def test_the_default_position_follows_the_clip_that_ends_last(client):
    scene = await _scene(client)
    await new_clip(client, scene["id"], timeline_position=20, length=2)
    await new_clip(client, scene["id"], timeline_position=0, length=5)

    assert (await new_clip(client, scene["id"]))["timeline_position"] == 22.0


async def test_list_scene_clips_is_sorted_by_timeline_position(client):
    scene = await _scene(client)
    late = await new_clip(client, scene["id"], timeline_position=30)
    early = await new_clip(client, scene["id"], timeline_position=0)
    middle = await new_clip(client, scene["id"], timeline_position=10)
    await new_clip(client, (await _scene(client))["id"])  # another scene's clip

    clips = await get(client, f"/clips/scene/{scene['id']}")

    assert [c["id"] for c in clips] == [early["id"], middle["id"], late["id"]]


async def test_overlapping_clips_on_the_same_lane_are_a_409(client):
    scene = await _scene(client)
    await new_clip(client, scene["id"], timeline_position=10, length=5)

    for position, length in ((12, 1), (8, 3), (14.9, 5), (5, 20)):
        response = await client.post(f"{API}/clips", json={
            "scene_id": scene["id"], "name": "C", "timeline_position": position, "length": length})
        await _expect_conflict(response)
    assert len(await get(client, f"/clips/scene/{scene['id']}")) == 1


async def test_clips_that_only_touch_do_not_overlap(client):
    scene = await _scene(client)
    await new_clip(client, scene["id"], timeline_position=10, length=5)

    before = await new_clip(client, scene["id"], timeline_position=5, length=5)
    after = await new_clip(client, scene["id"], timeline_position=15, length=1)

    assert (before["timeline_position"], after["timeline_position"]) == (5.0, 15.0)


async def test_clips_of_different_scenes_may_share_a_position(client):
    project = await new_project(client)
    scene_a, scene_b = await _scene(client, project), await _scene(client, project)
    await new_clip(client, scene_a["id"], timeline_position=0)

    assert (await new_clip(client, scene_b["id"], timeline_position=0))["scene_id"] == scene_b["id"]


async def test_negative_timeline_position_is_a_400_naming_the_field(client):
    scene = await _scene(client)
    clip = await new_clip(client, scene["id"])

    await _expect_invalid_field(await client.post(f"{API}/clips", json={
        "scene_id": scene["id"], "name": "C", "timeline_position": -1}), "timeline_position")
    await _expect_invalid_field(await client.post(f"{API}/clips/{clip['id']}/move", json={
        "timeline_position": -0.5}), "timeline_position")


async def test_zero_or_negative_length_is_a_400_naming_the_field(client):
    scene = await _scene(client)
    clip = await new_clip(client, scene["id"])

    for length in (0, -2):
        await _expect_invalid_field(await client.post(f"{API}/clips", json={
            "scene_id": scene["id"], "name": "C", "length": length}), "length")
        await _expect_invalid_field(await client.put(f"{API}/clips/{clip['id']}", json={"length": length}), "length")
    assert (await get(client, f"/clips/{clip['id']}"))["length"] == 5.0


async def test_update_clip_keeps_absent_and_null_fields_and_increments_version(client):
    scene = await _scene(client)
    clip = await new_clip(client, scene["id"], name="Before", lyrics="kept", image_prompt="kept too")

    updated = await put(client, f"/clips/{clip['id']}", {"name": "After", "lyrics": None, "version": 1})

    assert (updated["name"], updated["lyrics"], updated["image_prompt"]) == ("After", "kept", "kept too")
    assert (updated["timeline_position"], updated["length"]) == (clip["timeline_position"], clip["length"])
    assert updated["version"] == 2
    assert await get(client, f"/clips/{clip['id']}") == updated


async def test_update_clip_with_empty_lyrics_clears_them(client):
    scene = await _scene(client)
    clip = await new_clip(client, scene["id"], lyrics="words")

    assert (await put(client, f"/clips/{clip['id']}", {"lyrics": ""}))["lyrics"] is None


async def test_update_clip_with_a_stale_version_is_a_409(client):
    scene = await _scene(client)
    clip = await new_clip(client, scene["id"], name="Original")
    await put(client, f"/clips/{clip['id']}", {"name": "Edited"})

    await _expect_conflict(await client.put(f"{API}/clips/{clip['id']}", json={"name": "Lost", "version": 1}))
    assert (await get(client, f"/clips/{clip['id']}"))["name"] == "Edited"


async def test_lengthening_a_clip_into_the_next_one_is_a_409(client):
    scene = await _scene(client)
    clip = await new_clip(client, scene["id"], length=5)
    await new_clip(client, scene["id"], length=5)

    await _expect_conflict(await client.put(f"{API}/clips/{clip['id']}", json={"length": 6}))
    assert (await put(client, f"/clips/{clip['id']}", {"length": 2}))["length"] == 2.0


async def test_alternates_take_the_parents_slot_and_may_overlap_it(client):
    scene = await _scene(client)
    parent = await new_clip(client, scene["id"], name="Shot", timeline_position=3, length=4, lyrics="la")

    first = await post(client, f"/clips/{parent['id']}/alternates")
    second = await post(client, f"/clips/{parent['id']}/alternates", {"name": "Close-up"})

    for number, alternate in enumerate((first, second), start=1):
        assert (alternate["timeline_position"], alternate["length"]) == (3.0, 4.0)
        assert (alternate["alternate_number"], alternate["is_alternate"]) == (number, True)
        assert (alternate["parent_clip_id"], alternate["scene_id"]) == (parent["id"], scene["id"])
        assert alternate["lyrics"] == "la" and alternate["version"] == 1
    assert (first["name"], second["name"]) == ("Shot (alt 1)", "Close-up")
    listed = await get(client, f"/clips/scene/{scene['id']}")
    assert [c["id"] for c in listed] == [parent["id"], first["id"], second["id"]]


async def test_an_alternate_starts_without_generated_content(client, container):
    scene = await _scene(client)
    parent = await new_clip(client, scene["id"])
    await add_takes(container, parent["id"], "/media/a.png")

    alternate = await post(client, f"/clips/{parent['id']}/alternates")

    assert (alternate["generated_images"], alternate["generated_videos"]) == ([], [])


async def test_an_alternate_of_an_alternate_belongs_to_the_root_parent(client):
    scene = await _scene(client)
    parent = await new_clip(client, scene["id"])
    first = await post(client, f"/clips/{parent['id']}/alternates")

    second = await post(client, f"/clips/{first['id']}/alternates")

    assert (second["parent_clip_id"], second["alternate_number"]) == (parent["id"], 2)


async def test_the_default_position_ignores_alternates(client):
    scene = await _scene(client)
    parent = await new_clip(client, scene["id"], length=5)
    await post(client, f"/clips/{parent['id']}/alternates")

    assert (await new_clip(client, scene["id"]))["timeline_position"] == 5.0


async def test_deleting_a_clip_deletes_its_alternates_by_default(client):
    scene = await _scene(client)
    parent = await new_clip(client, scene["id"])
    alternates = [await post(client, f"/clips/{parent['id']}/alternates") for _ in range(2)]

    deleted = await delete(client, f"/clips/{parent['id']}")

    assert set(deleted["clip_ids"]) == {parent["id"], *(a["id"] for a in alternates)}
    assert await get(client, f"/clips/scene/{scene['id']}") == []


async def test_deleting_a_clip_with_promote_makes_the_first_alternate_the_main_take(client):
    scene = await _scene(client)
    parent = await new_clip(client, scene["id"])
    first, second, third = [await post(client, f"/clips/{parent['id']}/alternates") for _ in range(3)]

    deleted = await delete(client, f"/clips/{parent['id']}?alternates=promote")

    assert deleted["clip_ids"] == [parent["id"]]
    heir = await get(client, f"/clips/{first['id']}")
    assert (heir["is_alternate"], heir["parent_clip_id"], heir["alternate_number"]) == (False, None, 0)
    for clip, number in ((second, 1), (third, 2)):
        adopted = await get(client, f"/clips/{clip['id']}")
        assert (adopted["is_alternate"], adopted["parent_clip_id"], adopted["alternate_number"]) == \
            (True, first["id"], number)
    await expect_not_found(client, f"/clips/{parent['id']}")


async def test_deleting_an_alternate_clip_renumbers_its_siblings(client):
    scene = await _scene(client)
    parent = await new_clip(client, scene["id"])
    first, second = [await post(client, f"/clips/{parent['id']}/alternates") for _ in range(2)]

    assert (await delete(client, f"/clips/{first['id']}"))["clip_ids"] == [first["id"]]

    assert (await get(client, f"/clips/{second['id']}"))["alternate_number"] == 1
    assert (await get(client, f"/clips/{parent['id']}"))["alternate_number"] == 0


async def test_move_a_clip_within_its_scene(client):
    scene = await _scene(client)
    clip = await new_clip(client, scene["id"], length=5)

    moved = await post(client, f"/clips/{clip['id']}/move", {"timeline_position": 12.5}, status=200)

    assert (moved["timeline_position"], moved["scene_id"], moved["version"]) == (12.5, scene["id"], 2)
    assert await get(client, f"/clips/{clip['id']}") == moved


async def test_move_a_clip_onto_another_clip_is_a_409(client):
    scene = await _scene(client)
    clip = await new_clip(client, scene["id"], timeline_position=0, length=5)
    await new_clip(client, scene["id"], timeline_position=10, length=5)

    await _expect_conflict(await client.post(f"{API}/clips/{clip['id']}/move", json={"timeline_position": 8}))
    assert (await get(client, f"/clips/{clip['id']}"))["timeline_position"] == 0.0


async def test_move_a_clip_to_another_scene_of_its_project(client):
    project = await new_project(client)
    source, target = await _scene(client, project), await _scene(client, project)
    clip = await new_clip(client, source["id"])

    moved = await post(client, f"/clips/{clip['id']}/move",
                       {"timeline_position": 3, "scene_id": target["id"]}, status=200)

    assert (moved["scene_id"], moved["timeline_position"], moved["project_id"]) == (target["id"], 3.0, project["id"])
    assert [c["id"] for c in await get(client, f"/clips/scene/{target['id']}")] == [clip["id"]]
    assert await get(client, f"/clips/scene/{source['id']}") == []


async def test_move_a_clip_onto_a_clip_of_another_scene_is_a_409(client):
    project = await new_project(client)
    source, target = await _scene(client, project), await _scene(client, project)
    clip = await new_clip(client, source["id"])
    await new_clip(client, target["id"], timeline_position=0, length=10)

    response = await client.post(f"{API}/clips/{clip['id']}/move",
                                 json={"timeline_position": 5, "scene_id": target["id"]})

    await _expect_conflict(response)
    assert (await get(client, f"/clips/{clip['id']}"))["scene_id"] == source["id"]


async def test_move_a_clip_to_a_scene_of_another_project_is_a_409(client):
    clip = await new_clip(client, (await _scene(client))["id"])
    foreign = await _scene(client)

    response = await client.post(f"{API}/clips/{clip['id']}/move",
                                 json={"timeline_position": 0, "scene_id": foreign["id"]})

    await _expect_conflict(response)
    assert await get(client, f"/clips/scene/{foreign['id']}") == []


async def test_move_a_clip_to_an_unknown_scene_is_a_404(client):
    clip = await new_clip(client, (await _scene(client))["id"])

    response = await client.post(f"{API}/clips/{clip['id']}/move", json={"timeline_position": 0, "scene_id": "nope"})

    assert (await error_of(response, 404))["code"] == "RESOURCE_NOT_FOUND"


async def test_selecting_unknown_gallery_content_is_a_404(client, container):
    clip = await new_clip(client, (await _scene(client))["id"])
    await add_takes(container, clip["id"], "/media/1.png")

    response = await client.post(f"{API}/clips/{clip['id']}/gallery/no-such-take/select")

    assert (await error_of(response, 404))["code"] == "RESOURCE_NOT_FOUND"


async def test_the_first_take_is_selected_and_selecting_another_leaves_exactly_one_selected(client, container):
    clip = await new_clip(client, (await _scene(client))["id"])
    first, second = await add_takes(container, clip["id"], "/media/1.png", "/media/2.png")
    [video] = await add_takes(container, clip["id"], "/media/1.mp4", kind=ContentKind.VIDEO)
    stored = await get(client, f"/clips/{clip['id']}")
    assert [(i["id"], i["selected"]) for i in stored["generated_images"]] == [(first, True), (second, False)]

    selected = await body_of(await client.post(f"{API}/clips/{clip['id']}/gallery/{second}/select"))

    images = selected["generated_images"]
    assert [(i["id"], i["selected"]) for i in images] == [(first, False), (second, True)]
    assert sum(i["selected"] for i in images) == 1
    assert images[1]["url"] == "/media/2.png" and images[1]["kind"] == "image"
    assert [(v["id"], v["selected"]) for v in selected["generated_videos"]] == [(video, True)]
    assert selected["version"] == stored["version"] + 1
    assert await get(client, f"/clips/{clip['id']}") == selected


async def test_moving_a_clip_brings_its_alternates_along(client):
    project = await new_project(client)
    first, second = await new_scene(client, project["id"]), await new_scene(client, project["id"])
    clip = await new_clip(client, first["id"], timeline_position=2.0, length=2.0)
    alternate = await post(client, f"/clips/{clip['id']}/alternates", {})
    await post(client, f"/clips/{alternate['id']}/move", {"timeline_position": 3.0}, status=200)

    await post(client, f"/clips/{clip['id']}/move", {"timeline_position": 5.0, "scene_id": second["id"]},
               status=200)

    followed = await get(client, f"/clips/{alternate['id']}")
    assert (followed["scene_id"], followed["timeline_position"]) == (second["id"], 6.0)


async def test_an_alternate_cannot_leave_its_parents_scene(client):
    project = await new_project(client)
    first, second = await new_scene(client, project["id"]), await new_scene(client, project["id"])
    clip = await new_clip(client, first["id"])
    alternate = await post(client, f"/clips/{clip['id']}/alternates", {})

    response = await client.post(f"{API}/clips/{alternate['id']}/move",
                                 json={"timeline_position": 0.0, "scene_id": second["id"]})

    await _expect_conflict(response)
