"""`storycanvas scenes add|list|move` and `clips add|list|move`: quick edits of a board."""

import pytest

from tests.cli.cli_support import ok, ok_json, one_error_line, storycanvas

pytestmark = pytest.mark.timeout(120)


async def test_scenes_are_added_listed_and_moved(cli_settings):
    project_id = await ok(cli_settings, "projects", "create", "Board")
    first = await ok(cli_settings, "scenes", "add", project_id, "Intro")
    second = await ok(cli_settings, "scenes", "add", project_id, "Chorus", "--description", "loud")
    assert [s["id"] for s in await ok_json(cli_settings, "scenes", "list", project_id)] == [first, second]

    moved = await ok_json(cli_settings, "scenes", "move", second, "0")
    assert moved["order"] == 0
    listed = await ok_json(cli_settings, "scenes", "list", project_id)
    assert [(s["id"], s["order"]) for s in listed] == [(second, 0), (first, 1)]
    assert "Chorus" in await ok(cli_settings, "scenes", "list", project_id)


async def test_clips_are_added_listed_and_moved_between_scenes(cli_settings):
    project_id = await ok(cli_settings, "projects", "create", "Board")
    intro = await ok(cli_settings, "scenes", "add", project_id, "Intro")
    outro = await ok(cli_settings, "scenes", "add", project_id, "Outro")
    clip = await ok_json(cli_settings, "clips", "add", intro, "Headlights", "--length", "4", "--lyrics", "la la",
                         "--image-prompt", "a car at night")
    second = await ok(cli_settings, "clips", "add", intro, "Road", "--length", "3")
    listed = await ok_json(cli_settings, "clips", "list", intro)
    assert [(c["id"], c["timeline_position"], c["length"]) for c in listed] == [(clip["id"], 0.0, 4.0),
                                                                               (second, 4.0, 3.0)]
    assert clip["lyrics"] == "la la" and clip["image_prompt"] == "a car at night"

    moved = await ok_json(cli_settings, "clips", "move", second, "1.5", "--scene", outro)
    assert (moved["scene_id"], moved["timeline_position"]) == (outro, 1.5)
    assert [c["id"] for c in await ok_json(cli_settings, "clips", "list", outro)] == [second]
    assert "Headlights" in await ok(cli_settings, "clips", "list", intro)


async def test_an_overlapping_move_fails_with_one_line(cli_settings):
    project_id = await ok(cli_settings, "projects", "create", "Board")
    scene = await ok(cli_settings, "scenes", "add", project_id, "Intro")
    await ok(cli_settings, "clips", "add", scene, "A", "--length", "4")
    second = await ok(cli_settings, "clips", "add", scene, "B", "--length", "2")
    line = one_error_line(await storycanvas(cli_settings, "clips", "move", second, "1"), 1)
    assert "overlaps" in line


@pytest.mark.parametrize("command, kind", [
    (["scenes", "add", "nope", "Intro"], "Project"), (["scenes", "list", "nope"], "Project"),
    (["scenes", "move", "nope", "1"], "Scene"), (["clips", "add", "nope", "A"], "Scene"),
    (["clips", "list", "nope"], "Scene"), (["clips", "move", "nope", "1"], "Clip"),
])
async def test_unknown_ids_are_exit_3(cli_settings, command, kind):
    assert f"{kind} with id 'nope' not found" in one_error_line(await storycanvas(cli_settings, *command), 3)


async def test_bad_values_are_usage_errors(cli_settings):
    assert (await storycanvas(cli_settings, "scenes", "move", "x", "-1")).exit_code == 2
    assert (await storycanvas(cli_settings, "clips", "add", "x", "A", "--length", "long")).exit_code == 2
    line = one_error_line(await storycanvas(cli_settings, "clips", "add", "x", "A", "--length", "0"), 2)
    assert "length" in line
