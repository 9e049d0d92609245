"""Rename a user workflow, or change its kind, nodes, bindings or output (a changed definition is checked again
against a server's node catalog). Jobs already queued keep the workflow they were composed with."""

from typing import Any

from attrs import define, evolve, field, frozen

from application.generation.workflow_definition import checked_definition, ensure_name_unused, parse_binding
from application.lookups import require
from application.ports.clock import Clock
from application.ports.generation_backend import GenerationBackend
from application.ports.unit_of_work import UnitOfWork
from application.versions import ensure_version
from domain.generated_content import ContentKind
from domain.node_catalog import EXAMPLE_WORKFLOW, NODE_REFERENCE, NodeMap
from domain.user_workflow import UserWorkflow
from domain.workflow import EXAMPLE_INPUTS, Bindings
from domain.validation import REFERENCE, optional, rule_of


@frozen
class WorkflowChanges:
    """Fields left out (null) keep their value. `inputs` replaces every binding; `server_id` says where a changed
    definition is checked (else the server it was checked on, else the first one up)."""

    name: str | None = field(default=None, validator=optional(rule_of(UserWorkflow, "name")))
    kind: ContentKind | None = None
    workflow: dict[str, Any] | None = field(default=None, validator=optional(NodeMap()),
                                            metadata={"example": EXAMPLE_WORKFLOW})
    output_node: str | None = field(default=None, validator=optional(NODE_REFERENCE), metadata={"example": "3"})
    inputs: dict[str, str | list[str]] | None = field(default=None, validator=optional(Bindings()),
                                                      metadata={"example": EXAMPLE_INPUTS})
    server_id: str | None = field(default=None, metadata=REFERENCE)
    version: int | None = None

    @property
    def redefines(self) -> bool:
        return any(value is not None for value in (self.workflow, self.output_node, self.inputs, self.server_id))


@frozen
class UpdateWorkflow:
    workflow_id: str
    changes: WorkflowChanges


@define
class UpdateWorkflowHandler:
    uow: UnitOfWork
    backend: GenerationBackend
    clock: Clock

    async def __call__(self, cmd: UpdateWorkflow) -> UserWorkflow:
        changes = cmd.changes
        async with self.uow:
            current = await require(self.uow.workflows, cmd.workflow_id, "Workflow")
        ensure_version("Workflow", current.version, changes.version)
        edited = evolve(current, name=changes.name or current.name, kind=changes.kind or current.kind,
                        updated_at=self.clock.now())
        if changes.redefines:
            edited = await self._redefined(edited, changes)
        async with self.uow:
            await ensure_name_unused(self.uow, edited.name, workflow_id=edited.id)
            saved = await self.uow.workflows.update(edited)  # under the version read above
            await self.uow.commit()
        return saved

    async def _redefined(self, workflow: UserWorkflow, changes: WorkflowChanges) -> UserWorkflow:
        output_node = changes.output_node or workflow.binding.output_node
        binding = (parse_binding(output_node, changes.inputs) if changes.inputs is not None
                   else evolve(workflow.binding, output_node=output_node))
        nodes, server = await checked_definition(
            self.uow, self.backend, changes.workflow if changes.workflow is not None else workflow.workflow,
            binding, server_id=changes.server_id if changes.server_id is not None else await self._checked_on(workflow))
        return evolve(workflow, workflow=nodes, binding=binding, checked_on_server=server.id)

    async def _checked_on(self, workflow: UserWorkflow) -> str | None:
        """The server the workflow was checked on, while it is registered."""
        async with self.uow:
            if workflow.checked_on_server and await self.uow.comfyui_servers.get(workflow.checked_on_server):
                return workflow.checked_on_server
        return None
