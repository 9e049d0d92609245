"""The /v1/videos simulator over real sockets: the official `openai` SDK drives it unchanged, and its media are
real files (H.264 MP4 of the asked duration and size, WEBP thumbnail, JPEG spritesheet)."""

import asyncio
import io
import time
from collections.abc import AsyncIterator

import av
import openai
import pytest
from openai import AsyncOpenAI
from PIL import Image

from simulators.openai_video import SimulatorConfig
from tests.integration.video_simulator_support import VideoSimulator, running_video_simulator

# Since OpenAI's shutdown every `client.videos` method is marked `typing_extensions.deprecated`, which warns on
# each call; pytest turns warnings into errors, so exactly that one is let through here.
pytestmark = pytest.mark.filterwarnings(
    "ignore:The Sora API is scheduled to permanently shut down:DeprecationWarning")
KEY = "sk-sim-0123456789abcdef"


@pytest.fixture
async def sim() -> AsyncIterator[VideoSimulator]:
    async with running_video_simulator(SimulatorConfig(api_key=KEY, fps=8, latency=0.3)) as simulator:
        yield simulator


@pytest.fixture
async def client(sim: VideoSimulator) -> AsyncIterator[AsyncOpenAI]:
    client = AsyncOpenAI(base_url=sim.base_url, api_key=KEY, max_retries=0)
    yield client
    await client.close()


async def _until_final(client: AsyncOpenAI, video_id: str, *, timeout: float = 60) -> openai.types.Video:
    async with asyncio.timeout(timeout):
        while True:
            video = await client.videos.retrieve(video_id)
            if video.status in ("completed", "failed"):
                return video
            await asyncio.sleep(0.05)


def _decoded(mp4: bytes) -> tuple[str, int, int, float, int]:
    """Codec, width, height, duration in seconds and frame count of an MP4, decoded with PyAV."""
    with av.open(io.BytesIO(mp4)) as container:
        stream = container.streams.video[0]
        frames = sum(1 for _ in container.decode(stream))
        return stream.codec_context.name, stream.width, stream.height, container.duration / 1_000_000, frames


