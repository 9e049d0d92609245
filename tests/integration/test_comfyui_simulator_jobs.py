"""Today's jobs API on the simulator: one job in each state, the filtered and paginated list, cancelling."""

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from simulators.comfyui import SimulatorConfig
from tests.integration.simulator_support import (
    SimulatorClient, error_workflow, image_workflow, new_prompt_id, next_of_type, running_simulator,
    slow_workflow, until_done,
)


@pytest.fixture
async def sim(tmp_path: Path) -> AsyncIterator[SimulatorClient]:
    async with running_simulator(SimulatorConfig(root=tmp_path, node_latency={"ImageBlur": 0.4})) as client:
        yield client


async def _get(sim: SimulatorClient, path: str) -> tuple[int, dict]:
    async with sim.session.get(path) as response:
        return response.status, await response.json()


async def _slow_pair(sim: SimulatorClient) -> tuple[str, str, str, aiohttp.ClientWebSocketResponse]:
    """A slow prompt running its blur and a second one pending: (client_id, running, pending, socket)."""
    client_id = uuid.uuid4().hex
    socket, _ = await sim.connect(client_id)
    running = (await sim.queue_prompt(slow_workflow("a"), client_id))["prompt_id"]
    pending = (await sim.queue_prompt(slow_workflow("b", color=9), client_id))["prompt_id"]
    await next_of_type(socket, "executing", node="2", prompt_id=running)
    return client_id, running, pending, socket


async def test_a_completed_job_has_its_outputs_status_and_workflow(sim):
    prompt_id, _ = await sim.run(image_workflow())
    status, job = await _get(sim, f"/api/jobs/{prompt_id}")
    assert status == 200 and (job["id"], job["status"], job["priority"]) == (prompt_id, "completed", 0)
    [image] = job["outputs"]["2"]["images"]
    assert job["preview_output"] == {**image, "nodeId": "2", "mediaType": "images"}
    assert (job["outputs_count"], job["previewable_outputs_count"]) == (1, 1)
    assert (job["completion_status"], job["has_errors"], job["execution_error_count"]) == ("success", False, 0)
    assert job["create_time"] <= job["execution_start_time"] <= job["execution_end_time"]
    assert job["execution_status"]["status_str"] == "success" and job["execution_errors"] == []
    assert job["workflow"]["prompt"] == image_workflow()
    assert job["workflow"]["extra_data"]["create_time"] == job["create_time"]
    assert "execution_error" not in job and "workflow_id" not in job
    assert (await _get(sim, f"/api/api/jobs/{prompt_id}"))[0] == 200  # /api is prefixed onto /api/jobs too
    async with sim.session.get(f"/jobs/{prompt_id}") as response:
        assert response.status == 404


async def test_a_failed_job_carries_its_execution_error(sim):
    prompt_id, _ = await sim.run(error_workflow())
    _, job = await _get(sim, f"/api/jobs/{prompt_id}")
    assert job["status"] == "failed" and job["execution_error"]["node_id"] == "2"
    assert (job["has_errors"], job["execution_error_count"], job["outputs"]) == (True, 1, {})
    assert "completion_status" not in job and "preview_output" not in job


async def test_running_and_pending_jobs_and_an_interrupted_one_that_is_cancelled(sim):
    client_id, running, pending, socket = await _slow_pair(sim)
    _, job = await _get(sim, f"/api/jobs/{running}")
    assert (job["status"], job["outputs_count"], job["previewable_outputs_count"]) == ("in_progress", 0, 0)
    assert job["workflow"] == {"prompt": slow_workflow("a"), "extra_data": {
        "client_id": client_id, "create_time": job["create_time"]}}
    assert (await _get(sim, f"/api/jobs/{pending}"))[1]["status"] == "pending"
    await sim.post_json("/interrupt", {"prompt_id": running})
    await until_done(socket, running)
    _, job = await _get(sim, f"/api/jobs/{running}")
    assert job["status"] == "cancelled" and job["has_errors"] is False
    await until_done(socket, pending)


async def test_an_unknown_job_is_404(sim):
    assert await _get(sim, f"/api/jobs/{uuid.uuid4()}") == (404, {"error": "Job not found"})
    assert await _get(sim, "/api/jobs/not-a-uuid") == (404, {"error": "Job not found"})


