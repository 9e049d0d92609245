"""Video provider jobs in the one queue, over the fakes: only their provider takes them, its concurrency is its
capacity, priorities and fair share hold, retries back off, cancel reaches the remote video, and a project's
waiting ComfyUI jobs never hide its provider jobs (nor the other way round)."""

from datetime import timedelta

import pytest
from attrs import define, evolve, field

from adapters.fakes.generation_backend import FakeGenerationBackend, FakeServer
from adapters.fakes.secret_box import ReversingSecretBox
from application.errors import NotConfigured
from application.queue.backends import BackendsByTarget
from application.queue.control_job import CancelJob, CancelJobHandler
from application.video_providers.delete_provider import DeleteProvider, DeleteProviderHandler
from application.video_providers.generate_video import GenerateVideo, GenerateVideoHandler
from application.video_providers.register_provider import RegisterProvider, RegisterProviderHandler
from application.video_providers.update_provider import ProviderChanges, UpdateProvider, UpdateProviderHandler
from application.video_providers.video_request import REQUEST_CLASS
from domain.node_catalog import NodeSpec
from domain.queue_job import JobStatus
from tests.unit.application.board_builder import build_board
from tests.unit.application.fakes import FakeWorld
from tests.unit.application.queue_world import add_server, add_workflow, dispatcher, enqueue, settle

VIDEO_NODES = {REQUEST_CLASS: NodeSpec(REQUEST_CLASS, ("prompt", "model", "seconds", "size"), is_output=True)}


@define
class MixedWorld(FakeWorld):
    """ComfyUI servers and video providers behind one backend registry, as the container wires them."""

    comfyui: FakeGenerationBackend = field(factory=FakeGenerationBackend)
    videos: FakeGenerationBackend = field(factory=FakeGenerationBackend)

    def __attrs_post_init__(self) -> None:
        self.backend = BackendsByTarget(default=self.comfyui, by_prefix={"provider:": self.videos})  # type: ignore


@pytest.fixture
async def world() -> MixedWorld:
    """Two projects of two clips each."""
    world = MixedWorld()
    await build_board(world, [(2, 0, 0)], characters=0)
    await build_board(world, [(2, 0, 0)], characters=0)
    clips = world.store.tables["clips"]
    for clip_id, clip in clips.items():
        clips[clip_id] = evolve(clip, video_prompt=f"waves, take {clip_id[-2:]}")
    return world


async def paused_comfyui_server(world) -> str:
    """Registered (workflows are checked against it), but paused: ComfyUI jobs wait."""
    server = await comfyui_server(world)
    await world.queue_settings.set_server_paused(server, True)
    return server


async def add_provider(world, *, concurrency: int = 1, hold: bool = True, **server) -> str:
    provider = await RegisterProviderHandler(world.uow(), world.clock, world.ids, ReversingSecretBox(), world.signal)(
        RegisterProvider(name="sim", base_url="http://127.0.0.1:8000/v1", api_key="k", concurrency=concurrency))
    world.videos.servers[f"provider:{provider.id}"] = FakeServer(hold=hold, names_work=True, nodes=VIDEO_NODES,
                                                                 **server)
    return provider.id


async def comfyui_server(world, url: str = "http://gpu", *, capacity: int = 1) -> str:
    backend = world.backend
    world.backend = world.comfyui  # add_server fills the backend it is given
    try:
        return await add_server(world, url, capacity=capacity)
    finally:
        world.backend = backend


async def video(world, clip: int = 0, **fields):
    clip_id = world.rows("clips")[clip].id
    handler = GenerateVideoHandler(world.uow(), world.jobs, world.clock, world.ids, world.signal)
    return await handler(GenerateVideo(clip_id=clip_id, **fields))


def remote(world, provider_id: str) -> FakeServer:
    return world.videos.servers[f"provider:{provider_id}"]


async def statuses(world, *jobs) -> list[JobStatus]:
    return [(await world.jobs.get(job.id)).status for job in jobs]


async def test_provider_jobs_run_on_their_provider_only_beside_comfyui_jobs(world):
    server = await comfyui_server(world)
    provider = await add_provider(world)
    image = await enqueue(world, await add_workflow(world))
    clip_video = await video(world, 1)
    worker = dispatcher(world)
    await worker.tick()
    await settle()
    ran = {job.id: await world.jobs.get(job.id) for job in (image, clip_video)}
    assert ran[image.id].server_id == server and ran[clip_video.id].server_id == f"provider:{provider}"
    assert ran[clip_video.id].remote_id == "remote-1", "the provider's own id is recorded on the job"
    assert set(remote(world, provider).prompts) == {"remote-1"} and image.id not in str(remote(world, provider).prompts)
    world.videos.release(f"provider:{provider}", "remote-1")
    await settle()
    done = await world.jobs.get(clip_video.id)
    assert done.status is JobStatus.COMPLETED
    [take] = world.store.tables["clips"][clip_video.clip_id].generated_videos
    assert (take.server_id, take.model, take.params["provider_id"], take.params["seconds"]) == (
        f"provider:{provider}", "sora-2", provider, 4)


