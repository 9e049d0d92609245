"""Prompt templates through HTTP: CRUD, paging, project scope and rendering for a clip."""

from tests.api.helpers import (
    API, body_of, delete, error_of, expect_not_found, get, is_iso_datetime, new_character, new_clip,
    new_project, new_scene, new_template, put,
)

PROMPT = "{character} singing {lyrics}, {style}, {mood}"


async def _render(client, template_id, **body):
    return await body_of(await client.post(f"{API}/templates/{template_id}/render", json=body))


async def _clip(client, **fields):
    project = await new_project(client)
    scene = await new_scene(client, project["id"])
    return await new_clip(client, scene["id"], **fields)


async def test_create_template_returns_201_with_its_shape(client):
    template = await new_template(client, name="Neon", description="Night look", image_prompt="{lyrics}",
                                  video_prompt="slow pan", negative_prompt="blurry", style="neon noir")

    assert (template["name"], template["description"], template["style"]) == ("Neon", "Night look", "neon noir")
    assert (template["image_prompt"], template["video_prompt"], template["negative_prompt"]) == \
        ("{lyrics}", "slow pan", "blurry")
    assert template["project_id"] is None
    assert isinstance(template["id"], str) and template["version"] == 1
    assert is_iso_datetime(template["created_at"])
    assert await get(client, f"/templates/{template['id']}") == template


async def test_create_template_in_a_project(client):
    project = await new_project(client)

    assert (await new_template(client, project_id=project["id"]))["project_id"] == project["id"]


async def test_create_template_in_an_unknown_project_is_a_404(client):
    response = await client.post(f"{API}/templates", json={"name": "T", "project_id": "nope"})

    assert (await error_of(response, 404))["code"] == "RESOURCE_NOT_FOUND"
    assert (await get(client, "/templates"))["total"] == 0


async def test_unknown_template_is_a_404_envelope(client):
    await expect_not_found(client, "/templates/nope")
    for response in (
        await client.put(f"{API}/templates/nope", json={"name": "x"}),
        await client.delete(f"{API}/templates/nope"),
        await client.post(f"{API}/templates/nope/render", json={}),
    ):
        assert (await error_of(response, 404))["code"] == "RESOURCE_NOT_FOUND"


async def test_list_templates_pages_by_name_with_skip_limit_and_total(client):
    for name in ("Cyan", "Amber", "Blue"):
        await new_template(client, name=name)

    first = await get(client, "/templates?limit=2")
    rest = await get(client, "/templates?skip=2&limit=2")

    assert [t["name"] for t in first["items"]] == ["Amber", "Blue"]
    assert (first["total"], first["skip"], first["limit"]) == (3, 0, 2)
    assert [t["name"] for t in rest["items"]] == ["Cyan"]
    assert (rest["total"], rest["skip"], rest["limit"]) == (3, 2, 2)


async def test_list_templates_filtered_by_project(client):
    project = await new_project(client)
    mine = await new_template(client, name="Mine", project_id=project["id"])
    await new_template(client, name="Global")

    page = await get(client, f"/templates?project_id={project['id']}")

    assert ([t["id"] for t in page["items"]], page["total"]) == ([mine["id"]], 1)
    assert (await get(client, "/templates"))["total"] == 2


async def test_update_template_keeps_absent_and_null_fields_and_increments_version(client):
    template = await new_template(client, name="Before", description="kept", style="noir", image_prompt="{x}")

    updated = await put(client, f"/templates/{template['id']}", {"name": "After", "style": None, "version": 1})

    assert (updated["name"], updated["description"], updated["style"], updated["image_prompt"]) == \
        ("After", "kept", "noir", "{x}")
    assert updated["version"] == 2
    assert await get(client, f"/templates/{template['id']}") == updated


async def test_update_template_with_empty_description_clears_it(client):
    template = await new_template(client, description="kept")

    assert (await put(client, f"/templates/{template['id']}", {"description": ""}))["description"] is None


