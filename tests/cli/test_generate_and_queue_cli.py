"""`storycanvas servers ...`, `generate` and `queue ...` against the ComfyUI simulator."""

import signal
import subprocess
import sys
import tempfile

import pytest

from tests.cli.cli_support import ok, ok_json, one_error_line, storycanvas
from tests.integration.serve_support import environment, wait_until

pytestmark = pytest.mark.timeout(180)


async def _board(settings, clips: int = 2) -> tuple[str, str]:
    project_id = await ok(settings, "projects", "create", "Generated")
    scene = await ok(settings, "scenes", "add", project_id, "Intro")
    for number in range(clips):
        await ok(settings, "clips", "add", scene, f"shot {number}", "--length", "1", "--image-prompt", "a red car")
    return project_id, scene


async def test_servers_are_added_listed_and_asked_for_models_then_removed(cli_settings, simulator):
    added = await ok_json(cli_settings, "servers", "add", simulator.url, "--name", "sim", "--capacity", "2")
    listed = await ok_json(cli_settings, "servers", "list")
    assert [(s["id"], s["health"]["status"]) for s in listed] == [(added["id"], "up")]
    assert "sim" in await ok(cli_settings, "servers", "list")
    models = await ok_json(cli_settings, "servers", "models", added["id"])
    assert models["checkpoints"]
    assert await ok_json(cli_settings, "servers", "remove", added["id"]) == {"server_id": added["id"]}
    assert await ok_json(cli_settings, "servers", "list") == []


async def test_a_server_that_does_not_answer_is_refused_and_unknown_ids_are_exit_3(cli_settings):
    assert one_error_line(await storycanvas(cli_settings, "servers", "add", "http://127.0.0.1:9"), 1)
    for command in (["servers", "remove", "nope"], ["servers", "models", "nope"]):
        assert "not found" in one_error_line(await storycanvas(cli_settings, *command), 3)


async def test_generate_wait_runs_every_job_to_a_take_with_a_bar_each(cli_settings, simulator):
    await ok(cli_settings, "servers", "add", simulator.url)
    project_id, _ = await _board(cli_settings)
    result = await storycanvas(cli_settings, "generate", project_id, "--wait")
    assert result.exit_code == 0, result.output
    assert "2 job(s) completed" in result.stdout and "batch: 2/2 ended" in result.stdout
    assert "2 job(s) queued" in result.stderr
    board = await ok_json(cli_settings, "projects", "show", project_id)
    assert all(len(clip["generated_images"]) == 1 for clip in board["scenes"][0]["clips"])


async def test_generate_json_with_wait_lists_the_ended_jobs(cli_settings, simulator):
    await ok(cli_settings, "servers", "add", simulator.url)
    project_id, scene = await _board(cli_settings, clips=3)
    jobs = await ok_json(cli_settings, "generate", project_id, "--scene", scene, "--wait")
    assert [job["status"] for job in jobs] == ["completed"] * 3


async def test_queued_jobs_are_counted_cancelled_retried_and_watched(cli_settings, simulator):
    project_id, _ = await _board(cli_settings)
    queued = await ok_json(cli_settings, "generate", project_id)
    assert queued["count"] == 2
    assert (await ok_json(cli_settings, "queue", "status"))["counts"]["pending"] == 2
    assert "pending" in await ok(cli_settings, "queue", "status")

    first = queued["job_ids"][0]
    assert (await ok_json(cli_settings, "queue", "cancel", first))["status"] == "cancelled"
    assert (await ok_json(cli_settings, "queue", "retry", first))["status"] == "pending"

    paused = await ok_json(cli_settings, "queue", "pause")
    assert paused["paused"] is True and (await ok_json(cli_settings, "queue", "status"))["paused"] is True
    assert (await ok_json(cli_settings, "queue", "resume"))["paused"] is False

    await ok(cli_settings, "servers", "add", simulator.url)
    jobs = await ok_json(cli_settings, "queue", "watch", "--batch", queued["batch_id"])
    assert sorted(job["id"] for job in jobs) == sorted(queued["job_ids"])
    assert {job["status"] for job in jobs} == {"completed"}
    assert "no job waiting or running" in await ok(cli_settings, "queue", "watch")


async def test_a_server_is_paused_and_resumed_alone(cli_settings, simulator):
    server = await ok(cli_settings, "servers", "add", simulator.url)
    assert (await ok_json(cli_settings, "queue", "pause", "--server", server))["paused_servers"] == [server]
    assert (await ok_json(cli_settings, "queue", "resume", "--server", server))["paused_servers"] == []


@pytest.mark.parametrize("command", [["generate", "nope"], ["queue", "cancel", "nope"], ["queue", "retry", "nope"],
                                     ["queue", "watch", "--batch", "nope"], ["queue", "pause", "--server", "nope"]])
async def test_unknown_ids_are_exit_3(cli_settings, command):
    assert "not found" in one_error_line(await storycanvas(cli_settings, *command), 3)


async def test_a_scene_of_another_project_is_not_found(cli_settings):
    project_id, _ = await _board(cli_settings, clips=0)
    _, other_scene = await _board(cli_settings, clips=1)
    line = one_error_line(await storycanvas(cli_settings, "generate", project_id, "--scene", other_scene), 3)
    assert other_scene in line


async def test_an_unknown_model_is_refused(cli_settings):
    project_id, _ = await _board(cli_settings, clips=1)
    assert one_error_line(await storycanvas(cli_settings, "generate", project_id, "--model", "nope"), 3)


async def test_ctrl_c_stops_watching_and_the_jobs_stay_queued(cli_settings):
    project_id, _ = await _board(cli_settings)  # no server registered: the jobs wait
    env = environment(cli_settings.data_dir, MONGO_URL=cli_settings.mongo_url, DB_NAME=cli_settings.db_name)
    with tempfile.TemporaryFile() as stderr:
        process = subprocess.Popen([sys.executable, "-m", "entrypoints.cli", "generate", project_id, "--wait"],
                                   env=env, stdout=subprocess.DEVNULL, stderr=stderr)
        try:
            assert wait_until(lambda: _read(stderr).count("queued") > 0, 60), _read(stderr)
            process.send_signal(signal.SIGINT)
            assert process.wait(timeout=30) == 130
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        output = _read(stderr)
    assert "Traceback" not in output
    line = output.strip().splitlines()[-1]
    assert line.startswith("storycanvas: stopped watching: the jobs of batch ") and "stay queued" in line
    assert (await ok_json(cli_settings, "queue", "status"))["counts"]["pending"] == 2


def _read(file) -> str:  # type: ignore[no-untyped-def]
    file.seek(0)
    return file.read().decode()
