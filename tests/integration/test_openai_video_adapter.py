"""The /v1/videos adapter against the simulator over real sockets: a video made from a reference image of another
size, its progress, its video and thumbnail; 500s and 429s retried, a refused key not; status and cancel."""

import io
from collections.abc import AsyncIterator

import pytest
from PIL import Image

from adapters.openai_video.backend import OpenAIVideoBackend
from adapters.openai_video.client import KeyRefused, RetryPolicy
from adapters.openai_video.reference_image import as_data_url
from application.errors import UpstreamUnavailable
from application.ports.generation_backend import PromptState, PromptStatus
from application.ports.video_provider import ProviderConnection
from application.video_providers.video_request import video_workflow
from simulators.openai_video import SimulatorConfig
from tests.integration.video_simulator_support import VideoSimulator, running_video_simulator

KEY = "sk-adapter-test-0123456789abcdef"
ADDRESS = "provider:p1"


@pytest.fixture
async def sim() -> AsyncIterator[VideoSimulator]:
    async with running_video_simulator(SimulatorConfig(api_key=KEY, fps=4, latency=0.6)) as simulator:
        yield simulator


def backend_for(sim: VideoSimulator, key: str = KEY, **retry: float) -> OpenAIVideoBackend:
    async def connect(provider_id: str) -> ProviderConnection:
        return ProviderConnection(provider_id, "sim", sim.base_url, key)

    return OpenAIVideoBackend(connect, retry=RetryPolicy(**{"first_wait_s": 0.05, **retry}), first_poll_s=0.05,
                              max_poll_s=0.2)


@pytest.fixture
async def backend(sim: VideoSimulator) -> AsyncIterator[OpenAIVideoBackend]:
    backend = backend_for(sim)
    yield backend
    await backend.close()


def workflow(**inputs: object) -> dict:
    return video_workflow(**{"prompt": "a fox", "model": "sora-2", "seconds": 4, "size": "1280x720",
                             "input_reference": None, **inputs})


async def test_a_video_is_made_from_a_reference_of_another_size_with_progress_and_both_variants(sim, backend):
    buffer = io.BytesIO()
    Image.new("RGB", (1024, 1024), (200, 30, 30)).save(buffer, format="PNG")
    reference = await backend.upload_image(ADDRESS, "start.png", buffer.getvalue())
    video_id = await backend.submit(ADDRESS, workflow(input_reference=reference), prompt_id="u-1")
    assert video_id.startswith("video_")
    events = []

    async def on_event(event):
        events.append(event)

    outcome = await backend.follow(ADDRESS, video_id, on_event, timeout=60)
    assert outcome.status is PromptStatus.SUCCEEDED and outcome.provenance == {"remote_video_id": video_id}
    progress = [e.value for e in events if e.kind == "progress"]
    assert progress == sorted(progress) and all(e.maximum == 100 for e in events if e.kind == "progress")
    video, poster = outcome.outputs
    assert (video.role, poster.role, poster.folder_type) == ("result", "poster", "thumbnail")
    mp4 = b"".join([chunk async for chunk in backend.download(ADDRESS, video)])
    webp = b"".join([chunk async for chunk in backend.download(ADDRESS, poster)])
    assert mp4[4:8] == b"ftyp" and webp[:4] == b"RIFF"
    assert (await backend.status(ADDRESS, video_id)).state is PromptState.ENDED
    assert (await backend.status(ADDRESS, "video_unknown")).state is PromptState.UNKNOWN


async def test_server_errors_are_retried_and_a_429_storm_ends_unavailable_without_the_key(sim):
    backend = backend_for(sim, attempts=3)
    try:
        await sim.arm("server_error", 2)
        assert await backend.submit(ADDRESS, workflow(), prompt_id="u-2")
        statuses = [r["status"] for r in (await sim.stats())["log"] if r["route"] == "POST /v1/videos"]
        assert statuses == [500, 500, 200]
        await sim.arm("rate_limit", 5)
        with pytest.raises(UpstreamUnavailable) as gave_up:
            await backend.submit(ADDRESS, workflow(), prompt_id="u-3")
        assert "answered 429 3 times" in str(gave_up.value) and KEY not in str(gave_up.value)
    finally:
        await backend.close()


async def test_a_refused_key_is_not_retried(sim):
    backend = backend_for(sim, key="sk-wrong-0000000000000000")
    try:
        with pytest.raises(KeyRefused, match=r"refused the API key \(401\)") as refused:
            await backend.submit(ADDRESS, workflow(), prompt_id="u-4")
        assert refused.value.permanent and "sk-wrong" not in str(refused.value)
        assert [r["status"] for r in (await sim.stats())["log"]] == [401]
        check = await backend.check("p1")
        assert (check.reachable, check.key_accepted) == (True, False)
    finally:
        await backend.close()


async def test_cancel_deletes_the_running_video_and_following_it_ends_interrupted(sim, backend):
    await sim.session.post("/sim/settings", json={"latency": 30})
    video_id = await backend.submit(ADDRESS, workflow(), prompt_id="u-5")
    assert (await backend.status(ADDRESS, video_id)).state is PromptState.ACTIVE
    await backend.cancel(ADDRESS, video_id)
    assert [d["video_id"] for d in (await sim.stats())["deletes"]] == [video_id]

    async def ignore(_event):
        return None

    outcome = await backend.follow(ADDRESS, video_id, ignore, timeout=10)
    assert outcome.status is PromptStatus.INTERRUPTED
    await backend.cancel(ADDRESS, video_id)  # gone already: nothing to do
    assert as_data_url(b"x").startswith("data:")
