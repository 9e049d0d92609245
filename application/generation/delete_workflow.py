"""Delete a user workflow. Jobs already queued with it still run: each job keeps the workflow it was composed
with (`queue_workflows`), so nothing waits on the registered one."""

from attrs import define, frozen

from application.lookups import require
from application.ports.unit_of_work import UnitOfWork


@frozen
class DeleteWorkflow:
    workflow_id: str


@frozen
class WorkflowDeleted:
    workflow_id: str


@define
class DeleteWorkflowHandler:
    uow: UnitOfWork

    async def __call__(self, cmd: DeleteWorkflow) -> WorkflowDeleted:
        async with self.uow:
            await require(self.uow.workflows, cmd.workflow_id, "Workflow")
            await self.uow.workflows.delete(cmd.workflow_id)
            await self.uow.commit()
        return WorkflowDeleted(workflow_id=cmd.workflow_id)
