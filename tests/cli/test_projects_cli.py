"""`storycanvas projects list|show|create|rename|delete` on the real database."""

import pytest

from tests.cli.cli_support import ok, ok_json, one_error_line, storycanvas

pytestmark = pytest.mark.timeout(120)


async def test_create_list_show_rename_delete(cli_settings):
    project_id = await ok(cli_settings, "projects", "create", "Night Drive", "--description", "a road movie")
    listed = await ok_json(cli_settings, "projects", "list")
    assert listed["total"] == 1 and listed["items"][0]["id"] == project_id
    assert "Night Drive" in await ok(cli_settings, "projects", "list")

    shown = await ok_json(cli_settings, "projects", "show", project_id)
    assert shown["name"] == "Night Drive" and shown["scenes"] == []

    renamed = await ok_json(cli_settings, "projects", "rename", project_id, "Day Drive")
    assert renamed["name"] == "Day Drive" and renamed["description"] == "a road movie"

    deleted = await ok_json(cli_settings, "projects", "delete", project_id, "--yes")
    assert deleted["project_id"] == project_id
    assert (await ok_json(cli_settings, "projects", "list"))["total"] == 0


async def test_delete_asks_first_and_keeps_the_project_when_refused(cli_settings):
    project_id = await ok(cli_settings, "projects", "create", "Keep me")
    refused = await storycanvas(cli_settings, "projects", "delete", project_id, input="n\n")
    assert refused.exit_code == 1
    assert (await ok_json(cli_settings, "projects", "list"))["total"] == 1


@pytest.mark.parametrize("command", [["show", "nope"], ["rename", "nope", "x"], ["delete", "nope", "--yes"]])
async def test_an_unknown_project_is_exit_3_with_one_line(cli_settings, command):
    line = one_error_line(await storycanvas(cli_settings, "projects", *command), 3)
    assert "Project with id 'nope' not found" in line


async def test_a_name_the_rules_refuse_is_a_usage_error(cli_settings):
    line = one_error_line(await storycanvas(cli_settings, "projects", "create", "x" * 201), 2)
    assert "name" in line


@pytest.mark.parametrize("command", [[], ["projects"], ["projects", "list"], ["scenes", "add"], ["clips", "move"],
                                     ["export"], ["bundle", "import"], ["generate"], ["queue", "watch"],
                                     ["servers", "add"], ["doctor"], ["serve"]])
async def test_every_command_has_help(command):
    result = await storycanvas(None, *command, "--help")
    assert result.exit_code == 0 and "Usage: storycanvas" in result.stdout


async def test_a_missing_argument_is_exit_2():
    result = await storycanvas(None, "projects", "show")
    assert result.exit_code == 2 and "Missing argument" in result.stderr
