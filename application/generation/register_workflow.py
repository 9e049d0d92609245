"""Register a user's ComfyUI workflow, checked against a registered server's node catalog."""

from typing import Any

from attrs import define, field, frozen

from application.errors import Conflict
from application.lookups import require
from application.ports.clock import Clock
from application.ports.generation_backend import GenerationBackend
from application.ports.id_generator import IdGenerator
from application.ports.unit_of_work import UnitOfWork
from domain.comfyui_server import ComfyUIServer
from domain.errors import InvalidValue
from domain.generated_content import ContentKind
from domain.node_catalog import check_against_catalog, check_shape
from domain.user_workflow import UserWorkflow
from domain.workflow import NodeInput, WorkflowBinding

MAX_NODES = 500


@frozen
class RegisterWorkflow:
    output_node: str
    workflow: dict[str, Any]
    name: str = "Untitled workflow"
    kind: ContentKind = ContentKind.IMAGE
    inputs: dict[str, str | list[str]] = field(factory=dict)
    server_id: str | None = None

    def binding(self) -> WorkflowBinding:
        targets = {name: [value] if isinstance(value, str) else value for name, value in self.inputs.items()}
        parsed = {name: tuple(NodeInput.parse(t, field=f"inputs.{name}") for t in ts) for name, ts in targets.items()}
        return WorkflowBinding(output_node=self.output_node, inputs=parsed)


@define
class RegisterWorkflowHandler:
    uow: UnitOfWork
    backend: GenerationBackend
    clock: Clock
    ids: IdGenerator

    async def __call__(self, cmd: RegisterWorkflow) -> UserWorkflow:
        workflow = check_shape(cmd.workflow)
        if len(workflow) > MAX_NODES:
            raise InvalidValue("workflow", f"at most {MAX_NODES} nodes")
        binding = cmd.binding()
        binding.check_against(workflow)
        server = await self._server(cmd.server_id)
        check_against_catalog(workflow, await self.backend.node_catalog(server.url), output_node=binding.output_node)
        now = self.clock.now()
        registered = UserWorkflow(id=self.ids.new_id(), name=cmd.name, kind=cmd.kind, workflow=workflow,
                                  binding=binding, checked_on_server=server.id, created_at=now, updated_at=now)
        async with self.uow:
            await self.uow.workflows.add(registered)
            await self.uow.commit()
        return registered

    async def _server(self, server_id: str | None) -> ComfyUIServer:
        """The server named, else the first enabled one that is up, else any registered one."""
        async with self.uow:
            if server_id is not None:
                return await require(self.uow.comfyui_servers, server_id, "ComfyUI server")
            servers = await self.uow.comfyui_servers.find({}, order_by=("name", "id"))
        ranked = sorted(servers, key=lambda s: (not s.available, not s.enabled))
        if not ranked:
            raise Conflict("register a ComfyUI server first: workflows are checked against its node catalog")
        return ranked[0]
