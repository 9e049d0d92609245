"""Characters through HTTP: CRUD, paging, project scope, and how clips may use them."""

from tests.api.helpers import (
    API, delete, error_of, expect_not_found, get, is_iso_datetime, new_character, new_clip, new_project,
    new_scene, put,
)


async def _clip_in_new_project(client, **fields):
    project = await new_project(client)
    scene = await new_scene(client, project["id"])
    return project, scene, await new_clip(client, scene["id"], **fields)


async def test_create_character_returns_201_with_its_shape(client):
    character = await new_character(
        client, name="Mira", description="Lead singer", reference_images=["/media/mira.png"],
        lora="mira_v2.safetensors", lora_strength=0.8, trigger_words=["mira", "red coat"], style_notes="film grain",
    )

    assert (character["name"], character["description"], character["style_notes"]) == \
        ("Mira", "Lead singer", "film grain")
    assert character["reference_images"] == ["/media/mira.png"]
    assert (character["lora"], character["lora_strength"]) == ("mira_v2.safetensors", 0.8)
    assert character["trigger_words"] == ["mira", "red coat"]
    assert character["project_id"] is None
    assert isinstance(character["id"], str) and character["version"] == 1
    assert is_iso_datetime(character["created_at"])


async def test_create_character_defaults(client):
    character = await new_character(client)

    assert (character["description"], character["reference_images"], character["lora"],
            character["lora_strength"], character["trigger_words"], character["style_notes"]) == \
        ("", [], None, 1.0, [], "")


async def test_create_character_in_a_project(client):
    project = await new_project(client)

    character = await new_character(client, project_id=project["id"])

    assert character["project_id"] == project["id"]
    assert await get(client, f"/characters/{character['id']}") == character


async def test_create_character_in_an_unknown_project_is_a_404(client):
    response = await client.post(f"{API}/characters", json={"name": "Mira", "project_id": "nope"})

    assert (await error_of(response, 404))["code"] == "RESOURCE_NOT_FOUND"
    assert (await get(client, "/characters"))["total"] == 0


async def test_unknown_character_is_a_404_envelope(client):
    await expect_not_found(client, "/characters/nope")
    await expect_not_found(client, "/characters/project/nope")
    for response in (
        await client.put(f"{API}/characters/nope", json={"name": "x"}),
        await client.delete(f"{API}/characters/nope"),
    ):
        assert (await error_of(response, 404))["code"] == "RESOURCE_NOT_FOUND"


async def test_list_characters_pages_by_name_with_skip_limit_and_total(client):
    for name in ("Cleo", "Abe", "Bea"):
        await new_character(client, name=name)

    first = await get(client, "/characters?limit=2")
    rest = await get(client, "/characters?skip=2&limit=2")

    assert [c["name"] for c in first["items"]] == ["Abe", "Bea"]
    assert (first["total"], first["skip"], first["limit"]) == (3, 0, 2)
    assert [c["name"] for c in rest["items"]] == ["Cleo"]
    assert (rest["total"], rest["skip"], rest["limit"]) == (3, 2, 2)


async def test_list_characters_filtered_by_project(client):
    project, other = await new_project(client), await new_project(client)
    mine = await new_character(client, name="Mine", project_id=project["id"])
    await new_character(client, name="Theirs", project_id=other["id"])
    await new_character(client, name="Global")

    page = await get(client, f"/characters?project_id={project['id']}")
    listed = await get(client, f"/characters/project/{project['id']}")

    assert ([c["id"] for c in page["items"]], page["total"]) == ([mine["id"]], 1)
    assert [c["id"] for c in listed] == [mine["id"]]
    assert (await get(client, "/characters"))["total"] == 3


async def test_update_character_keeps_absent_and_null_fields_and_increments_version(client):
    character = await new_character(client, name="Mira", description="kept", trigger_words=["mira"], lora="x")

    updated = await put(client, f"/characters/{character['id']}",
                        {"name": "Mira B", "description": None, "lora_strength": 0.5, "version": 1})

    assert (updated["name"], updated["description"], updated["trigger_words"], updated["lora"]) == \
        ("Mira B", "kept", ["mira"], "x")
    assert (updated["lora_strength"], updated["version"]) == (0.5, 2)
    assert await get(client, f"/characters/{character['id']}") == updated


