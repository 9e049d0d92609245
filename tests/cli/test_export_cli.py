"""`storycanvas export PROJECT --format ... -o FILE`: the export use case, written to a file."""

import json

import pytest

from application.ports.timeline_exporter import ExportFormat
from tests.cli.cli_support import ok, ok_json, one_error_line, storycanvas

pytestmark = pytest.mark.timeout(120)


async def _project(settings) -> str:
    project_id = await ok(settings, "projects", "create", "Cut")
    scene = await ok(settings, "scenes", "add", project_id, "Intro")
    await ok(settings, "clips", "add", scene, "A", "--length", "2")
    await ok(settings, "clips", "add", scene, "B", "--length", "3")
    return project_id


@pytest.mark.parametrize("format_", [f.value for f in ExportFormat])
async def test_every_format_is_written_to_the_file(cli_settings, tmp_path, format_):
    project_id = await _project(cli_settings)
    target = tmp_path / f"cut.{format_}"
    written = await ok_json(cli_settings, "export", project_id, "--format", format_, "--fps", "25", "-o", str(target))
    assert written == {"project_id": project_id, "format": format_, "path": str(target),
                       "size": target.stat().st_size}
    assert target.stat().st_size > 0
    if format_ == "json":
        assert json.loads(target.read_text())


async def test_the_line_names_what_was_written(cli_settings, tmp_path):
    project_id = await _project(cli_settings)
    line = await ok(cli_settings, "export", project_id, "--format", "edl", "-o", str(tmp_path / "cut.edl"))
    assert line.startswith(f"wrote {tmp_path / 'cut.edl'}")


async def test_a_path_that_cannot_be_written_is_one_line(cli_settings, tmp_path):
    project_id = await _project(cli_settings)
    (tmp_path / "a-file").write_text("")
    target = tmp_path / "a-file" / "cut.edl"
    line = one_error_line(await storycanvas(cli_settings, "export", project_id, "--format", "edl", "-o", str(target)), 1)
    assert f"cannot write {target}" in line


async def test_unknown_project_format_and_fps(cli_settings, tmp_path):
    out = str(tmp_path / "x")
    assert "Project with id 'nope'" in one_error_line(
        await storycanvas(cli_settings, "export", "nope", "--format", "edl", "-o", out), 3)
    assert (await storycanvas(cli_settings, "export", "nope", "--format", "avi", "-o", out)).exit_code == 2
    project_id = await _project(cli_settings)
    one_error_line(await storycanvas(cli_settings, "export", project_id, "--format", "edl", "--fps", "7.3", "-o", out),
                   2)