def _png(size: tuple[int, int], colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


async def test_the_sdk_creates_polls_and_downloads_a_video_with_its_previews(client):
    created = await client.videos.create(prompt="a red fox in the snow", model="sora-2", seconds="4",
                                         size="1280x720")
    assert (created.object, created.status, created.progress, created.model) == ("video", "queued", 0, "sora-2")
    assert created.id.startswith("video_") and created.completed_at is None and created.error is None
    seen = {created.status}
    while (video := await client.videos.retrieve(created.id)).status not in ("completed", "failed"):
        seen.add(video.status)
        assert 0 <= video.progress <= 99
        await asyncio.sleep(0.05)
    assert video.status == "completed" and "in_progress" in seen
    assert (video.progress, video.seconds, video.size, video.prompt) == (100, "4", "1280x720", "a red fox in the snow")
    assert video.completed_at >= video.created_at and video.expires_at == video.completed_at + 3600
    mp4 = await client.videos.download_content(created.id)
    assert mp4.response.headers["content-type"] == "video/mp4"
    codec, width, height, duration, frames = _decoded(mp4.content)
    assert (codec, width, height, frames) == ("h264", 1280, 720, 4 * 8)
    assert duration == pytest.approx(4.0, abs=0.2)
    thumbnail = await client.videos.download_content(created.id, variant="thumbnail")
    assert thumbnail.response.headers["content-type"] == "image/webp"
    assert Image.open(io.BytesIO(thumbnail.content)).size == (1280, 720)
    sheet = await client.videos.download_content(created.id, variant="spritesheet")
    assert sheet.response.headers["content-type"] == "image/jpeg"
    assert Image.open(io.BytesIO(sheet.content)).format == "JPEG"


async def test_the_api_defaults_are_sora_2_four_seconds_portrait_at_twenty_four_fps():
    async with running_video_simulator(SimulatorConfig()) as sim:
        client = AsyncOpenAI(base_url=sim.base_url, api_key="any key at all", max_retries=0)
        video = await client.videos.create(prompt="a lighthouse at dusk")
        assert (video.model, video.seconds, video.size) == ("sora-2", "4", "720x1280")
        assert (await _until_final(client, video.id)).status == "completed"
        content = await client.videos.download_content(video.id, variant="video")
        assert _decoded(content.content)[1:] == (720, 1280, pytest.approx(4.0, abs=0.2), 96)
        await client.close()


async def test_an_input_reference_upload_of_the_right_size_becomes_the_first_frame(client):
    reference = _png((720, 1280), (0, 90, 200))
    video = await client.videos.create(prompt="the sea", seconds="4", size="720x1280",
                                       input_reference=("first.png", reference, "image/png"))
    assert (await _until_final(client, video.id)).status == "completed"
    thumbnail = Image.open(io.BytesIO((await client.videos.download_content(video.id, variant="thumbnail")).content))
    red, green, blue = thumbnail.convert("RGB").getpixel((700, 700))
    assert red < 30 and 60 < green < 120 and blue > 170


async def test_an_input_reference_of_another_size_is_refused_like_the_real_api(client):
    with pytest.raises(openai.BadRequestError) as refused:
        await client.videos.create(prompt="the sea", size="720x1280",
                                   input_reference=("small.png", _png((64, 64), (0, 0, 0)), "image/png"))
    assert refused.value.status_code == 400
    assert refused.value.body == {"message": "Inpaint image must match the requested width and height",
                                  "type": "invalid_request_error", "param": None, "code": None}


async def test_the_sdk_pages_through_the_list_with_after_and_sees_deletes(client, sim):
    ids = [(await client.videos.create(prompt=f"shot {index}")).id for index in range(3)]
    first = await client.videos.list(limit=2, order="asc")
    assert [video.id for video in first.data] == ids[:2] and first.has_more and first.last_id == ids[1]
    assert [video.id async for video in client.videos.list(limit=2, order="asc")] == ids
    assert [video.id async for video in client.videos.list()] == ids[::-1]
    deleted = await client.videos.delete(ids[1])
    assert (deleted.id, deleted.deleted, deleted.object) == (ids[1], True, "video.deleted")
    assert [video.id async for video in client.videos.list(order="asc")] == [ids[0], ids[2]]
    with pytest.raises(openai.NotFoundError):
        await client.videos.retrieve(ids[1])
    assert [record["video_id"] for record in (await sim.stats())["deletes"]] == [ids[1]]


async def test_a_remix_of_a_completed_video_keeps_its_model_duration_and_size(client):
    source = await client.videos.create(prompt="a cat", model="sora-2-pro", seconds="4", size="1792x1024")
    assert (await _until_final(client, source.id)).status == "completed"
    remix = await client.videos.remix(source.id, prompt="a cat, in watercolour")
    assert (remix.remixed_from_video_id, remix.model, remix.seconds, remix.size) == (
        source.id, "sora-2-pro", "4", "1792x1024")
    assert (await _until_final(client, remix.id)).prompt == "a cat, in watercolour"


async def test_the_sdk_retries_a_429_after_the_retry_after_it_was_given(sim):
    await sim.arm("rate_limit", 1)
    retrying = AsyncOpenAI(base_url=sim.base_url, api_key=KEY, max_retries=2)
    started = time.monotonic()
    video = await retrying.videos.create(prompt="patience")
    assert time.monotonic() - started >= 1.0  # Retry-After: 1, not the SDK's own 0.5 s backoff
    assert [record["status"] for record in (await sim.stats())["log"]] == [429, 200]
    assert video.status == "queued"
    await retrying.close()


async def test_a_wrong_key_is_an_authentication_error_and_a_failed_job_reports_its_error(client, sim):
    wrong = AsyncOpenAI(base_url=sim.base_url, api_key="sk-wrong-key-0000000000", max_retries=0)
    with pytest.raises(openai.AuthenticationError) as refused:
        await wrong.videos.list()
    assert refused.value.code == "invalid_api_key" and "sk-wrong-key-0000000000" not in refused.value.message
    await wrong.close()
    await sim.arm("job_failure")
    failed = await _until_final(client, (await client.videos.create(prompt="doomed")).id)
    assert (failed.status, failed.error.code) == ("failed", "video_generation_failed")
    with pytest.raises(openai.NotFoundError):
        await client.videos.download_content(failed.id)
