"""Runs one node of a prompt as execution.execute does: cache hit, inputs, `executing`, the call, `executed`."""

import asyncio
import random
import traceback
from typing import Any

from attrs import frozen

from simulators.comfyui.config import SimulatorConfig
from simulators.comfyui.execution.execution_list import is_link
from simulators.comfyui.execution.failures import FailureInjector
from simulators.comfyui.execution.input_validation import full_type_name
from simulators.comfyui.execution.messenger import Messenger
from simulators.comfyui.execution.output_cache import CachedNode
from simulators.comfyui.execution.progress import ProgressRegistry
from simulators.comfyui.execution.worker_slot import InterruptProcessing, WorkerSlot
from simulators.comfyui.media.assets import AssetRegistry
from simulators.comfyui.media.preview import render_preview
from simulators.comfyui.nodes.catalog import NodeCatalog, input_info
from simulators.comfyui.nodes.interface import NodeContext, NodeImpl
from simulators.comfyui.nodes.registry import NODES
from simulators.comfyui.nodes.values import Latent


@frozen(kw_only=True)
class PromptRun:
    """The prompt being executed and its per-prompt state."""

    prompt_id: str
    prompt: dict[str, Any]
    extra_data: dict[str, Any]
    progress: ProgressRegistry
    executed: dict[str, None]
    previews: bool = False

    @property
    def client_id(self) -> str | None:
        return self.extra_data.get("client_id")


def format_value(value: Any) -> Any:
    """How current_inputs shows a value: plain JSON scalars as they are, anything else as str()."""
    return value if value is None or isinstance(value, (int, float, bool, str)) else str(value)


@frozen
class NodeRunner:
    """Executes single nodes on one slot; returns None on success, else the error details."""

    config: SimulatorConfig
    catalog: NodeCatalog
    messenger: Messenger
    failures: FailureInjector
    slot: WorkerSlot
    assets: AssetRegistry | None = None  # today's servers register outputs as assets; 0.3.64 has none

    async def run(self, run: PromptRun, node_id: str) -> dict[str, Any] | None:
        """Execute (or replay from cache) one node."""
        cached = self.slot.cache.get(node_id)
        if cached is not None:
            self._replay(run, node_id, cached)
            return None
        run.progress.start(node_id)
        class_type = run.prompt[node_id]["class_type"]
        inputs = self._input_data(run, node_id, class_type)
        if run.client_id is not None:
            self.slot.last_node_id = node_id
            self.messenger.send_sync("executing", {"node": node_id, "display_node": node_id,
                                                   "prompt_id": run.prompt_id}, run.client_id)
        try:
            result = await self._call(run, node_id, NODES[class_type], inputs)
        except InterruptProcessing:
            return {"node_id": node_id, "interrupted": True}
        except Exception as ex:
            return _error_details(node_id, ex, inputs)
        self._store(run, node_id, result.outputs, result.ui)
        return None

    def _replay(self, run: PromptRun, node_id: str, cached: CachedNode) -> None:
        self._send_executed(run, node_id, (cached.ui or {}).get("output"))
        run.progress.finish(node_id)

    def _send_executed(self, run: PromptRun, node_id: str, output: dict[str, Any] | None) -> None:
        if output is not None and self.assets is not None:
            output = self.assets.enrich(output)
        if run.client_id is not None:
            self.messenger.send_sync("executed", {"node": node_id, "display_node": node_id, "output": output,
                                                  "prompt_id": run.prompt_id}, run.client_id)

    async def _call(self, run: PromptRun, node_id: str, impl: NodeImpl, inputs: dict[str, Any]) -> Any:
        self.slot.raise_if_interrupted()
        await self.failures.before_node()
        class_type = run.prompt[node_id]["class_type"]
        if not impl.paced:
            await asyncio.sleep(self.config.latency_of(class_type))
        return await impl.run(self._context(run, node_id, class_type), **inputs)

    def _context(self, run: PromptRun, node_id: str, class_type: str) -> NodeContext:
        async def step(value: int, total: int, target: Any) -> None:
            self.slot.raise_if_interrupted()
            run.progress.update(node_id, value, total, self._preview(run, target, value, total))

        suffix = self.slot.temp_suffixes.setdefault(
            (node_id, class_type), "".join(random.choice("abcdefghijklmnopqrstupvxyz") for _ in range(5)))
        return NodeContext(node_id=node_id, config=self.config, slot=self.slot, step=step, prompt=run.prompt,
                           extra_pnginfo=run.extra_data.get("extra_pnginfo"), temp_suffix=suffix)

    def _preview(self, run: PromptRun, target: Any, value: int, total: int) -> bytes | None:
        if not run.previews or not isinstance(target, Latent):
            return None
        return render_preview(target, value, total, self.config.preview_size)

    def _input_data(self, run: PromptRun, node_id: str, class_type: str) -> dict[str, Any]:
        input_types = self.catalog.input_types(class_type)
        data: dict[str, Any] = {}
        for name, value in run.prompt[node_id]["inputs"].items():
            if is_link(value):
                cached = self.slot.cache.get(value[0])
                data[name] = cached.outputs[int(value[1])] if cached and value[1] < len(cached.outputs) else None
            elif input_info(input_types, name)[1] is not None:
                data[name] = value
        hidden = {"PROMPT": run.prompt, "EXTRA_PNGINFO": run.extra_data.get("extra_pnginfo"), "UNIQUE_ID": node_id}
        for name, spec in input_types.get("hidden", {}).items():
            kind = spec if isinstance(spec, str) else spec[0]
            if kind in hidden:
                data[name] = hidden[kind]
        return data

    def _store(self, run: PromptRun, node_id: str, outputs: tuple[Any, ...], ui: dict[str, Any] | None) -> None:
        entry = CachedNode(outputs)
        if ui:
            entry.ui = {"meta": {"node_id": node_id, "display_node": node_id, "parent_node": None,
                                 "real_node_id": node_id}, "output": ui}
            self._send_executed(run, node_id, ui)
        self.slot.cache.set(node_id, entry)
        run.progress.finish(node_id)
        run.executed[node_id] = None


def _error_details(node_id: str, ex: Exception, inputs: dict[str, Any]) -> dict[str, Any]:
    return {
        "node_id": node_id,
        "exception_message": f"{ex}\n",
        "exception_type": full_type_name(type(ex)),
        "traceback": traceback.format_tb(ex.__traceback__),
        "current_inputs": {name: [format_value(value)] for name, value in inputs.items()},
    }
