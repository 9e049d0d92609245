"""Register a ComfyUI server: its URL is validated, must not be registered yet, and is probed first."""

from attrs import define, field, frozen

from application.comfyui.model_rules import ensure_rules_known
from application.comfyui.server_checks import ServerChecker
from application.comfyui.server_urls import ensure_url_unused
from application.ports.clock import Clock
from application.ports.id_generator import IdGenerator
from application.ports.model_preset_catalog import ModelPresetCatalog
from application.ports.queue_signal import QueueSignal
from application.ports.unit_of_work import UnitOfWork
from domain.comfyui_server import SERVER_URL, ComfyUIServer, ModelRules
from domain.validation import rule_of


@frozen
class RegisterServer:
    name: str = field(validator=rule_of(ComfyUIServer, "name"))
    url: str = field(validator=SERVER_URL, metadata={"example": "http://127.0.0.1:8188"})
    capacity: int = field(default=1, validator=rule_of(ComfyUIServer, "capacity"))
    enabled: bool = True
    rules: ModelRules = ModelRules()  # which presets, workflows and model kinds it may run (allow/deny)


@define
class RegisterServerHandler:
    uow: UnitOfWork
    checker: ServerChecker
    clock: Clock
    ids: IdGenerator
    signal: QueueSignal
    presets: ModelPresetCatalog

    async def __call__(self, cmd: RegisterServer) -> ComfyUIServer:
        now = self.clock.now()
        server = ComfyUIServer(id=self.ids.new_id(), name=cmd.name, url=cmd.url, capacity=cmd.capacity,
                               enabled=cmd.enabled, rules=cmd.rules, created_at=now, updated_at=now)
        async with self.uow:
            await ensure_rules_known(self.uow, self.presets, cmd.rules)
            await ensure_url_unused(self.uow, server.url)  # before probing: a duplicate is a 409 even when down
        found = await self.checker.check_up(server.url)
        async with self.uow:
            await ensure_url_unused(self.uow, server.url)
            await self.uow.comfyui_servers.add(server)
            await self.uow.commit()
        await self.checker.record(server.id, server.url, found)
        self.signal.settings_changed()
        return server.checked(found.health, found.models)
