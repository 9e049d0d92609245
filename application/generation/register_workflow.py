"""Register a user's ComfyUI workflow, checked against a registered server's node catalog."""

from typing import Any

from attrs import define, field, frozen

from application.generation.workflow_definition import (
    checked_definition, ensure_name_unused, parse_binding, untitled_name,
)
from application.ports.clock import Clock
from application.ports.generation_backend import GenerationBackend
from application.ports.id_generator import IdGenerator
from application.ports.unit_of_work import UnitOfWork
from domain.generated_content import ContentKind
from domain.node_catalog import EXAMPLE_WORKFLOW, NODE_REFERENCE, NodeMap
from domain.user_workflow import UserWorkflow
from domain.workflow import EXAMPLE_INPUTS, Bindings
from domain.validation import REFERENCE, optional, rule_of


@frozen
class RegisterWorkflow:
    output_node: str = field(validator=NODE_REFERENCE, metadata={"example": "3"})
    workflow: dict[str, Any] = field(validator=NodeMap(), metadata={"example": EXAMPLE_WORKFLOW})
    name: str | None = field(default=None, validator=optional(rule_of(UserWorkflow, "name")))  # None: untitled_name
    kind: ContentKind = ContentKind.IMAGE
    inputs: dict[str, str | list[str]] = field(factory=dict, validator=Bindings(), metadata={"example": EXAMPLE_INPUTS})
    server_id: str | None = field(default=None, metadata=REFERENCE)


@define
class RegisterWorkflowHandler:
    uow: UnitOfWork
    backend: GenerationBackend
    clock: Clock
    ids: IdGenerator

    async def __call__(self, cmd: RegisterWorkflow) -> UserWorkflow:
        binding = parse_binding(cmd.output_node, cmd.inputs)
        workflow, server = await checked_definition(self.uow, self.backend, cmd.workflow, binding,
                                                    server_id=cmd.server_id)
        now = self.clock.now()
        async with self.uow:
            name = cmd.name if cmd.name is not None else await untitled_name(self.uow)
            await ensure_name_unused(self.uow, name)
            registered = UserWorkflow(id=self.ids.new_id(), name=name, kind=cmd.kind, workflow=workflow,
                                      binding=binding, checked_on_server=server.id, created_at=now, updated_at=now)
            await self.uow.workflows.add(registered)
            await self.uow.commit()
        return registered
