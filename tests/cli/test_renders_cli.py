"""`storycanvas lyrics`, `storyboard` and `animatic`: the renders' use cases, written to files."""

from pathlib import Path

import pytest

from tests.cli.cli_support import ok, ok_json, one_error_line, storycanvas

pytestmark = pytest.mark.timeout(240)
LYRICS = Path(__file__).resolve().parents[2] / "examples" / "night_drive.lrc"


async def test_lyrics_make_a_clip_per_line_then_a_sheet_and_an_animatic_are_written(cli_settings, tmp_path):
    project_id = await ok(cli_settings, "projects", "create", "Night Drive")
    imported = await ok_json(cli_settings, "lyrics", project_id, str(LYRICS))
    assert [clip["lyrics"] for clip in imported["clips"]][:2] == ["Headlights cut the empty road",
                                                                  "Neon signs in a sleeping town"]
    assert len(imported["clips"]) == 5

    sheet = await ok_json(cli_settings, "storyboard", project_id, "-o", str(tmp_path / "board.pdf"),
                          "--layout", "2x3")
    assert sheet["pages"] >= 1 and (tmp_path / "board.pdf").read_bytes().startswith(b"%PDF")

    video = await ok_json(cli_settings, "animatic", project_id, "-o", str(tmp_path / "board.mp4"),
                          "--width", "160", "--height", "90", "--fps", "25")
    assert video["size"] == (tmp_path / "board.mp4").stat().st_size > 0


@pytest.mark.parametrize("command", [["storyboard", "nope", "-o", "x.pdf"], ["animatic", "nope", "-o", "x.mp4"],
                                     ["lyrics", "nope", str(LYRICS)]])
async def test_an_unknown_project_is_exit_3(cli_settings, command):
    assert "Project with id 'nope'" in one_error_line(await storycanvas(cli_settings, *command), 3)


async def test_an_unwritable_sheet_path_is_one_line(cli_settings, tmp_path):
    project_id = await ok(cli_settings, "projects", "create", "Night Drive")
    target = tmp_path / "missing" / "board.pdf"
    assert f"cannot write {target}" in one_error_line(
        await storycanvas(cli_settings, "storyboard", project_id, "-o", str(target)), 1)