async def test_a_providers_concurrency_is_its_capacity(world):
    provider = await add_provider(world, concurrency=2)
    jobs = [await video(world, clip) for clip in range(3)]
    worker = dispatcher(world)
    await worker.tick()
    await settle()
    assert sorted(await statuses(world, *jobs)) == sorted([JobStatus.PROCESSING] * 2 + [JobStatus.PENDING])
    world.videos.release(f"provider:{provider}", "remote-1")
    await settle()
    await worker.tick()
    await settle()
    assert JobStatus.PENDING not in await statuses(world, *jobs)


async def test_higher_priority_first_then_the_project_with_fewest_running(world):
    await add_provider(world, concurrency=2)
    first_a, second_a = await video(world, 0), await video(world, 1)  # project A's, queued first
    only_b = await video(world, 2)  # project B's
    urgent_a = await video(world, 1, priority=5)
    worker = dispatcher(world)
    await worker.tick()
    await settle()
    running = {job.id for job in await world.jobs.processing()}
    assert running == {urgent_a.id, only_b.id}, "the urgent one, then B: A already runs one"
    assert (await world.jobs.get(first_a.id)).status is JobStatus.PENDING
    assert (await world.jobs.get(second_a.id)).status is JobStatus.PENDING


async def test_a_failed_video_is_retried_on_its_provider_after_a_backoff(world):
    provider = await add_provider(world, hold=False, fail_with="video_generation_failed: boom")
    job = await video(world)
    worker = dispatcher(world)
    await worker.tick()
    await settle()
    retried = await world.jobs.get(job.id)
    assert (retried.status, retried.retry_count, retried.error_message) == (
        JobStatus.PENDING, 1, "video_generation_failed: boom")
    assert retried.not_before == world.clock.current + timedelta(seconds=2)
    remote(world, provider).fail_with = None
    await worker.tick()
    await settle()
    assert (await world.jobs.get(job.id)).status is JobStatus.PENDING, "the backoff is waited out"
    world.clock.current = retried.not_before
    await worker.tick()
    await settle()
    final = await world.jobs.get(job.id)
    assert (final.status, final.server_id, final.remote_id) == (JobStatus.COMPLETED, f"provider:{provider}",
                                                                 "remote-2")


async def test_cancelling_a_running_video_cancels_it_at_the_provider(world):
    provider = await add_provider(world)
    job = await video(world)
    worker = dispatcher(world)
    await worker.tick()
    await settle()
    handler = CancelJobHandler(world.jobs, world.backend, world.uow(), world.clock)
    await handler(CancelJob(job.id))
    await settle()
    assert (await world.jobs.get(job.id)).status is JobStatus.CANCELLED
    assert remote(world, provider).finished["remote-1"].error == "interrupted", "the remote video was cancelled"


async def test_a_projects_waiting_comfyui_jobs_do_not_hide_its_provider_job(world):
    await add_provider(world)
    await paused_comfyui_server(world)
    model = await add_workflow(world)
    blocked = [await enqueue(world, model, priority=9) for _ in range(4)]  # no ComfyUI server: they wait
    job = await video(world)
    worker = dispatcher(world)
    worker.ready_window = 2
    await worker.tick()
    await settle()
    assert (await world.jobs.get(job.id)).status is JobStatus.PROCESSING
    assert set(await statuses(world, *blocked)) == {JobStatus.PENDING}


async def test_a_disabled_provider_takes_nothing_and_its_jobs_say_why(world):
    provider = await add_provider(world)
    await UpdateProviderHandler(world.uow(), world.clock, ReversingSecretBox(), world.signal)(
        UpdateProvider(provider, ProviderChanges(enabled=False)))
    job = await video(world, provider_id=provider)
    worker = dispatcher(world)
    await worker.tick()
    await settle()
    waiting = await world.jobs.get(job.id)
    assert waiting.status is JobStatus.PENDING and "video provider takes no work" in waiting.waiting_reason


async def test_removing_a_provider_cancels_its_jobs(world):
    provider = await add_provider(world, concurrency=1)
    running, waiting = await video(world, 0), await video(world, 1)
    worker = dispatcher(world)
    await worker.tick()
    await settle()
    deleted = await world.handler(DeleteProviderHandler)(DeleteProvider(provider))
    await settle()
    assert deleted.jobs_cancelled == 2
    assert await statuses(world, running, waiting) == [JobStatus.CANCELLED, JobStatus.CANCELLED]
    assert world.rows("video_providers") == []


async def test_without_a_provider_generating_is_not_configured(world):
    with pytest.raises(NotConfigured, match="OPENAI_BASE_URL"):
        await video(world)


async def test_comfyui_jobs_never_go_to_a_provider(world):
    await add_provider(world, concurrency=4)
    await paused_comfyui_server(world)
    job = await enqueue(world, await add_workflow(world))
    worker = dispatcher(world)
    await worker.tick()
    await settle()
    waiting = await world.jobs.get(job.id)
    assert waiting.status is JobStatus.PENDING
    assert waiting.waiting_reason.startswith("no ComfyUI server is available")
