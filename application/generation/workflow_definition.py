"""What registering and editing a user workflow share: the definition checked against the nodes of the server
it is meant for, and names unique among the user's workflows (the one scope workflows live in)."""

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

from application.errors import Conflict
from application.lookups import require
from application.ports.generation_backend import GenerationBackend
from application.ports.unit_of_work import UnitOfWork
from domain.comfyui_server import ComfyUIServer
from domain.node_catalog import check_against_catalog, check_shape
from domain.user_workflow import name_key
from domain.workflow import NodeInput, Workflow, WorkflowBinding

UNTITLED = "Untitled workflow"
Inputs = Mapping[str, str | Sequence[str]]


def parse_binding(output_node: str, inputs: Inputs) -> WorkflowBinding:
    """`{"prompt": "6.text", "seed": ["3.seed", "8.seed"]}`: where each parameter goes."""
    targets = {name: [value] if isinstance(value, str) else list(value) for name, value in inputs.items()}
    parsed = {name: tuple(NodeInput.parse(t, field=f"inputs.{name}") for t in ts) for name, ts in targets.items()}
    return WorkflowBinding(output_node=output_node, inputs=parsed)


async def checked_definition(uow: UnitOfWork, backend: GenerationBackend, workflow: Any, binding: WorkflowBinding,
                             *, server_id: str | None) -> tuple[Workflow, ComfyUIServer]:
    """The workflow, once its nodes, their inputs and every binding fit the server's node catalog."""
    workflow = check_shape(workflow)
    server = await server_for_checks(uow, server_id)
    catalog = await backend.node_catalog(server.url)
    check_against_catalog(workflow, catalog, output_node=binding.output_node)
    binding.check_against(workflow, catalog)
    return workflow, server


async def server_for_checks(uow: UnitOfWork, server_id: str | None) -> ComfyUIServer:
    """The server named, else the first enabled one that is up, else any registered one."""
    async with uow:
        if server_id is not None:
            return await require(uow.comfyui_servers, server_id, "ComfyUI server")
        servers = await uow.comfyui_servers.all()
    ranked = sorted(servers, key=lambda s: (not s.available, not s.enabled))
    if not ranked:
        raise Conflict("register a ComfyUI server first: workflows are checked against its node catalog")
    return ranked[0]


async def ensure_name_unused(uow: UnitOfWork, name: str, *, workflow_id: str | None = None) -> None:
    """Refuse `name` if another workflow has it (the unique index on Mongo backs this up under races)."""
    key = name_key(name)
    if any(other.name_key == key and other.id != workflow_id for other in await uow.workflows.all()):
        raise Conflict(f"a workflow named '{name}' already exists")


async def untitled_name(uow: UnitOfWork) -> str:
    """'Untitled workflow', or the first of 'Untitled workflow 2', '... 3' that is free."""
    taken = {workflow.name_key for workflow in await uow.workflows.all()}
    for number in itertools.count(1):
        name = UNTITLED if number == 1 else f"{UNTITLED} {number}"
        if name_key(name) not in taken:
            return name
    raise AssertionError("unreachable")
