"""The GenerationBackend port over ComfyUI: HTTP calls plus one progress socket per server.

Works with today's ComfyUI (UUID prompt ids, 409 on a repeated id, the jobs API) and with 0.3.64
(/history, /queue, /interrupt): what a server offers is detected once per server.
"""

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
from attrs import define, field

from adapters.comfyui.history import failure, outcome_from_history
from adapters.comfyui.http_client import ComfyUIHttp, NotFound, PromptAlreadyQueued
from adapters.comfyui.jobs_api import report_from_job
from adapters.comfyui.object_info import model_catalog, node_catalog
from adapters.comfyui.previews import small_jpeg
from adapters.comfyui.progress_listener import DISCONNECTED, PREVIEW, Message, ProgressListener
from adapters.outbound.guarded_session import guarded_session
from application.errors import UpstreamUnavailable
from application.ports.generation_backend import (
    OnEvent, OutputFile, PromptEvent, PromptOutcome, PromptReport, PromptState, PromptStatus, ServerProbe,
)
from domain.comfyui_server import ModelCatalog
from domain.outbound import OutboundRule
from domain.node_catalog import NodeCatalog

HISTORY_POLL_S = 5.0  # a safety net: lost messages are recovered from /history at least this often
UNREACHABLE_GRACE_S = 10.0  # a server away longer than this has lost the prompt: the job runs elsewhere
SUBMIT_ATTEMPTS = 3  # a POST that timed out or dropped is posted again (idempotently) this often
PREVIEW_EVERY_S = 1.0
EVENT_KINDS = {"execution_start": "started", "executing": "executing", "progress": "progress", "executed": "executed"}


def _event(prompt_id: str, kind: str, data: dict[str, Any]) -> PromptEvent:
    return PromptEvent(prompt_id=prompt_id, kind=EVENT_KINDS[kind], node=data.get("node"),
                       value=data.get("value"), maximum=data.get("max"))


