"""A server's model rules through the API: shown on the server, replaced by a PUT, and 400 when they name
nothing known (presets, registered workflows and the kinds `image` and `video` are known)."""

import pytest

from simulators.comfyui import SimulatorConfig
from tests.api.helpers import API, body_of, error_of, get, put
from tests.integration.simulator_support import running_simulator

SERVERS = API + "/comfyui/servers"
WORKFLOW = {
    "1": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "sd_xl_base_1.0.safetensors"}},
    "2": {"class_type": "CLIPTextEncode", "inputs": {"text": "a cat", "clip": ["1", 1]}},
    "3": {"class_type": "EmptyLatentImage", "inputs": {"width": 64, "height": 64, "batch_size": 1}},
    "5": {"class_type": "KSampler", "inputs": {"model": ["1", 0], "positive": ["2", 0], "negative": ["2", 0],
                                               "latent_image": ["3", 0], "seed": 1, "steps": 1, "cfg": 1.0,
                                               "sampler_name": "euler", "scheduler": "normal", "denoise": 1.0}},
    "6": {"class_type": "VAEDecode", "inputs": {"samples": ["5", 0], "vae": ["1", 2]}},
    "4": {"class_type": "SaveImage", "inputs": {"images": ["6", 0], "filename_prefix": "x"}},
}


@pytest.fixture
async def simulator(tmp_path):
    async with running_simulator(SimulatorConfig(root=tmp_path / "a")) as sim:
        yield sim


async def test_rules_are_stored_shown_and_replaced(client, simulator):
    body = {"name": "small gpu", "url": simulator.url, "rules": {"deny": ["video"]}}
    server = await body_of(await client.post(SERVERS, json=body), 201)
    assert server["rules"] == {"allow": [], "deny": ["video"]}
    assert (await get(client, f"/comfyui/servers/{server['id']}"))["rules"] == {"allow": [], "deny": ["video"]}
    edited = await put(client, f"/comfyui/servers/{server['id']}",
                       {"rules": {"allow": ["sdxl", "image"], "deny": ["flux-dev"]}, "version": server["version"]})
    assert edited["rules"] == {"allow": ["sdxl", "image"], "deny": ["flux-dev"]}
    renamed = await put(client, f"/comfyui/servers/{server['id']}", {"name": "renamed"})
    assert renamed["rules"] == edited["rules"], "a PUT without rules keeps them"


async def test_a_registered_workflow_may_be_named(client, simulator):
    server = await body_of(await client.post(SERVERS, json={"name": "gpu", "url": simulator.url}), 201)
    registered = await body_of(await client.post(API + "/generation/workflows", json={
        "name": "mine", "workflow": WORKFLOW, "output_node": "4", "inputs": {"prompt": "2.text"}}), 201)
    edited = await put(client, f"/comfyui/servers/{server['id']}", {"rules": {"allow": [registered["id"]]}})
    assert edited["rules"]["allow"] == [registered["id"]]


@pytest.mark.parametrize("rules", [{"deny": ["videos"]}, {"allow": ["sdxl", "no-such-preset"]}])
async def test_a_rule_naming_nothing_known_is_a_400_listing_what_is_known(client, simulator, rules):
    error = await error_of(await client.post(SERVERS, json={"name": "gpu", "url": simulator.url, "rules": rules}), 400)
    assert "sdxl" in error["message"] and "video" in error["message"]
    assert await get(client, "/comfyui/servers") == [], "nothing was registered"


async def test_a_put_with_an_unknown_rule_is_a_400_and_changes_nothing(client, simulator):
    server = await body_of(await client.post(SERVERS, json={"name": "gpu", "url": simulator.url}), 201)
    response = await client.put(f"{SERVERS}/{server['id']}", json={"rules": {"allow": ["nope"]}})
    assert "nope" in (await error_of(response, 400))["message"]
    assert (await get(client, f"/comfyui/servers/{server['id']}"))["rules"] == {"allow": [], "deny": []}


async def test_malformed_rules_are_a_400(client, simulator):
    for rules in ({"allow": "sdxl"}, {"allow": ["x" * 201]}, {"deny": [1]}, {"other": []}):
        response = await client.post(SERVERS, json={"name": "gpu", "url": simulator.url, "rules": rules})
        await error_of(response, 400)
