"""Unregister a ComfyUI server (and forget what was observed there and the job times learned of it)."""

from attrs import define, frozen

from application.lookups import require
from application.ports.server_observations import ServerObservations
from application.ports.speed_records import SpeedRecords
from application.ports.unit_of_work import UnitOfWork
from application.queue.speed import SpeedTracker


@frozen
class DeleteServer:
    server_id: str


@frozen
class ServerDeleted:
    server_id: str


@define
class DeleteServerHandler:
    uow: UnitOfWork
    observations: ServerObservations
    speeds: SpeedRecords | None = None  # the stored job times (`server_speeds`)
    tracker: SpeedTracker | None = None  # this instance's speed model, when it dispatches with one

    async def __call__(self, cmd: DeleteServer) -> ServerDeleted:
        async with self.uow:
            await require(self.uow.comfyui_servers, cmd.server_id, "ComfyUI server")
            await self.uow.comfyui_servers.delete(cmd.server_id)
            await self.uow.commit()
        await self.observations.forget(cmd.server_id)
        if self.tracker is not None:
            self.tracker.forget(cmd.server_id)
        if self.speeds is not None:
            await self.speeds.forget(cmd.server_id)
        return ServerDeleted(server_id=cmd.server_id)