@define
class ComfyUIBackend:
    client_id: str = field(factory=lambda: uuid.uuid4().hex)
    outbound: OutboundRule = field(factory=OutboundRule)  # hosts it may send requests to
    _sessions: dict[str, aiohttp.ClientSession] = field(factory=dict)
    _listeners: dict[str, ProgressListener] = field(factory=dict)
    _jobs_api: dict[str, bool] = field(factory=dict)  # per server: today's jobs API (and 409 on repeated ids)

    def _session(self, url: str) -> aiohttp.ClientSession:
        refusal = self.outbound.refusal(url)
        if refusal is not None:  # every request to a server passes here: none leaves for a refused host
            raise UpstreamUnavailable(f"requests to {url} are not allowed: {refusal}")
        session = self._sessions.get(url)
        if session is None or session.closed:
            session = self._sessions[url] = guarded_session(self.outbound)  # checked again at connect time
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
        self._jobs_api.clear()

    async def has_jobs_api(self, server_url: str) -> bool:
        """Detected once per server: today's ComfyUI answers GET /api/jobs/{id}; 0.3.64 has no such route."""
        if server_url not in self._jobs_api:
            try:
                await self._http(server_url).job(str(uuid.uuid4()))
                self._jobs_api[server_url] = True
            except NotFound:
                self._jobs_api[server_url] = False
        return self._jobs_api[server_url]

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
            await self._post_once(server_url, workflow, prompt_id)
        except BaseException:
            listener.unsubscribe(prompt_id)
            raise

    async def _post_once(self, url: str, workflow: dict[str, Any], prompt_id: str) -> None:
        """POST, and again if the answer was lost: today's server says 409 for an id it holds; on
        0.3.64 (which would run a repeat) look whether the server has the prompt before each POST.
        A detection or look that fails to connect is retried with the POST."""
        for attempt in range(SUBMIT_ATTEMPTS):
            try:
                if not await self.has_jobs_api(url):
                    if (await self.status(url, prompt_id)).state is not PromptState.UNKNOWN:
                        return
                await self._http(url).post_prompt(workflow, prompt_id=prompt_id, client_id=self.client_id)
                return
            except PromptAlreadyQueued:
                return  # the lost POST reached it: follow that one
            except UpstreamUnavailable:
                if attempt + 1 == SUBMIT_ATTEMPTS:
                    raise
                await asyncio.sleep(0.2 * 2**attempt)

    async def follow(self, server_url: str, prompt_id: str, on_event: OnEvent, *, timeout: float) -> PromptOutcome:
        listener = self._listener(server_url)
        queue = listener.subscribe(prompt_id)
        try:
            async with asyncio.timeout(timeout):
                return await self._follow(server_url, prompt_id, queue, on_event)
        except TimeoutError:
            raise UpstreamUnavailable(f"prompt {prompt_id} did not finish within {timeout:.0f}s") from None
        finally:
            listener.unsubscribe(prompt_id)

    async def _follow(self, url: str, prompt_id: str, queue: asyncio.Queue[Message], on_event: OnEvent) -> PromptOutcome:
        away_since: float | None = None
        previewed = float("-inf")
        while True:
            try:  # (a timeout block, not `wait_for`: on Python 3.11 that can lose an interrupt's cancel)
                async with asyncio.timeout(HISTORY_POLL_S if away_since is None else 1.0):
                    kind, data = await queue.get()
            except TimeoutError:
                kind, data = DISCONNECTED
            if kind == PREVIEW:
                if time.monotonic() - previewed >= PREVIEW_EVERY_S:
                    previewed = time.monotonic()
                    await self._relay_preview(prompt_id, data["image"], on_event)
                continue
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
            return await self._final_outcome(url, prompt_id, attempts=20)  # history is written by now
        if kind == DISCONNECTED[0]:
            return await self._recovered(url, prompt_id)
        if kind in EVENT_KINDS:
            await on_event(_event(prompt_id, kind, data))
        return None

    async def _relay_preview(self, prompt_id: str, image: bytes, on_event: OnEvent) -> None:
        small = await asyncio.to_thread(small_jpeg, image)
        if small is not None:
            await on_event(PromptEvent(prompt_id, "preview", image=small))

    async def _recovered(self, url: str, prompt_id: str) -> PromptOutcome | None:
        """After a silence or a dropped socket: the outcome if it ended, None while it is queued or running.

        Raises UpstreamUnavailable while the server is away, and when it answers with no trace of the prompt
        (it restarted and lost it): either way the job must run again elsewhere.
        """
        await self._listener(url).ensure_connected(timeout=1.0)
        report = await self.status(url, prompt_id)
        if report.state is PromptState.UNKNOWN:
            raise UpstreamUnavailable(f"ComfyUI at {url} has no trace of prompt {prompt_id} (it restarted?)")
        return report.outcome

    async def _final_outcome(self, url: str, prompt_id: str, *, attempts: int) -> PromptOutcome | None:
        """The outcome once the server has recorded it, or None if it has not yet."""
        for attempt in range(attempts):
            report = await self.status(url, prompt_id)
            if report.outcome is not None:
                return report.outcome
            if attempt + 1 < attempts:
                await asyncio.sleep(0.05)
        return None

    async def download(self, server_url: str, output: OutputFile) -> AsyncIterator[bytes]:
        async for chunk in self._http(server_url).view(output):
            yield chunk

    async def upload_image(self, server_url: str, filename: str, data: bytes) -> str:
        return await self._http(server_url).upload_image(filename, data)

    async def status(self, server_url: str, prompt_id: str) -> PromptReport:
        http = self._http(server_url)
        if await self.has_jobs_api(server_url):
            return report_from_job(prompt_id, await http.job(prompt_id))
        entry = await http.history(prompt_id)
        if entry is not None:
            return PromptReport(PromptState.ENDED, outcome_from_history(prompt_id, entry))
        queue = await http.queue()
        items = [*queue.get("queue_running", []), *queue.get("queue_pending", [])]
        if any(len(item) > 1 and item[1] == prompt_id for item in items):
            return PromptReport(PromptState.ACTIVE)
        entry = await http.history(prompt_id)  # it may have finished between the two reads
        if entry is not None:
            return PromptReport(PromptState.ENDED, outcome_from_history(prompt_id, entry))
        return PromptReport(PromptState.UNKNOWN)

    async def cancel(self, server_url: str, prompt_id: str) -> None:
        http = self._http(server_url)
        if await self.has_jobs_api(server_url):
            await http.cancel_job(prompt_id)  # interrupts it only while it is the running prompt
        else:
            await http.delete_queued(prompt_id)
            await http.interrupt(prompt_id)
        if (await self.status(server_url, prompt_id)).state is PromptState.UNKNOWN:
            # taken off the server's queue: it sends nothing more, so tell the follower here
            self._listener(server_url).notify(prompt_id, ("execution_interrupted", {"prompt_id": prompt_id}))
