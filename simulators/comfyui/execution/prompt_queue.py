"""Pending, running and finished prompts, with the semantics of ComfyUI's execution.PromptQueue."""

import asyncio
import copy
import heapq
from collections.abc import Callable
from typing import Any, NamedTuple

from simulators.comfyui.execution.messenger import Messenger

# (number, prompt_id, prompt, extra_data, outputs_to_execute), shown as a 5-list on the wire.
QueueItem = tuple[float, str, dict[str, Any], dict[str, Any], list[str]]
MAXIMUM_HISTORY_SIZE = 10000
SENSITIVE_EXTRA_DATA_KEYS = ("auth_token_comfy_org", "api_key_comfy_org")


class ExecutionStatus(NamedTuple):
    """How a prompt ended, as stored in its history entry."""

    status_str: str
    completed: bool
    messages: list[Any]


class PromptQueue:
    """A heap of pending items ordered by number, the running ones by task id, and the history."""

    def __init__(self, messenger: Messenger, *, unique_ids: bool = False):
        self.messenger = messenger
        self.unique_ids = unique_ids  # today's put refuses an id that is pending, running or in history
        self.queue: list[QueueItem] = []
        self.running: dict[int, QueueItem] = {}
        self.history: dict[str, dict[str, Any]] = {}
        self.task_counter = 0
        self._changed = asyncio.Event()

    def queue_updated(self) -> None:
        """Tell every socket how many prompts remain."""
        self.messenger.send_sync("status", {"status": self.queue_info()})

    def queue_info(self) -> dict[str, Any]:
        """`{"exec_info": {"queue_remaining": n}}`, counting pending and running prompts."""
        return {"exec_info": {"queue_remaining": len(self.queue) + len(self.running)}}

    def put(self, item: QueueItem) -> bool:
        """Queue a validated prompt; False (nothing queued) when ids must be unique and this one is held."""
        if self.unique_ids and self.holds(item[1]):
            return False
        heapq.heappush(self.queue, item)
        self.queue_updated()
        self._changed.set()
        return True

    def holds(self, prompt_id: str) -> bool:
        """Whether a prompt of this id is pending, running or in history."""
        return (prompt_id in self.history or any(item[1] == prompt_id for item in self.queue)
                or any(item[1] == prompt_id for item in self.running.values()))

    def is_running(self, prompt_id: str) -> bool:
        """Whether a prompt of this id is running now."""
        return any(item[1] == prompt_id for item in self.running.values())

    async def get(self) -> tuple[QueueItem, int]:
        """Wait for the lowest-numbered pending item and mark it running."""
        while not self.queue:
            self._changed.clear()
            await self._changed.wait()
        item = heapq.heappop(self.queue)
        task_id = self.task_counter
        self.task_counter += 1
        self.running[task_id] = copy.deepcopy(item)
        self.queue_updated()
        return item, task_id

    def task_done(self, task_id: int, result: dict[str, Any], status: ExecutionStatus | None) -> None:
        """Store the history entry of a finished prompt, then announce the new queue size."""
        item = self.running.pop(task_id)
        if len(self.history) > MAXIMUM_HISTORY_SIZE:
            self.history.pop(next(iter(self.history)))
        for key in SENSITIVE_EXTRA_DATA_KEYS:
            item[3].pop(key, None)
        status_dict = None if status is None else copy.deepcopy(status._asdict())
        self.history[item[1]] = {"prompt": item, "outputs": {}, "status": status_dict, **result}
        self.queue_updated()

    def current(self) -> tuple[list[QueueItem], list[QueueItem]]:
        """(running, pending) items, pending in heap order."""
        return list(self.running.values()), list(self.queue)

    def wipe_queue(self) -> None:
        """Drop every pending item."""
        self.queue = []
        self.queue_updated()

    def delete_queue_item(self, matches: Callable[[QueueItem], bool]) -> bool:
        """Drop the first pending item that matches."""
        for index, item in enumerate(self.queue):
            if matches(item):
                if len(self.queue) == 1:
                    self.wipe_queue()
                else:
                    self.queue.pop(index)
                    heapq.heapify(self.queue)
                self.queue_updated()
                return True
        return False

    def get_history(self, prompt_id: str | None = None, max_items: int | None = None,
                    offset: int = -1) -> dict[str, Any]:
        """One entry (or {}), or a window of all entries like GET /history?max_items=&offset=."""
        if prompt_id is not None:
            return {prompt_id: copy.deepcopy(self.history[prompt_id])} if prompt_id in self.history else {}
        if offset < 0 and max_items is not None:
            offset = len(self.history) - max_items
        window = {}
        for index, (key, entry) in enumerate(self.history.items()):
            if index >= offset:
                window[key] = entry
                if max_items is not None and len(window) >= max_items:
                    break
        return window

    def wipe_history(self) -> None:
        """Forget every history entry."""
        self.history = {}

    def delete_history_item(self, prompt_id: str) -> None:
        """Forget one history entry."""
        self.history.pop(prompt_id, None)
