"""Registering user workflows: checked against a server's node catalog, listed beside the presets."""

import pytest

from adapters.fakes.generation_backend import FakeServer
from application.comfyui.register_server import RegisterServer, RegisterServerHandler
from application.errors import Conflict
from application.generation.list_models import ListModels
from application.generation.register_workflow import RegisterWorkflow, RegisterWorkflowHandler
from domain.errors import InvalidValue
from tests.unit.application.fakes import FakeWorld

URL = "http://gpu:8188"
WORKFLOW = {
    "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "mine.safetensors"}},
    "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "", "clip": ["4", 1]}},
    "9": {"class_type": "SaveImage", "inputs": {"images": ["6", 0], "filename_prefix": "x"}},
}


@pytest.fixture
async def world() -> FakeWorld:
    world = FakeWorld()
    world.backend.servers[URL] = FakeServer()
    await world.handler(RegisterServerHandler)(RegisterServer(name="gpu", url=URL))
    return world


def command(**fields) -> RegisterWorkflow:
    return RegisterWorkflow(**({"name": "mine", "workflow": WORKFLOW, "output_node": "9",
                                "inputs": {"prompt": "6.text", "checkpoint": ["4.ckpt_name"]}} | fields))


async def test_a_valid_workflow_is_stored_and_listed_beside_the_presets(world):
    registered = await world.handler(RegisterWorkflowHandler)(command())
    models = await world.handler(ListModels)()
    assert [m.id for m in models if m.source == "workflow"] == [registered.id]
    assert len([m for m in models if m.source == "preset"]) >= 13
    assert registered.binding.inputs["prompt"][0].node == "6"


@pytest.mark.parametrize(("change", "field"), [
    ({"workflow": {**WORKFLOW, "7": {"class_type": "NoSuchNode", "inputs": {}}}}, "workflow.7"),
    ({"workflow": {**WORKFLOW, "6": {"class_type": "CLIPTextEncode", "inputs": {"txt": ""}}}}, "workflow.6"),
    ({"output_node": "6"}, "output_node"),
    ({"output_node": "99"}, "output_node"),
    ({"inputs": {"prompt": "66.text"}}, "inputs.prompt"),
    ({"inputs": {"prompt": "6"}}, "inputs.prompt"),
    ({"inputs": {"colour": "6.text"}}, "inputs.colour"),
    ({"workflow": {}}, "workflow"),
    ({"workflow": {"a.b": {"class_type": "SaveImage", "inputs": {}}}}, "workflow"),
])
async def test_a_bad_workflow_is_refused_naming_the_node_or_field(world, change, field):
    with pytest.raises(InvalidValue) as refused:
        await world.handler(RegisterWorkflowHandler)(command(**change))
    assert refused.value.field == field
    assert world.rows("workflows") == []


async def test_a_workflow_needs_a_registered_server():
    with pytest.raises(Conflict):
        await FakeWorld().handler(RegisterWorkflowHandler)(command())