async def test_update_template_with_a_stale_version_is_a_409(client):
    template = await new_template(client, name="Original")
    await put(client, f"/templates/{template['id']}", {"name": "Edited"})

    response = await client.put(f"{API}/templates/{template['id']}", json={"name": "Lost", "version": 1})

    assert (await error_of(response, 409))["code"] == "CONFLICT"
    assert (await get(client, f"/templates/{template['id']}"))["name"] == "Edited"


async def test_delete_template(client):
    template = await new_template(client)

    assert await delete(client, f"/templates/{template['id']}") == {"template_id": template["id"]}
    await expect_not_found(client, f"/templates/{template['id']}")


async def test_render_for_a_clip_fills_lyrics_character_and_style_and_prefixes_trigger_words(client):
    character = await new_character(client, name="Mira", trigger_words=["mira_tw", "red coat"])
    clip = await _clip(client, lyrics="under the lights", character_id=character["id"])
    template = await new_template(client, image_prompt=PROMPT, negative_prompt="blurry {style}",
                                  style="neon noir")

    rendered = await _render(client, template["id"], clip_id=clip["id"])

    assert rendered["image_prompt"] == "mira_tw, red coat, Mira singing under the lights, neon noir, {mood}"
    assert rendered["negative_prompt"] == "blurry neon noir"
    assert rendered["missing"] == ["mood"]


async def test_explicit_variables_override_the_clips_and_fill_the_rest(client):
    character = await new_character(client, name="Mira")
    clip = await _clip(client, lyrics="under the lights", character_id=character["id"])
    template = await new_template(client, image_prompt=PROMPT, style="neon noir")

    rendered = await _render(client, template["id"], clip_id=clip["id"],
                             variables={"style": "pastel", "mood": "wistful", "lyrics": "la la"})

    assert rendered["image_prompt"] == "Mira singing la la, pastel, wistful"
    assert rendered["missing"] == []


async def test_unknown_variables_are_listed_in_missing_and_left_as_written(client):
    template = await new_template(client, image_prompt="{lyrics} {zeta}", video_prompt="{alpha}",
                                  negative_prompt="{zeta} {style}", style="s")

    rendered = await _render(client, template["id"])

    assert (rendered["image_prompt"], rendered["video_prompt"], rendered["negative_prompt"]) == \
        ("{lyrics} {zeta}", "{alpha}", "{zeta} s")
    assert rendered["missing"] == ["alpha", "lyrics", "zeta"]


async def test_double_braces_render_as_literal_braces(client):
    template = await new_template(client, image_prompt="{{style}} is {style}", style="noir")

    rendered = await _render(client, template["id"])

    assert (rendered["image_prompt"], rendered["missing"]) == ("{style} is noir", [])


async def test_trigger_words_already_in_the_prompt_are_not_repeated(client):
    character = await new_character(client, name="Mira", trigger_words=["Red Coat", "mira_tw"])
    template = await new_template(client, image_prompt="a woman in a red coat")

    rendered = await _render(client, template["id"], character_id=character["id"])

    assert rendered["image_prompt"] == "mira_tw, a woman in a red coat"


async def test_an_explicit_character_overrides_the_clips(client):
    clip_character = await new_character(client, name="Mira", trigger_words=["mira_tw"])
    chosen = await new_character(client, name="Theo", trigger_words=["theo_tw"])
    clip = await _clip(client, character_id=clip_character["id"])
    template = await new_template(client, image_prompt="{character} dancing")

    rendered = await _render(client, template["id"], clip_id=clip["id"], character_id=chosen["id"])

    assert rendered["image_prompt"] == "theo_tw, Theo dancing"


async def test_a_clip_without_a_character_leaves_character_missing(client):
    clip = await _clip(client, lyrics=None)
    template = await new_template(client, image_prompt="{character}: {lyrics}.")

    rendered = await _render(client, template["id"], clip_id=clip["id"])

    assert (rendered["image_prompt"], rendered["missing"]) == ("{character}: .", ["character"])


async def test_render_with_an_unknown_clip_or_character_is_a_404(client):
    template = await new_template(client, image_prompt="{lyrics}")

    for body in ({"clip_id": "nope"}, {"character_id": "nope"}):
        response = await client.post(f"{API}/templates/{template['id']}/render", json=body)
        assert (await error_of(response, 404))["code"] == "RESOURCE_NOT_FOUND"
