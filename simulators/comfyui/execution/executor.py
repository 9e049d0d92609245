"""Executes one prompt on a slot with the message sequence of ComfyUI's PromptExecutor.execute_async."""

import time
from typing import Any

from attrs import frozen

from simulators.comfyui.execution.execution_list import DependencyCycleError, ExecutionList
from simulators.comfyui.execution.messenger import Messenger
from simulators.comfyui.execution.node_runner import NodeRunner, PromptRun
from simulators.comfyui.execution.previews import previews_wanted
from simulators.comfyui.execution.progress import ProgressRegistry
from simulators.comfyui.execution.prompt_queue import ExecutionStatus


@frozen
class Outcome:
    """What the worker stores in history: the status and the outputs/meta of output nodes."""

    status: ExecutionStatus
    history: dict[str, Any]


class PromptExecutor:
    """Runs prompts one after the other on one slot."""

    def __init__(self, runner: NodeRunner, messenger: Messenger):
        self.runner = runner
        self.messenger = messenger
        self.slot = runner.slot
        self.messages: list[tuple[str, dict[str, Any]]] = []

    def _add_message(self, run: PromptRun, event: str, data: dict[str, Any], *, broadcast: bool) -> None:
        data = {**data, "timestamp": int(time.time() * 1000)}
        self.messages.append((event, data))
        if run.client_id is not None or broadcast:
            self.messenger.send_sync(event, data, run.client_id)

    async def execute(self, prompt: dict[str, Any], prompt_id: str, extra_data: dict[str, Any],
                      outputs: list[str]) -> Outcome:
        """Run the prompt's output nodes and whatever they need that is not cached."""
        self.slot.interrupted = False
        self.slot.client_id = extra_data.get("client_id")
        self.messages = []
        run = PromptRun(prompt_id=prompt_id, prompt=prompt, extra_data=extra_data, executed={},
                        progress=ProgressRegistry(self.messenger, prompt_id, extra_data.get("client_id")),
                        previews=previews_wanted(self.runner.config, extra_data))
        self._add_message(run, "execution_start", {"prompt_id": prompt_id}, broadcast=False)
        self.slot.cache.set_prompt(prompt)
        cached = [node_id for node_id in prompt if self.slot.cache.get(node_id) is not None]
        self._add_message(run, "execution_cached", {"nodes": cached, "prompt_id": prompt_id}, broadcast=False)
        success = await self._run_nodes(run, outputs)
        if success:
            self._add_message(run, "execution_success", {"prompt_id": prompt_id}, broadcast=False)
        self.slot.last_node_id = None
        status = ExecutionStatus("success" if success else "error", success, self.messages)
        return Outcome(status, self._history(prompt))

    async def _run_nodes(self, run: PromptRun, outputs: list[str]) -> bool:
        cache = self.slot.cache
        execution = ExecutionList(run.prompt, lambda n: cache.get(n) is not None,
                                  lambda n: self.runner.catalog.is_output(run.prompt[n]["class_type"]))
        for node_id in outputs:
            execution.add_node(node_id)
        while not execution.is_empty():
            try:
                node_id = execution.next_node()
            except DependencyCycleError as ex:
                self._report_error(run, _cycle_details(execution, ex))
                return False
            error = await self.runner.run(run, node_id)
            if error is not None:
                self._report_error(run, error)
                return False
            execution.complete(node_id)
        return True

    def _report_error(self, run: PromptRun, error: dict[str, Any]) -> None:
        node_id = error["node_id"]
        message = {"prompt_id": run.prompt_id, "node_id": node_id,
                   "node_type": run.prompt[node_id]["class_type"], "executed": list(run.executed)}
        if error.get("interrupted"):
            self._add_message(run, "execution_interrupted", message, broadcast=True)
            return
        details = {key: error[key] for key in ("exception_message", "exception_type", "traceback", "current_inputs")}
        self._add_message(run, "execution_error", {**message, **details, "current_outputs": list(run.prompt)},
                          broadcast=False)

    def _history(self, prompt: dict[str, Any]) -> dict[str, Any]:
        outputs, meta, assets = {}, {}, self.runner.assets
        for node_id in prompt:
            entry = self.slot.cache.get(node_id)
            if entry is not None and entry.ui is not None:
                outputs[node_id] = entry.ui["output"] if assets is None else assets.enrich(entry.ui["output"])
                meta[node_id] = entry.ui["meta"]
        return {"outputs": outputs, "meta": meta}


def _cycle_details(execution: ExecutionList, ex: Exception) -> dict[str, Any]:
    return {"node_id": next(iter(execution.pending)), "exception_message": str(ex),
            "exception_type": "graph.DependencyCycleError", "traceback": [], "current_inputs": []}
