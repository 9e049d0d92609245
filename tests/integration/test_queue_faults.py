"""Fault drills for the durable queue (SPEC 6 and 9), every part in its own process on loopback: simulated
ComfyUI servers, `storycanvas serve` instances (3 s job leases, 0.1 s ticks) and the database.

Each drill checks what a user and an operator can observe through the API and the simulators' stats: every
job ends completed, each job's prompt reached a server once (twice only when a failed attempt was retried),
and each clip's gallery holds exactly one take per job.
"""

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from uuid import uuid4

import aiohttp
import pytest

from adapters.mongo.embedded_server import EmbeddedSecantus
from tests.integration.queue_support import (
    Api, Lab, Simulator, all_final, assert_one_take_per_clip, final, generate, new_clips, prompts_by_job,
    prompts_posted, register, run_more_than_once, running_on, takes_by_clip, wait_until,
)

pytestmark = pytest.mark.timeout(180)


@asynccontextmanager
async def open_lab(directory: Path, mongo_url: str) -> AsyncIterator[Lab]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=20)) as session:
        lab = Lab(directory, mongo_url, f"faults_{uuid4().hex[:12]}", session)
        try:
            yield lab
        finally:
            lab.close()
            print(lab.logs())  # shown by pytest when the test failed


@pytest.fixture
async def lab(tmp_path: Path, secantus_url: str) -> AsyncIterator[Lab]:
    async with open_lab(tmp_path, secantus_url) as lab:
        yield lab


# A ComfyUI server dying mid-job

async def test_a_simulator_killed_mid_job_its_job_completes_on_the_other(lab: Lab):
    """JOB_TIMEOUT_S stays long (120 s; long video jobs need it): the dead server must be noticed some other way."""
    simulators = [await lab.simulator("sim-a", ksampler_s=3), await lab.simulator("sim-b", ksampler_s=3)]
    api = await lab.api("api")
    servers = await register(api, simulators)
    _, [clip_id] = await new_clips(api, 1)
    [job_id] = await generate(api, [clip_id])

    running = await wait_until(lambda: running_on(api, job_id, servers), 20, "the job runs")
    doomed = servers[running["server_id"]]
    [survivor] = [s for s in simulators if s is not doomed]
    doomed.kill()

    done = await wait_until(lambda: final(api, job_id), 30, "the job of the killed simulator is final")
    assert done["status"] == "completed" and servers[done["server_id"]] is survivor, done
    [prompt] = (await prompts_by_job([survivor], [job_id]))[job_id]
    assert prompt["status"] == "success"
    [take] = (await api.clip(clip_id))["generated_images"]
    assert take["url"] == done["result_url"] and servers[take["server_id"]] is survivor


# API instances racing, stalling, dying

async def test_two_api_instances_on_one_database_run_every_job_exactly_once(lab: Lab):
    simulators = [await lab.simulator(f"sim-{i}", capacity=2, ksampler_s=0.2) for i in range(2)]
    first, second = await lab.api("api-1"), await lab.api("api-2")
    await register(first, simulators, capacity=2)
    project_id, clip_ids = await new_clips(first, 40)
    job_ids = await generate(first, clip_ids[:20]) + await generate(second, clip_ids[20:])

    jobs = await wait_until(lambda: all_final(second, project_id, 40), 90, "all 40 jobs are final")
    assert {j["status"] for j in jobs} == {"completed"} and {j["id"] for j in jobs} == set(job_ids)
    assert all(j["retry_count"] == 0 for j in jobs)
    prompts = await prompts_by_job(simulators, [j["id"] for j in jobs])
    assert set(prompts) == set(job_ids)
    assert not run_more_than_once(prompts)
    assert await prompts_posted(simulators) == 40, "no prompt id was posted twice"
    assert_one_take_per_clip(await takes_by_clip(first, clip_ids), jobs)


async def test_an_api_instance_stalled_past_its_leases_files_nothing_twice_beside_its_successor(lab: Lab):
    """The dispatching instance stalls (SIGSTOP: a long GC pause, a starved VM) while its prompts run; a second
    instance takes the queue over and adopts or settles them; then the stalled one wakes up, its runners still
    following those prompts."""
    simulators = [await lab.simulator(f"sim-{i}", capacity=2, ksampler_s=4) for i in range(2)]
    stalled = await lab.api("api-stalled", scheduler_prefetch=0)  # strict capacity: four run, two wait
    await register(stalled, simulators, capacity=2)
    project_id, clip_ids = await new_clips(stalled, 6)
    job_ids = await generate(stalled, clip_ids)

    async def four_running() -> list[dict]:
        running = [j for j in await stalled.jobs(project_id) if j["status"] == "processing"]
        return running if len(running) == 4 else []

    running = await wait_until(four_running, 20, "four jobs run")
    successor = await lab.api("api-successor", scheduler_prefetch=0)
    stalled.child.freeze()
    try:
        await wait_until(lambda: _taken_over(successor, running), 20, "the successor took the running jobs over")
    finally:
        stalled.child.thaw()

    jobs = await wait_until(lambda: all_final(successor, project_id, 6), 60, "all 6 jobs are final")
    assert {j["status"] for j in jobs} == {"completed"}
    prompts = await prompts_by_job(simulators, [j["id"] for j in jobs])
    assert set(prompts) == set(job_ids) and not run_more_than_once(prompts)
    assert await prompts_posted(simulators) == 6
    await stalled.call("GET", "/health")  # it runs again (and its runners did, while the last jobs ran)
    assert_one_take_per_clip(await takes_by_clip(successor, clip_ids), jobs)


