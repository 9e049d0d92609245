"""User workflows as a resource through the API, on SecantusDB and the simulator's node catalog."""

import asyncio

import pytest

from simulators.comfyui import SimulatorConfig
from tests.api.helpers import API, body_of, delete, error_of, expect_not_found, get, post, put
from tests.integration.simulator_support import running_simulator

WORKFLOWS = API + "/generation/workflows"
SWATCH = {
    "1": {"class_type": "EmptyImage", "inputs": {"width": 64, "height": 64, "batch_size": 1, "color": 255}},
    "2": {"class_type": "ImageInvert", "inputs": {"image": ["1", 0]}},
    "3": {"class_type": "SaveImage", "inputs": {"images": ["2", 0], "filename_prefix": "swatch"}},
}


@pytest.fixture
async def server(client, tmp_path):
    async with running_simulator(SimulatorConfig(root=tmp_path / "sim")) as sim:
        yield await post(client, "/comfyui/servers", {"name": "sim", "url": sim.url})


def definition(**fields):
    return {"name": "Swatch", "kind": "image", "workflow": SWATCH, "output_node": "3",
            "inputs": {"width": "1.width", "height": "1.height"}} | fields


async def test_a_workflow_is_registered_listed_read_changed_and_deleted(client, server):
    created = await post(client, "/generation/workflows", definition())
    assert created["checked_on_server"] == server["id"] and created["version"] == 1
    await post(client, "/generation/workflows", definition(name="Another"))
    page = await get(client, "/generation/workflows?limit=1")
    assert (page["total"], [w["name"] for w in page["items"]]) == (2, ["Another"])
    assert await get(client, f"/generation/workflows/{created['id']}") == created

    renamed = await put(client, f"/generation/workflows/{created['id']}", {"name": "Swatch 2", "version": 1})
    assert (renamed["name"], renamed["version"], renamed["workflow"]) == ("Swatch 2", 2, SWATCH)
    stale = await client.put(f"{WORKFLOWS}/{created['id']}", json={"name": "Swatch 3", "version": 1})
    assert (await error_of(stale, 409))["code"] == "CONFLICT"
    rebound = await put(client, f"/generation/workflows/{created['id']}", {"inputs": {"seed": "1.color"}})
    assert list(rebound["binding"]["inputs"]) == ["seed"]
    assert created["id"] in [m["id"] for m in await get(client, "/generation/models") if m["source"] == "workflow"]

    assert await delete(client, f"/generation/workflows/{created['id']}") == {"workflow_id": created["id"]}
    await expect_not_found(client, f"/generation/workflows/{created['id']}")
    assert (await get(client, "/generation/workflows"))["total"] == 1


@pytest.mark.parametrize(("inputs", "field", "message"), [
    ({"width": "1.widht"}, "inputs.width", '"1.widht" names no input of node 1 (EmptyImage)'),
    ({"seed": "2.image"}, "inputs.seed", '"2.image" is fed by node 1'),
    ({"prompt": "7.text"}, "inputs.prompt", "node '7' is not in the workflow"),
])
async def test_a_binding_to_no_input_of_its_node_is_a_400_naming_the_binding(client, server, inputs, field, message):
    response = await client.post(WORKFLOWS, json=definition(inputs=inputs))
    error = await error_of(response, 400)
    assert field in error["details"]["fields"] and message in error["message"]
    created = await post(client, "/generation/workflows", definition())
    edit = await client.put(f"{WORKFLOWS}/{created['id']}", json={"inputs": inputs})
    assert field in (await error_of(edit, 400))["details"]["fields"], "an edit is checked the same way"


async def test_names_are_unique_without_regard_to_case_also_under_concurrent_registrations(client, server):
    answers = await asyncio.gather(*(client.post(WORKFLOWS, json=definition(name=name))
                                     for name in ["Swatch", "swatch", "SWATCH ", "Swatch", " swatch"]))
    assert sorted(answer.status for answer in answers) == [201, 409, 409, 409, 409], [a.status for a in answers]
    other = await post(client, "/generation/workflows", definition(name="Other"))
    rename = await client.put(f"{WORKFLOWS}/{other['id']}", json={"name": "sWATCH"})
    assert (await error_of(rename, 409))["code"] == "CONFLICT"
    unnamed = [await post(client, "/generation/workflows", definition(name=None)) for _ in range(2)]
    assert [w["name"] for w in unnamed] == ["Untitled workflow", "Untitled workflow 2"]


async def test_unknown_workflows_are_404(client, server):
    missing = "0" * 24
    await expect_not_found(client, f"/generation/workflows/{missing}")
    assert (await client.put(f"{WORKFLOWS}/{missing}", json={"name": "x"})).status == 404
    assert (await client.delete(f"{WORKFLOWS}/{missing}")).status == 404


async def test_an_empty_server_id_names_no_server_rather_than_the_one_checked_on(client, server):
    created = await post(client, "/generation/workflows", definition())
    response = await client.put(f"{WORKFLOWS}/{created['id']}", json={"server_id": "", "version": 1})
    assert (await error_of(response, 404))["code"] == "RESOURCE_NOT_FOUND"
