"""The simulator's parts, built once per app from its config and reached by handlers through one AppKey."""

import asyncio

from aiohttp import web
from attrs import define, field

from adapters.comfyui.simulator.catalog import NodeCatalog
from adapters.comfyui.simulator.config import SimulatorConfig
from adapters.comfyui.simulator.executor import PromptExecutor
from adapters.comfyui.simulator.failures import FailureInjector
from adapters.comfyui.simulator.input_validation import CustomValidator
from adapters.comfyui.simulator.messenger import Messenger
from adapters.comfyui.simulator.node_registry import custom_validators, is_changed
from adapters.comfyui.simulator.node_runner import NodeRunner
from adapters.comfyui.simulator.output_cache import OutputCache
from adapters.comfyui.simulator.prompt_queue import PromptQueue
from adapters.comfyui.simulator.stats import SimulatorStats
from adapters.comfyui.simulator.worker_slot import WorkerSlot


@define
class SimulatorState:
    """Queue, sockets, slots and counters of one running simulator."""

    config: SimulatorConfig
    catalog: NodeCatalog
    validators: dict[str, CustomValidator]
    messenger: Messenger
    queue: PromptQueue
    stats: SimulatorStats
    failures: FailureInjector
    executors: list[PromptExecutor]
    number: int = 0
    tasks: list[asyncio.Task] = field(factory=list)

    @property
    def slots(self) -> list[WorkerSlot]:
        return [executor.slot for executor in self.executors]


STATE = web.AppKey("comfyui_simulator_state", SimulatorState)


def _executor(config: SimulatorConfig, index: int, *, catalog: NodeCatalog, messenger: Messenger,
              failures: FailureInjector, stats: SimulatorStats) -> PromptExecutor:
    cache = OutputCache(lambda class_type, inputs: is_changed(config, class_type, inputs))
    slot = WorkerSlot(index, cache, stats, config.model_switch_delay)
    stats.slot_models[index] = None
    return PromptExecutor(NodeRunner(config, catalog, messenger, failures, slot), messenger)


def build_state(config: SimulatorConfig) -> SimulatorState:
    """Create the directories and every part of the simulator."""
    for directory in (config.output_dir, config.input_dir, config.temp_dir):
        directory.mkdir(parents=True, exist_ok=True)
    messenger = Messenger()
    catalog = NodeCatalog(config.models, config.input_dir)
    stats = SimulatorStats(config.capacity)
    failures = FailureInjector(config.failures, crash=config.crash, drop_sockets=messenger.close_all)
    executors = [_executor(config, index, catalog=catalog, messenger=messenger, failures=failures, stats=stats)
                 for index in range(config.capacity)]
    return SimulatorState(config, catalog, custom_validators(config), messenger, PromptQueue(messenger), stats,
                          failures, executors)