async def _taken_over(successor: Api, running: list[dict]) -> bool:
    """True once none of the `running` jobs is still leased to the instance that ran them."""
    owners = {j["id"]: j["lease_owner"] for j in running}
    now = [await successor.job(job_id) for job_id in owners]
    return all(j["status"] != "processing" or j["lease_owner"] != owners[j["id"]] for j in now)


async def test_an_api_instance_killed_mid_dispatch_loses_nothing_and_runs_nothing_twice(lab: Lab):
    """When the successor recovers, the fast simulator's prompts have finished (settled from its history) and
    the slow one's still runs (adopted); the jobs still waiting are dispatched as usual."""
    fast = await lab.simulator("sim-fast", capacity=2, ksampler_s=0.8)
    slow = await lab.simulator("sim-slow", capacity=1, ksampler_s=8)
    doomed = await lab.api("api-doomed")
    servers = await register(doomed, [fast], capacity=2) | await register(doomed, [slow], capacity=1)
    project_id, clip_ids = await new_clips(doomed, 8)
    job_ids = await generate(doomed, clip_ids)

    async def one_running_on_the_slow_one() -> dict | None:
        for job_id in job_ids:
            running = await running_on(doomed, job_id, servers)
            if running and servers[running["server_id"]] is slow:
                return running
        return None

    adoptable = await wait_until(one_running_on_the_slow_one, 20, "a job runs on the slow simulator")
    doomed.kill()
    successor = await lab.api("api-successor")

    jobs = await wait_until(lambda: all_final(successor, project_id, 8), 90, "all 8 jobs are final")
    assert {j["status"] for j in jobs} == {"completed"}, "nothing lost"
    prompts = await prompts_by_job([fast, slow], [j["id"] for j in jobs])
    assert set(prompts) == set(job_ids)
    assert not run_more_than_once(prompts)
    assert await prompts_posted([fast, slow]) == 8, "no prompt id was posted twice"
    [adopted] = [j for j in jobs if j["id"] == adoptable["id"]]
    assert adopted["server_id"] == adoptable["server_id"], "the prompt still running was adopted"
    assert [p["prompt_id"] for p in prompts[adopted["id"]]] == [adoptable["prompt_id"]]
    assert_one_take_per_clip(await takes_by_clip(successor, clip_ids), jobs)


async def test_a_prompt_running_on_a_paused_server_is_adopted_after_its_api_instance_dies(lab: Lab):
    """Pausing a server stops new dispatch to it; the prompt it runs is still there to be adopted."""
    slow, other = await lab.simulator("sim-slow", ksampler_s=8), await lab.simulator("sim-other", ksampler_s=0.3)
    doomed = await lab.api("api-doomed")
    servers = await register(doomed, [slow, other])
    server_of = {simulator.name: server_id for server_id, simulator in servers.items()}
    await doomed.call("POST", "/queue/pause", {"server_id": server_of["sim-other"]})  # the job goes to sim-slow
    _, [clip_id] = await new_clips(doomed, 1)
    [job_id] = await generate(doomed, [clip_id])
    running = await wait_until(lambda: running_on(doomed, job_id, servers), 20, "the job runs")
    await doomed.call("POST", "/queue/resume", {"server_id": server_of["sim-other"]})
    await doomed.call("POST", "/queue/pause", {"server_id": server_of["sim-slow"]})
    doomed.kill()
    successor = await lab.api("api-successor")

    done = await wait_until(lambda: final(successor, job_id), 30, "the job is final")
    assert done["status"] == "completed", done
    prompts = (await prompts_by_job([slow, other], [job_id]))[job_id]
    assert [(p["simulator"], p["prompt_id"]) for p in prompts] == [("sim-slow", running["prompt_id"])], (
        "the prompt still running on the paused server was run again elsewhere")
    [take] = (await successor.clip(clip_id))["generated_images"]
    assert take["url"] == done["result_url"]


# The database restarting

