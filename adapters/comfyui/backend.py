"""The GenerationBackend port over ComfyUI: HTTP calls plus one progress socket per server."""

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
from attrs import define, field

from adapters.comfyui.history import failure, outcome_from_history
from adapters.comfyui.http_client import ComfyUIHttp
from adapters.comfyui.object_info import model_catalog, node_catalog
from adapters.comfyui.progress_listener import DISCONNECTED, Message, ProgressListener
from application.errors import UpstreamUnavailable
from application.ports.generation_backend import (
    OnEvent, OutputFile, PromptEvent, PromptOutcome, PromptStatus, ServerProbe,
)
from domain.comfyui_server import ModelCatalog
from domain.node_catalog import NodeCatalog

HISTORY_POLL_S = 5.0  # a safety net: lost messages are recovered from /history at least this often
UNREACHABLE_GRACE_S = 10.0  # a server away longer than this has lost the prompt: the job runs elsewhere
EVENT_KINDS = {"execution_start": "started", "executing": "executing", "progress": "progress", "executed": "executed"}


def _event(prompt_id: str, kind: str, data: dict[str, Any]) -> PromptEvent:
    return PromptEvent(prompt_id=prompt_id, kind=EVENT_KINDS[kind], node=data.get("node"),
                       value=data.get("value"), maximum=data.get("max"))


@define
class ComfyUIBackend:
    client_id: str = field(factory=lambda: uuid.uuid4().hex)
    _sessions: dict[str, aiohttp.ClientSession] = field(factory=dict)
    _listeners: dict[str, ProgressListener] = field(factory=dict)

    def _session(self, url: str) -> aiohttp.ClientSession:
        session = self._sessions.get(url)
        if session is None or session.closed:
            session = self._sessions[url] = aiohttp.ClientSession()
        return session

    def _http(self, url: str) -> ComfyUIHttp:
        return ComfyUIHttp(self._session(url), url)

    def _listener(self, url: str) -> ProgressListener:
        if url not in self._listeners:
            self._listeners[url] = ProgressListener(self._session(url), url, self.client_id)
        return self._listeners[url]

    async def close(self) -> None:
        for listener in self._listeners.values():
            await listener.close()
        for session in self._sessions.values():
            await session.close()
        self._listeners.clear()
        self._sessions.clear()

    async def probe(self, server_url: str) -> ServerProbe:
        started = time.perf_counter()
        stats = await self._http(server_url).system_stats()
        latency = round((time.perf_counter() - started) * 1000, 2)
        system = stats.get("system", {}) if isinstance(stats, dict) else {}
        devices = tuple(str(d.get("name")) for d in stats.get("devices", []) if isinstance(d, dict))
        return ServerProbe(version=system.get("comfyui_version"), latency_ms=latency, devices=devices)

    async def models(self, server_url: str) -> ModelCatalog:
        return model_catalog(await self._http(server_url).object_info())

    async def node_catalog(self, server_url: str) -> NodeCatalog:
        return node_catalog(await self._http(server_url).object_info())

    async def submit(self, server_url: str, workflow: dict[str, Any], *, prompt_id: str) -> None:
        listener = self._listener(server_url)
        await listener.ensure_connected()
        listener.subscribe(prompt_id)  # before posting, so no message of this prompt is missed
        try:
            await self._http(server_url).post_prompt(workflow, prompt_id=prompt_id, client_id=self.client_id)
        except BaseException:
            listener.unsubscribe(prompt_id)
            raise

    async def follow(self, server_url: str, prompt_id: str, on_event: OnEvent, *, timeout: float) -> PromptOutcome:
        listener = self._listener(server_url)
        queue = listener.subscribe(prompt_id)
        try:
            return await asyncio.wait_for(self._follow(server_url, prompt_id, queue, on_event), timeout)
        except TimeoutError:
            raise UpstreamUnavailable(f"prompt {prompt_id} did not finish within {timeout:.0f}s") from None
        finally:
            listener.unsubscribe(prompt_id)

    async def _follow(self, url: str, prompt_id: str, queue: asyncio.Queue[Message], on_event: OnEvent) -> PromptOutcome:
        away_since: float | None = None
        while True:
            try:
                kind, data = await asyncio.wait_for(queue.get(), HISTORY_POLL_S if away_since is None else 1.0)
            except TimeoutError:
                kind, data = DISCONNECTED
            try:
                outcome = await self._handle(url, prompt_id, kind, data, on_event)
                away_since = None
            except UpstreamUnavailable:
                away_since = away_since or time.monotonic()
                if time.monotonic() - away_since > UNREACHABLE_GRACE_S:
                    raise
                continue
            if outcome is not None:
                return outcome

    async def _handle(self, url: str, prompt_id: str, kind: str, data: dict[str, Any],
                      on_event: OnEvent) -> PromptOutcome | None:
        if kind == "execution_error":
            return failure(prompt_id, data)
        if kind == "execution_interrupted":
            return PromptOutcome(prompt_id, PromptStatus.INTERRUPTED, error="interrupted")
        if kind == "executing" and data.get("node") is None:
            return await self._history_outcome(url, prompt_id, attempts=20)  # history is written by now
        if kind == DISCONNECTED[0]:
            return await self._recovered(url, prompt_id)
        if kind in EVENT_KINDS:
            await on_event(_event(prompt_id, kind, data))
        return None

    async def _recovered(self, url: str, prompt_id: str) -> PromptOutcome | None:
        """After a silence or a dropped socket: the outcome if it ended, None while it is queued or running.

        Raises UpstreamUnavailable while the server is away, and when it answers with no trace of the prompt
        (it restarted and lost it): either way the job must run again elsewhere.
        """
        await self._listener(url).ensure_connected(timeout=1.0)
        state = await self.status(url, prompt_id)
        if state is False:
            raise UpstreamUnavailable(f"ComfyUI at {url} has no trace of prompt {prompt_id} (it restarted?)")
        return None if state is True else state

    async def _history_outcome(self, url: str, prompt_id: str, *, attempts: int) -> PromptOutcome | None:
        """The outcome from /history, or None while the prompt has no entry yet."""
        for attempt in range(attempts):
            entry = await self._http(url).history(prompt_id)
            if entry is not None:
                return outcome_from_history(prompt_id, entry)
            if attempt + 1 < attempts:
                await asyncio.sleep(0.05)
        return None

    async def download(self, server_url: str, output: OutputFile) -> AsyncIterator[bytes]:
        async for chunk in self._http(server_url).view(output):
            yield chunk

    async def upload_image(self, server_url: str, filename: str, data: bytes) -> str:
        return await self._http(server_url).upload_image(filename, data)

    async def status(self, server_url: str, prompt_id: str) -> PromptOutcome | bool:
        http = self._http(server_url)
        entry = await http.history(prompt_id)
        if entry is not None:
            return outcome_from_history(prompt_id, entry)
        queue = await http.queue()
        items = [*queue.get("queue_running", []), *queue.get("queue_pending", [])]
        if any(len(item) > 1 and item[1] == prompt_id for item in items):
            return True
        entry = await http.history(prompt_id)  # it may have finished between the two reads
        return outcome_from_history(prompt_id, entry) if entry is not None else False

    async def cancel(self, server_url: str, prompt_id: str) -> None:
        http = self._http(server_url)
        await http.delete_queued(prompt_id)
        await http.interrupt(prompt_id)
