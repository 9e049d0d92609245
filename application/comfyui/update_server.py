"""Rename, resize, enable/disable or move a registered server (a new URL must be free and is probed first)."""

from attrs import asdict, define, evolve, field, frozen

from application.comfyui.model_rules import ensure_rules_known
from application.comfyui.server_checks import ServerChecker
from application.comfyui.server_urls import ensure_url_unused
from application.lookups import require
from application.ports.clock import Clock
from application.ports.model_preset_catalog import ModelPresetCatalog
from application.ports.queue_signal import QueueSignal
from application.ports.unit_of_work import UnitOfWork
from application.versions import ensure_version
from domain.comfyui_server import SERVER_URL, ComfyUIServer, ModelRules
from domain.validation import optional, rule_of


@frozen
class ServerChanges:
    """Fields left out (null) keep their value."""

    name: str | None = field(default=None, validator=optional(rule_of(ComfyUIServer, "name")))
    url: str | None = field(default=None, validator=optional(SERVER_URL), metadata={"example": "http://127.0.0.1:8188"})
    capacity: int | None = field(default=None, validator=optional(rule_of(ComfyUIServer, "capacity")))
    enabled: bool | None = None
    rules: ModelRules | None = None  # replaces the server's allow/deny lists as a whole
    version: int | None = None


@frozen
class UpdateServer:
    server_id: str
    changes: ServerChanges


@define
class UpdateServerHandler:
    """The configuration read first is written back under its version: an edit meanwhile is a 409,
    a probe meanwhile is not (observations are not part of the version)."""

    uow: UnitOfWork
    checker: ServerChecker
    clock: Clock
    signal: QueueSignal
    presets: ModelPresetCatalog

    async def __call__(self, cmd: UpdateServer) -> ComfyUIServer:
        updates = {k: v for k, v in asdict(cmd.changes, recurse=False).items() if v is not None and k != "version"}
        async with self.uow:
            if cmd.changes.rules is not None:
                await ensure_rules_known(self.uow, self.presets, cmd.changes.rules)
            server = await require(self.uow.comfyui_servers, cmd.server_id, "ComfyUI server")
            ensure_version("ComfyUI server", server.version, cmd.changes.version)
            edited = evolve(server, **updates, updated_at=self.clock.now())
            moved = edited.url != server.url
            if moved:
                await ensure_url_unused(self.uow, edited.url, server_id=server.id)
        found = await self.checker.check_up(edited.url) if moved else None  # outside the transaction
        async with self.uow:
            if moved:
                await ensure_url_unused(self.uow, edited.url, server_id=server.id)
            saved = await self.uow.comfyui_servers.update(edited)
            await self.uow.commit()
        if found is not None:
            await self.checker.record(saved.id, saved.url, found)
            saved = saved.checked(found.health, found.models)
        self.signal.settings_changed()
        return saved
