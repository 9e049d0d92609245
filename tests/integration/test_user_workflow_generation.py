"""A user's own workflow generates a clip's take: on the simulator in CI, on a real ComfyUI with --comfyui-url."""

import asyncio

from tests.api.helpers import new_clip, new_project, new_scene

API = "/api/v1"
WORKFLOW = {  # what ComfyUI's "Export (API)" saves; needs no model weights
    "1": {"class_type": "EmptyImage", "inputs": {"width": 64, "height": 64, "batch_size": 1, "color": 255}},
    "2": {"class_type": "ImageInvert", "inputs": {"image": ["1", 0]}},
    "3": {"class_type": "SaveImage", "inputs": {"images": ["2", 0], "filename_prefix": "storycanvas_user"}},
}


async def test_a_registered_user_workflow_generates_a_take_into_the_gallery(client, comfyui_url):
    server = await client.post(f"{API}/comfyui/servers", json={"name": "comfy", "url": comfyui_url, "capacity": 1})
    assert server.status == 201, await server.text()
    registered = await client.post(f"{API}/generation/workflows", json={
        "name": "Inverted swatch", "kind": "image", "workflow": WORKFLOW, "output_node": "3",
        "inputs": {"width": "1.width", "height": "1.height"}})
    assert registered.status == 201, await registered.text()
    workflow_id = (await registered.json())["id"]
    models = await (await client.get(f"{API}/generation/models")).json()
    assert workflow_id in [m["id"] for m in models if m["source"] == "workflow"]

    scene = await new_scene(client, (await new_project(client))["id"])
    clip = await new_clip(client, scene["id"], image_prompt="a swatch")
    queued = await client.post(f"{API}/generation", json={"clip_id": clip["id"], "model": workflow_id,
                                                          "params": {"width": 96, "height": 80}})
    assert queued.status == 202, await queued.text()
    job = await _finished(client, (await queued.json())["id"])
    assert job["status"] == "completed", job["error_message"]
    [take] = (await (await client.get(f"{API}/clips/{clip['id']}")).json())["generated_images"]
    assert take["url"] == job["result_url"] and take["params"]["width"] == 96


async def test_a_workflow_with_an_unknown_node_is_refused_naming_it(client, comfyui_url):
    await client.post(f"{API}/comfyui/servers", json={"name": "comfy", "url": comfyui_url})
    broken = {**WORKFLOW, "2": {"class_type": "NoSuchNode", "inputs": {"image": ["1", 0]}}}
    response = await client.post(f"{API}/generation/workflows", json={"workflow": broken, "output_node": "3"})
    assert response.status == 400
    error = (await response.json())["error"]
    assert "workflow.2" in error["details"]["fields"] and "NoSuchNode" in error["message"]


async def _finished(client, job_id: str) -> dict:
    for _ in range(600):
        job = await (await client.get(f"{API}/queue/jobs/{job_id}")).json()
        if job["status"] in ("completed", "failed", "cancelled"):
            return job
        await asyncio.sleep(0.1)
    raise AssertionError(f"job {job_id} did not finish")


async def test_a_prompt_comfyui_refuses_as_malformed_fails_after_one_attempt_with_its_message(client, comfyui_url):
    await client.post(f"{API}/comfyui/servers", json={"name": "comfy", "url": comfyui_url, "capacity": 1})
    malformed = {**WORKFLOW, "1": {**WORKFLOW["1"], "inputs": {**WORKFLOW["1"]["inputs"], "batch_size": 0}}}
    registered = await client.post(f"{API}/generation/workflows", json={
        "name": "Zero batch", "kind": "image", "workflow": malformed, "output_node": "3", "inputs": {}})
    assert registered.status == 201, await registered.text()  # classes and inputs exist: ComfyUI judges values
    scene = await new_scene(client, (await new_project(client))["id"])
    clip = await new_clip(client, scene["id"], image_prompt="a swatch")
    queued = await client.post(f"{API}/generation", json={"clip_id": clip["id"],
                                                          "model": (await registered.json())["id"]})
    job = await _finished(client, (await queued.json())["id"])
    assert (job["status"], job["attempt"], job["retry_count"]) == ("failed", 1, 0), job
    assert "Value 0 smaller than min of 1" in job["error_message"] and "batch_size" in job["error_message"]