@pytest.fixture
def own_database(tmp_path: Path) -> Iterator[EmbeddedSecantus]:
    """A SecantusDB this test may stop and start again on the same port and data directory."""
    server = EmbeddedSecantus(tmp_path / "restartable-db")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.parametrize("outage_s", [4, 12], ids=["outage-past-the-job-leases", "outage-past-server-selection"])
async def test_workers_resume_after_the_database_restarts(tmp_path: Path, own_database: EmbeddedSecantus,
                                                          outage_s: float):
    """4 s outlasts every job lease (3 s); 12 s also outlasts the client's server selection timeout (10 s), so
    database calls fail instead of waiting: ticks fail, runners die, and their jobs are recovered."""
    async with open_lab(tmp_path / "lab", own_database.url) as lab:
        simulators = [await lab.simulator(f"sim-{i}", capacity=2, ksampler_s=1.0) for i in range(2)]
        api = await lab.api("api")
        await register(api, simulators, capacity=2)
        project_id, clip_ids = await new_clips(api, 12)
        job_ids = await generate(api, clip_ids)

        async def some_done_some_running() -> bool:
            statuses = [j["status"] for j in await api.jobs(project_id)]
            return statuses.count("completed") >= 2 and statuses.count("processing") >= 2

        await wait_until(some_done_some_running, 30, "some jobs completed while others run")
        own_database.stop()  # SIGTERM mid-run; the prompts already sent go on running on the simulators
        stopped = time.monotonic()
        await wait_until(lambda: _idle(simulators), 15, "the prompts sent before the outage finish")
        await asyncio.sleep(max(0.0, outage_s - (time.monotonic() - stopped)))
        own_database.start()  # same port, same data directory

        jobs = await wait_until(lambda: all_final(api, project_id, 12), 90, "all 12 jobs are final")
        assert {j["status"] for j in jobs} == {"completed"}, "no job lost"
        prompts = await prompts_by_job(simulators, [j["id"] for j in jobs])
        assert set(prompts) == set(job_ids)
        assert not run_more_than_once(prompts)
        assert_one_take_per_clip(await takes_by_clip(api, clip_ids), jobs)


async def _idle(simulators: list[Simulator]) -> bool:
    stats = [await simulator.stats() for simulator in simulators]
    return all(prompt["finished"] is not None for each in stats for prompt in each["prompts"])


# A dropped socket and a hung prompt

async def test_a_dropped_comfyui_socket_mid_job_still_completes_from_history(lab: Lab):
    simulators = [await lab.simulator(f"sim-{i}", ksampler_s=1.5) for i in range(2)]
    api = await lab.api("api")
    servers = await register(api, simulators)
    _, [clip_id] = await new_clips(api, 1)
    [job_id] = await generate(api, [clip_id])

    running = await wait_until(lambda: running_on(api, job_id, servers), 20, "the job runs")
    simulator = servers[running["server_id"]]
    await simulator.arm("drop_socket")  # fires before the node after the sampler: every socket is closed

    done = await wait_until(lambda: final(api, job_id), 30, "the job is final")
    assert done["status"] == "completed" and done["retry_count"] == 0, done
    assert (await simulator.failures())["drop_socket"] == 0, "the sockets were dropped mid-job"
    [prompt] = (await prompts_by_job(simulators, [job_id]))[job_id]
    assert prompt["status"] == "success" and prompt["simulator"] == simulator.name
    assert await prompts_posted(simulators) == 1
    [take] = (await api.clip(clip_id))["generated_images"]
    assert take["url"] == done["result_url"]


async def test_a_hung_prompt_times_out_and_is_retried_on_another_server(lab: Lab):
    simulators = [await lab.simulator(f"sim-{i}", ksampler_s=1.0) for i in range(2)]
    api = await lab.api("api", job_timeout_s=4)
    servers = await register(api, simulators)
    _, [clip_id] = await new_clips(api, 1)
    [job_id] = await generate(api, [clip_id])

    running = await wait_until(lambda: running_on(api, job_id, servers), 20, "the job runs")
    hung = servers[running["server_id"]]
    await hung.arm("hang")  # the node after the sampler never ends

    done = await wait_until(lambda: final(api, job_id), 30, "the job is final")
    assert done["status"] == "completed" and done["retry_count"] == 1, done
    elsewhere = servers[done["server_id"]]
    assert elsewhere is not hung
    prompts = (await prompts_by_job(simulators, [job_id]))[job_id]
    assert sorted((p["simulator"], p["status"]) for p in prompts if p["status"]) == [(elsewhere.name, "success")]
    assert [p["simulator"] for p in prompts if p["status"] is None] == [hung.name]
    [take] = (await api.clip(clip_id))["generated_images"]
    assert take["url"] == done["result_url"] and take["server_id"] == done["server_id"]