async def test_the_list_filters_sorts_and_paginates(sim):
    done = [(await sim.run(image_workflow(prefix=f"l{i}", color=i)))[0] for i in range(3)]
    failed, _ = await sim.run(error_workflow())
    _, page = await _get(sim, "/api/jobs")
    assert [job["id"] for job in page["jobs"]] == [failed, *reversed(done)]  # newest first
    assert page["pagination"] == {"offset": 0, "limit": None, "total": 4, "has_more": False}
    assert "outputs" not in page["jobs"][0] and "workflow" not in page["jobs"][0]
    _, page = await _get(sim, "/api/jobs?status=failed")
    assert [job["id"] for job in page["jobs"]] == [failed]
    _, page = await _get(sim, "/api/jobs?status=completed,FAILED&sort_order=asc&limit=2&offset=1")
    assert [job["id"] for job in page["jobs"]] == done[1:]
    assert page["pagination"] == {"offset": 1, "limit": 2, "total": 4, "has_more": True}
    _, page = await _get(sim, "/api/jobs?offset=-5&sort_by=execution_duration")
    assert page["pagination"]["offset"] == 0 and len(page["jobs"]) == 4


async def test_the_list_shows_running_and_pending_jobs(sim):
    _, running, pending, socket = await _slow_pair(sim)
    _, page = await _get(sim, "/api/jobs?status=in_progress,pending&sort_order=asc")
    assert [(job["id"], job["status"]) for job in page["jobs"]] == [(running, "in_progress"), (pending, "pending")]
    await until_done(socket, pending)


@pytest.mark.parametrize(("query", "error"), [
    ("status=bogus", "Invalid status value(s): bogus. Valid values: pending, in_progress, completed, failed, "
                     "cancelled"),
    ("sort_by=name", "sort_by must be 'created_at' or 'execution_duration'"),
    ("sort_order=up", "sort_order must be 'asc' or 'desc'"),
    ("limit=0", "limit must be a positive integer"),
    ("limit=ten", "limit must be an integer"),
    ("offset=x", "offset must be an integer"),
])
async def test_bad_list_parameters_are_400(sim, query, error):
    assert await _get(sim, f"/api/jobs?{query}") == (400, {"error": error})


async def test_cancelling_the_running_job_interrupts_it_and_a_pending_one_dequeues_it(sim):
    _, running, pending, socket = await _slow_pair(sim)
    assert await sim.post_json(f"/api/jobs/{pending}/cancel", None) == (200, {"cancelled": True})
    assert await sim.post_json(f"/api/jobs/{running}/cancel", None) == (200, {"cancelled": True})
    await until_done(socket, running)
    assert (await _get(sim, f"/api/jobs/{running}"))[1]["status"] == "cancelled"
    assert (await _get(sim, f"/api/jobs/{pending}"))[0] == 404  # never ran, never reached history
    assert await sim.get_json("/queue") == {"queue_running": [], "queue_pending": []}


async def test_cancelling_a_finished_or_unknown_job_is_a_200_no_op(sim):
    finished, _ = await sim.run(image_workflow())
    for job_id in (finished, new_prompt_id(), "not-a-uuid"):
        assert await sim.post_json(f"/api/jobs/{job_id}/cancel", None) == (200, {"cancelled": False})
    assert (await _get(sim, f"/api/jobs/{finished}"))[1]["status"] == "completed"


async def test_batch_cancel_cancels_what_it_can_and_refuses_malformed_ids(sim):
    finished, _ = await sim.run(image_workflow())
    _, running, pending, socket = await _slow_pair(sim)
    assert await sim.post_json("/api/jobs/cancel", {"job_ids": [finished, new_prompt_id()]}) == (
        200, {"cancelled": False})
    assert await sim.post_json("/api/jobs/cancel", {"job_ids": [finished, pending]}) == (200, {"cancelled": True})
    status, body = await sim.post_json("/api/jobs/cancel", {"job_ids": [running, "nope", 3, {"a": 1}]})
    assert (status, body) == (400, {"error": "job_ids contains invalid id(s)",
                                    "invalid_ids": ["nope", "3", "{'a': 1}"]})
    assert await sim.post_json("/api/jobs/cancel", {"job_ids": "x"}) == (400, {"error": "job_ids must be a list"})
    async with sim.session.post("/api/jobs/cancel", data="{") as response:
        assert (response.status, await response.json()) == (400, {"error": "Request body must be valid JSON"})
    assert (await _get(sim, f"/api/jobs/{running}"))[1]["status"] == "in_progress"  # the refused batch did nothing
    await until_done(socket, running)
