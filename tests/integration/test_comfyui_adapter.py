"""The ComfyUI adapter over real sockets: the simulator in CI, a real ComfyUI with --comfyui-url URL."""

import asyncio
import io
import uuid

import pytest
from PIL import Image

from application.ports.generation_backend import PromptStatus, WorkflowRejected
from tests.integration import workflows


async def run(backend, url, workflow, events=None):
    prompt_id = str(uuid.uuid4())
    seen = events if events is not None else []

    async def record(event):
        seen.append(event)

    await backend.submit(url, workflow, prompt_id=prompt_id)
    return await backend.follow(url, prompt_id, record, timeout=120)


async def download(backend, url, output) -> bytes:
    return b"".join([chunk async for chunk in backend.download(url, output)])


async def test_probe_reports_version_and_latency(backend, comfyui_url, comfyui_version):
    probe = await backend.probe(comfyui_url)
    assert probe.version and (comfyui_version == "real" or probe.version == comfyui_version)
    if comfyui_version != "real":  # the simulator of today's ComfyUI has the jobs API, that of 0.3.64 has not
        assert await backend.has_jobs_api(comfyui_url) is (probe.version != "0.3.64")
    assert probe.latency_ms > 0 and probe.devices


async def test_node_catalog_has_the_no_model_nodes(backend, comfyui_url):
    catalog = await backend.node_catalog(comfyui_url)
    assert {"EmptyImage", "SaveImage", "LoadImage", "KSampler", "CheckpointLoaderSimple"} <= set(catalog)
    assert catalog["SaveImage"].is_output and not catalog["EmptyImage"].is_output
    assert {"width", "height", "batch_size", "color"} == set(catalog["EmptyImage"].required)


async def test_an_image_prompt_runs_to_success_with_its_events_and_outputs(backend, comfyui_url):
    events = []
    outcome = await run(backend, comfyui_url, workflows.image(batch=2), events)
    assert outcome.status is PromptStatus.SUCCEEDED
    assert [o.node_id for o in outcome.outputs] == ["2", "2"]
    assert [e.kind for e in events][0] == "started"
    assert ("executed", "2") in [(e.kind, e.node) for e in events]
    png = await download(backend, comfyui_url, outcome.outputs[0])
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert Image.open(io.BytesIO(png)).size == (64, 64)


async def test_an_animation_is_flagged_animated_and_downloads_as_webp(backend, comfyui_url):
    outcome = await run(backend, comfyui_url, workflows.animation())
    assert outcome.status is PromptStatus.SUCCEEDED
    assert outcome.outputs[0].animated
    data = await download(backend, comfyui_url, outcome.outputs[0])
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"


async def test_an_invalid_workflow_is_rejected_naming_the_node_and_input(backend, comfyui_url):
    workflow = workflows.image()
    workflow["1"]["inputs"]["width"] = "abc"
    with pytest.raises(WorkflowRejected) as rejected:
        await backend.submit(comfyui_url, workflow, prompt_id=str(uuid.uuid4()))
    assert "node 1 (EmptyImage)" in str(rejected.value) and "width" in str(rejected.value)
    assert "1" in rejected.value.node_errors


async def test_a_runtime_error_fails_the_prompt_naming_the_node(backend, comfyui_url):
    outcome = await run(backend, comfyui_url, workflows.runtime_error())
    assert outcome.status is PromptStatus.FAILED
    assert outcome.details["node_id"] == "2" and outcome.details["exception_type"] == "IndexError"
    assert "ImageToMask" in outcome.error


async def test_an_uploaded_image_feeds_a_workflow(backend, comfyui_url):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (0, 128, 255)).save(buffer, "PNG")
    name = await backend.upload_image(comfyui_url, f"sc_upload_{uuid.uuid4().hex[:8]}.png", buffer.getvalue())
    outcome = await run(backend, comfyui_url, workflows.scaled_upload(name))
    assert outcome.status is PromptStatus.SUCCEEDED
    scaled = await download(backend, comfyui_url, outcome.outputs[0])
    assert Image.open(io.BytesIO(scaled)).size == (80, 60)


async def test_cancel_interrupts_only_that_prompt_and_the_next_one_runs(backend, comfyui_url):
    running, queued = str(uuid.uuid4()), str(uuid.uuid4())
    started = asyncio.Event()

    async def on_event(event):
        if event.kind == "executing" and event.node == "2":
            started.set()

    await backend.submit(comfyui_url, workflows.slow(), prompt_id=running)
    await backend.submit(comfyui_url, workflows.image("sc_after_cancel"), prompt_id=queued)
    follow = asyncio.create_task(backend.follow(comfyui_url, running, on_event, timeout=120))
    await asyncio.wait_for(started.wait(), 60)
    await backend.cancel(comfyui_url, running)
    assert (await follow).status is PromptStatus.INTERRUPTED
    after = await backend.follow(comfyui_url, queued, _ignore, timeout=120)
    assert after.status is PromptStatus.SUCCEEDED


async def test_cancel_of_a_queued_prompt_takes_it_off_the_queue(backend, comfyui_url, comfyui_http):
    running, queued = str(uuid.uuid4()), str(uuid.uuid4())
    await backend.submit(comfyui_url, workflows.slow("sc_slow_keep"), prompt_id=running)
    await backend.submit(comfyui_url, workflows.image("sc_never"), prompt_id=queued)
    await backend.cancel(comfyui_url, queued)
    pending = [item[1] for item in (await comfyui_http.queue())["queue_pending"]]
    assert queued not in pending
    await backend.cancel(comfyui_url, running)
    assert (await backend.follow(comfyui_url, running, _ignore, timeout=120)).status is PromptStatus.INTERRUPTED
    assert await comfyui_http.history(queued) is None


async def _ignore(_event):
    return None
