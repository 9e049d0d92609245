"""The simulator's parts, built once per app from its config and reached by handlers through one AppKey."""

import asyncio

from aiohttp import web
from attrs import define, field

from simulators.comfyui.config import SimulatorConfig
from simulators.comfyui.execution.executor import PromptExecutor
from simulators.comfyui.execution.failures import FailureInjector
from simulators.comfyui.execution.input_validation import CustomValidator
from simulators.comfyui.execution.messenger import Messenger
from simulators.comfyui.execution.node_runner import NodeRunner
from simulators.comfyui.execution.output_cache import OutputCache
from simulators.comfyui.execution.prompt_queue import PromptQueue
from simulators.comfyui.execution.stats import SimulatorStats
from simulators.comfyui.execution.worker_slot import WorkerSlot
from simulators.comfyui.media.assets import AssetRegistry
from simulators.comfyui.nodes.catalog import NodeCatalog
from simulators.comfyui.nodes.registry import custom_validators, is_changed


@define
class SimulatorState:
    """Queue, sockets, slots, assets and counters of one running simulator."""

    config: SimulatorConfig
    catalog: NodeCatalog
    validators: dict[str, CustomValidator]
    messenger: Messenger
    queue: PromptQueue
    stats: SimulatorStats
    failures: FailureInjector
    executors: list[PromptExecutor]
    assets: AssetRegistry | None
    number: int = 0
    tasks: list[asyncio.Task] = field(factory=list)

    @property
    def slots(self) -> list[WorkerSlot]:
        return [executor.slot for executor in self.executors]

    def interrupt(self, prompt_id: str | None = None) -> bool:
        """Flag the slots running this prompt (every slot when None); whether one was running it."""
        slots = [slot for slot in self.slots if prompt_id is None or slot.prompt_id == prompt_id]
        for slot in slots:
            slot.interrupted = True
        return bool(slots)


STATE = web.AppKey("comfyui_simulator_state", SimulatorState)


def _executor(config: SimulatorConfig, index: int, *, catalog: NodeCatalog, messenger: Messenger,
              failures: FailureInjector, stats: SimulatorStats, assets: AssetRegistry | None) -> PromptExecutor:
    cache = OutputCache(lambda class_type, inputs: is_changed(config, class_type, inputs))
    slot = WorkerSlot(index, cache, stats, config.model_switch_delay)
    stats.slot_models[index] = None
    return PromptExecutor(NodeRunner(config, catalog, messenger, failures, slot, assets), messenger)


def _assets(config: SimulatorConfig) -> AssetRegistry | None:
    if config.legacy:
        return None
    return AssetRegistry({"output": config.output_dir, "input": config.input_dir, "temp": config.temp_dir})


def build_state(config: SimulatorConfig) -> SimulatorState:
    """Create the directories and every part of the simulator."""
    for directory in (config.output_dir, config.input_dir, config.temp_dir):
        directory.mkdir(parents=True, exist_ok=True)
    messenger = Messenger()
    catalog = NodeCatalog(config.models, config.input_dir, current=not config.legacy)
    stats = SimulatorStats(config.capacity)
    failures = FailureInjector(config.failures, crash=config.crash, drop_sockets=messenger.close_all)
    assets = _assets(config)
    executors = [_executor(config, index, catalog=catalog, messenger=messenger, failures=failures, stats=stats,
                           assets=assets) for index in range(config.capacity)]
    queue = PromptQueue(messenger, unique_ids=not config.legacy)
    return SimulatorState(config, catalog, custom_validators(config), messenger, queue, stats, failures,
                          executors, assets)