async def test_update_character_with_empty_lora_clears_it_and_lists_replace(client):
    character = await new_character(client, lora="x", trigger_words=["a", "b"])

    updated = await put(client, f"/characters/{character['id']}", {"lora": "", "trigger_words": ["c"]})

    assert (updated["lora"], updated["trigger_words"]) == (None, ["c"])


async def test_update_character_with_a_stale_version_is_a_409(client):
    character = await new_character(client, name="Original")
    await put(client, f"/characters/{character['id']}", {"name": "Edited"})

    response = await client.put(f"{API}/characters/{character['id']}", json={"name": "Lost", "version": 1})

    assert (await error_of(response, 409))["code"] == "CONFLICT"
    assert (await get(client, f"/characters/{character['id']}"))["name"] == "Edited"


async def test_a_clip_may_use_a_global_character(client):
    character = await new_character(client)
    _, scene, _ = await _clip_in_new_project(client)

    clip = await new_clip(client, scene["id"], character_id=character["id"])

    assert clip["character_id"] == character["id"]


async def test_a_clip_may_use_a_character_of_its_own_project(client):
    project, scene, clip = await _clip_in_new_project(client)
    character = await new_character(client, project_id=project["id"])

    created = await new_clip(client, scene["id"], character_id=character["id"])
    updated = await put(client, f"/clips/{clip['id']}", {"character_id": character["id"]})

    assert created["character_id"] == updated["character_id"] == character["id"]


async def test_a_clip_using_a_character_of_another_project_is_a_409(client):
    _, scene, clip = await _clip_in_new_project(client)
    foreign = await new_character(client, project_id=(await new_project(client))["id"])

    created = await client.post(f"{API}/clips", json={"scene_id": scene["id"], "name": "C",
                                                      "character_id": foreign["id"]})
    updated = await client.put(f"{API}/clips/{clip['id']}", json={"character_id": foreign["id"]})

    assert (await error_of(created, 409))["code"] == "CONFLICT"
    assert (await error_of(updated, 409))["code"] == "CONFLICT"
    assert (await get(client, f"/clips/{clip['id']}"))["character_id"] is None
    assert len(await get(client, f"/clips/scene/{scene['id']}")) == 1


async def test_a_clip_using_an_unknown_character_is_a_404(client):
    _, scene, clip = await _clip_in_new_project(client)

    created = await client.post(f"{API}/clips", json={"scene_id": scene["id"], "name": "C", "character_id": "nope"})
    updated = await client.put(f"{API}/clips/{clip['id']}", json={"character_id": "nope"})

    assert (await error_of(created, 404))["code"] == "RESOURCE_NOT_FOUND"
    assert (await error_of(updated, 404))["code"] == "RESOURCE_NOT_FOUND"


async def test_an_empty_character_id_unlinks_a_clip(client):
    character = await new_character(client)
    _, _, clip = await _clip_in_new_project(client, character_id=character["id"])

    assert (await put(client, f"/clips/{clip['id']}", {"character_id": ""}))["character_id"] is None


async def test_deleting_a_character_unlinks_its_clips_which_remain(client):
    character = await new_character(client)
    _, scene, clip = await _clip_in_new_project(client, character_id=character["id"], image_prompt="hero shot")
    other = await new_clip(client, scene["id"], character_id=character["id"])
    bystander = await new_clip(client, scene["id"])

    deleted = await delete(client, f"/characters/{character['id']}")

    assert deleted == {"character_id": character["id"], "clips_unlinked": 2}
    await expect_not_found(client, f"/characters/{character['id']}")
    for linked in (clip, other):
        stored = await get(client, f"/clips/{linked['id']}")
        assert stored["character_id"] is None
        assert stored["version"] == linked["version"] + 1
    assert (await get(client, f"/clips/{clip['id']}"))["image_prompt"] == "hero shot"
    assert await get(client, f"/clips/{bystander['id']}") == bystander
