"""User workflows as a resource: registered (checked against a server's node catalog, every binding against
its node), listed beside the presets and on their own, read, changed, deleted; names unique."""

import pytest

from adapters.fakes.generation_backend import FakeServer
from application.comfyui.register_server import RegisterServer, RegisterServerHandler
from application.errors import Conflict, NotFound
from application.generation.delete_workflow import DeleteWorkflow, DeleteWorkflowHandler
from application.generation.list_models import ListModels
from application.generation.queries import GetWorkflow, ListWorkflows
from application.generation.register_workflow import RegisterWorkflow, RegisterWorkflowHandler
from application.generation.update_workflow import UpdateWorkflow, UpdateWorkflowHandler, WorkflowChanges
from application.queue.enqueue_generation import EnqueueGeneration, EnqueueGenerationHandler
from domain.errors import InvalidValue
from domain.generated_content import ContentKind
from tests.unit.application.board_builder import build_board
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


# Every binding names a value input of its node ---------------------------------------------------------------

SIZED = {**WORKFLOW, "1": {"class_type": "EmptyImage", "inputs": {"width": 512, "height": 512, "batch_size": 1}}}


@pytest.mark.parametrize(("inputs", "field", "message"), [
    ({"width": "1.widht"}, "inputs.width", '"1.widht" names no input of node 1 (EmptyImage)'),
    ({"prompt": "6.txt"}, "inputs.prompt", '"6.txt" names no input of node 6 (CLIPTextEncode)'),
    ({"seed": ["9.filename_prefix", "9.seed"]}, "inputs.seed", '"9.seed" names no input of node 9 (SaveImage)'),
    ({"prompt": "6.clip"}, "inputs.prompt", '"6.clip" is fed by node 4'),
])
async def test_a_binding_to_an_input_the_node_does_not_have_is_refused_naming_the_binding(world, inputs, field,
                                                                                          message):
    with pytest.raises(InvalidValue) as refused:
        await world.handler(RegisterWorkflowHandler)(command(workflow=SIZED, inputs=inputs))
    assert refused.value.field == field and refused.value.message.startswith(message)
    assert world.rows("workflows") == []


async def test_a_binding_may_name_an_input_the_nodes_class_takes_though_the_export_left_it_out(world):
    registered = await world.handler(RegisterWorkflowHandler)(command(workflow=SIZED, inputs={"seed": "1.color"}))
    assert str(registered.binding.inputs["seed"][0]) == "1.color"


# Names are unique ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("taken", ["mine", "MINE", "  mine ", "Mine"])
async def test_a_name_already_taken_in_any_case_or_spacing_is_a_conflict(world, taken):
    await world.handler(RegisterWorkflowHandler)(command(name="Mine"))
    with pytest.raises(Conflict):
        await world.handler(RegisterWorkflowHandler)(command(name=taken))
    assert len(world.rows("workflows")) == 1


async def test_unnamed_workflows_are_numbered(world):
    names = [(await world.handler(RegisterWorkflowHandler)(command(name=None))).name for _ in range(3)]
    assert names == ["Untitled workflow", "Untitled workflow 2", "Untitled workflow 3"]


# List, get, update, delete ------------------------------------------------------------------------------------


async def register_named(world, *names):
    return [await world.handler(RegisterWorkflowHandler)(command(name=name)) for name in names]


async def test_workflows_are_listed_by_name_a_page_at_a_time_and_read_one_by_one(world):
    b, a, c = await register_named(world, "b", "a", "c")
    page = await world.handler(ListWorkflows)(skip=1, limit=1)
    assert (page.total, [w.id for w in page.items]) == (3, [b.id])
    assert await world.handler(GetWorkflow)(c.id) == c
    with pytest.raises(NotFound):
        await world.handler(GetWorkflow)("nope")


async def update(world, workflow_id, **changes):
    return await world.handler(UpdateWorkflowHandler)(UpdateWorkflow(workflow_id, WorkflowChanges(**changes)))


async def test_a_rename_is_version_guarded_and_needs_a_free_name(world):
    first, second = await register_named(world, "first", "second")
    renamed = await update(world, first.id, name="First!", version=first.version)
    assert (renamed.name, renamed.version, renamed.workflow) == ("First!", 2, first.workflow)
    with pytest.raises(Conflict):
        await update(world, first.id, name="again", version=1)
    with pytest.raises(Conflict):
        await update(world, second.id, name="first!")
    assert (await update(world, second.id, name="SECOND")).name == "SECOND", "its own name in another case"


async def test_a_changed_definition_is_checked_again_naming_the_bad_binding(world):
    [registered] = await register_named(world, "mine")
    with pytest.raises(InvalidValue) as refused:
        await update(world, registered.id, inputs={"prompt": "6.text", "seed": "4.seed"})
    assert refused.value.field == "inputs.seed"
    with pytest.raises(InvalidValue) as refused:
        await update(world, registered.id, workflow=SIZED | {"6": {"class_type": "CLIPTextEncode", "inputs": {}}},
                     inputs={"prompt": "6.txt"})
    assert refused.value.field == "inputs.prompt"
    assert await world.handler(GetWorkflow)(registered.id) == registered, "nothing changed"
    sized = await update(world, registered.id, workflow=SIZED, inputs={"width": "1.width", "height": ["1.height"]},
                         kind=ContentKind.IMAGE)
    assert set(sized.binding.inputs) == {"width", "height"} and sized.workflow == SIZED


async def test_a_definition_kept_as_is_must_still_fit_a_new_workflow(world):
    [registered] = await register_named(world, "mine")  # binds 6.text and 4.ckpt_name
    without_loader = {node: spec for node, spec in WORKFLOW.items() if node != "4"}
    without_loader["6"] = {"class_type": "CLIPTextEncode", "inputs": {"text": ""}}
    with pytest.raises(InvalidValue) as refused:
        await update(world, registered.id, workflow=without_loader)
    assert refused.value.field == "inputs.checkpoint"


async def test_a_deleted_workflow_is_gone_but_jobs_already_queued_with_it_keep_their_own_copy(world):
    [registered] = await register_named(world, "mine")
    await build_board(world, [(1, 0, 0)], characters=0)
    job = await world.handler(EnqueueGenerationHandler)(EnqueueGeneration(clip_id=world.rows("clips")[0].id,
                                                                          model=registered.id))
    deleted = await world.handler(DeleteWorkflowHandler)(DeleteWorkflow(registered.id))
    assert deleted.workflow_id == registered.id and world.rows("workflows") == []
    assert (await world.jobs.workflow(job.id))["9"]["class_type"] == "SaveImage"
    with pytest.raises(NotFound):
        await world.handler(DeleteWorkflowHandler)(DeleteWorkflow(registered.id))
    with pytest.raises(NotFound):
        await update(world, registered.id, name="back")
