"""The worker loops (main.prompt_worker), one per slot, taking prompts from the shared queue."""

import asyncio
import contextlib
import logging
import time

from simulators.comfyui.execution.executor import Outcome, PromptExecutor
from simulators.comfyui.execution.messenger import Messenger
from simulators.comfyui.execution.prompt_queue import ExecutionStatus, PromptQueue
from simulators.comfyui.execution.stats import SimulatorStats

_log = logging.getLogger(__name__)


async def prompt_worker(executor: PromptExecutor, queue: PromptQueue, messenger: Messenger,
                        stats: SimulatorStats, history_delay: float) -> None:
    """Forever: take a prompt, execute it, store its history, then send `executing` null to its client."""
    slot = executor.slot
    while True:
        item, task_id = await queue.get()
        _, prompt_id, prompt, extra_data, outputs = item
        slot.prompt_id = prompt_id
        stats.started(prompt_id, slot.index)
        started = time.perf_counter()
        try:
            outcome = await executor.execute(prompt, prompt_id, extra_data, outputs)
        except Exception:  # a simulator bug must not stop the queue
            _log.exception("the simulator failed while executing %s", prompt_id)
            outcome = Outcome(ExecutionStatus("error", False, executor.messages), {"outputs": {}, "meta": {}})
        await asyncio.sleep(history_delay)
        queue.task_done(task_id, outcome.history, outcome.status)
        if slot.client_id is not None:
            messenger.send_sync("executing", {"node": None, "prompt_id": prompt_id}, slot.client_id)
        slot.prompt_id = None
        stats.finished(prompt_id, outcome.status.status_str)
        _log.info("Prompt executed in %.2f seconds", time.perf_counter() - started)


async def run_workers(executors: list[PromptExecutor], queue: PromptQueue, messenger: Messenger,
                      stats: SimulatorStats, history_delay: float) -> list[asyncio.Task]:
    """Start the publish loop and one worker per slot."""
    tasks = [asyncio.create_task(messenger.publish_loop(), name="comfyui-sim-publish")]
    tasks += [asyncio.create_task(prompt_worker(executor, queue, messenger, stats, history_delay),
                                  name=f"comfyui-sim-worker-{i}") for i, executor in enumerate(executors)]
    return tasks


async def stop_workers(tasks: list[asyncio.Task]) -> None:
    """Cancel the loops and wait for them to end."""
    for task in tasks:
        task.cancel()
    for task in tasks:
        with contextlib.suppress(asyncio.CancelledError):
            await task
