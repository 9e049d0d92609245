"""Video providers as a GenerationBackend (the queue runs their videos) and a VideoProviderApi (the API's checks).

A provider's address is `provider:<id>`: each call looks up its URL and opens its key. Submitting creates the
remote video and returns its id; following polls it with a growing pause (0.5 s up to 5 s) and relays its
progress; the result is the `video` variant, with the `thumbnail` as the take's poster; cancelling deletes it.
"""

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
from attrs import define, field

from adapters.openai_video.client import KeyRefused, RetryPolicy, VideosHttp
from adapters.openai_video.reference_image import as_data_url, fitted_png
from adapters.outbound.guarded_session import guarded_session
from application.errors import NotFound, UpstreamUnavailable
from application.ports.generation_backend import (
    OnEvent, OutputFile, PromptEvent, PromptOutcome, PromptReport, PromptState, PromptStatus, ServerProbe,
    WorkflowRejected,
)
from application.ports.secret_box import SecretUnreadable
from application.ports.video_provider import ConnectProvider, ProviderCheck, RemoteVideo
from application.video_providers.video_request import request_of
from domain.outbound import OutboundRule
from domain.comfyui_server import ModelCatalog
from domain.node_catalog import NodeCatalog
from domain.video_provider import provider_of

log = logging.getLogger(__name__)
UNREACHABLE_GRACE_S = 60.0  # a provider away longer than this while a video renders: the attempt is given up
CHECK = RetryPolicy(attempts=1)


def _outcome(video: dict[str, Any]) -> PromptOutcome | None:
    """The outcome of a finished video, None while it is queued or in progress."""
    video_id, status = str(video.get("id")), video.get("status")
    if status == "completed":
        outputs = (OutputFile("video", f"{video_id}.mp4", "", "video"),
                   OutputFile("video", f"{video_id}.webp", "", "thumbnail", role="poster"))
        return PromptOutcome(video_id, PromptStatus.SUCCEEDED, outputs=outputs,
                             provenance={"remote_video_id": video_id})
    if status == "failed":
        error = video.get("error") or {}
        message = f"{error.get('code') or 'failed'}: {error.get('message') or 'the provider gave no reason'}"
        return PromptOutcome(video_id, PromptStatus.FAILED, error=message, details={"remote_video_id": video_id})
    return None


def remote_video(video: dict[str, Any]) -> RemoteVideo:
    error = video.get("error") or {}
    return RemoteVideo(id=str(video.get("id")), status=str(video.get("status")),
                       progress=float(video.get("progress") or 0), model=video.get("model"),
                       seconds=None if video.get("seconds") is None else str(video["seconds"]), size=video.get("size"),
                       error_code=error.get("code"), error_message=error.get("message"))


@define
class OpenAIVideoBackend:
    connect: ConnectProvider
    retry: RetryPolicy = RetryPolicy()
    outbound: OutboundRule = OutboundRule()  # hosts it may send requests to
    first_poll_s: float = 0.5
    max_poll_s: float = 5.0
    _session: aiohttp.ClientSession | None = field(default=None, init=False)

    def _client_session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = guarded_session(self.outbound)  # checked again at connect time
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _http(self, provider_id: str, retry: RetryPolicy | None = None) -> VideosHttp:
        try:
            connection = await self.connect(provider_id)
        except NotFound:
            raise WorkflowRejected("the video provider is no longer registered", permanent=True) from None
        except SecretUnreadable as exc:
            raise WorkflowRejected(str(exc), permanent=True) from None
        return VideosHttp(self._client_session(), connection, retry or self.retry, self.outbound)

    async def _at(self, address: str) -> VideosHttp:
        provider_id = provider_of(address)
        if provider_id is None:
            raise WorkflowRejected(f"{address} is not a video provider", permanent=True)
        return await self._http(provider_id)

    # GenerationBackend ---------------------------------------------------------------------------------------

    async def probe(self, server_url: str) -> ServerProbe:
        started = time.perf_counter()
        await (await self._at(server_url)).list(limit=1)
        return ServerProbe(version=None, latency_ms=round((time.perf_counter() - started) * 1000, 2))

    async def models(self, server_url: str) -> ModelCatalog:
        return ModelCatalog()  # a provider's models are registered with it, not read from it

    async def node_catalog(self, server_url: str) -> NodeCatalog:
        return {}

    async def submit(self, server_url: str, workflow: dict[str, Any], *, prompt_id: str) -> str:
        """POST /videos; returns the provider's video id (sent with `prompt_id` as its Idempotency-Key)."""
        try:
            fields = {name: str(value) for name, value in request_of(workflow).items()}
        except ValueError:
            raise WorkflowRejected("a video provider job holds no /v1/videos request", permanent=True) from None
        reference = fields.pop("input_reference", None)
        image = await asyncio.to_thread(fitted_png, reference, fields["size"]) if reference else None
        video = await (await self._at(server_url)).create(fields, image, idempotency_key=prompt_id)
        if not isinstance(video, dict) or not video.get("id"):
            raise UpstreamUnavailable("the video provider answered POST /videos without a video id")
        return str(video["id"])

    async def follow(self, server_url: str, prompt_id: str, on_event: OnEvent, *, timeout: float) -> PromptOutcome:
        http = await self._at(server_url)
        await on_event(PromptEvent(prompt_id, "started"))
        try:
            async with asyncio.timeout(timeout):
                return await self._poll(http, prompt_id, on_event)
        except TimeoutError:
            raise UpstreamUnavailable(f"video {prompt_id} did not finish within {timeout:.0f}s") from None

    async def _poll(self, http: VideosHttp, video_id: str, on_event: OnEvent) -> PromptOutcome:
        pause, shown, away_since = self.first_poll_s, -1, None
        while True:
            try:
                video = await http.retrieve(video_id)
                away_since = None
            except UpstreamUnavailable:
                away_since = away_since or time.monotonic()
                if time.monotonic() - away_since > UNREACHABLE_GRACE_S:
                    raise
                video = {"status": "in_progress"}
            if video is None:  # deleted there: cancelled from here, or by someone at the provider
                return PromptOutcome(video_id, PromptStatus.INTERRUPTED, error="the provider no longer has the video")
            outcome = _outcome({"id": video_id, **video})
            if outcome is not None:
                return outcome
            progress = int(video.get("progress") or 0)
            if progress > shown:
                shown = progress
                await on_event(PromptEvent(video_id, "progress", value=progress, maximum=100))
            await asyncio.sleep(pause)
            pause = min(pause * 1.5, self.max_poll_s)

    async def download(self, server_url: str, output: OutputFile) -> AsyncIterator[bytes]:
        http = await self._at(server_url)
        async for chunk in http.content(output.filename.rpartition(".")[0], output.folder_type):
            yield chunk

    async def upload_image(self, server_url: str, filename: str, data: bytes) -> str:
        return as_data_url(data)  # sent inside the create request, fitted to the video's size

    async def status(self, server_url: str, prompt_id: str) -> PromptReport:
        try:
            video = await (await self._at(server_url)).retrieve(prompt_id)
        except WorkflowRejected as exc:
            raise UpstreamUnavailable(str(exc)) from None
        if video is None:
            return PromptReport(PromptState.UNKNOWN)
        outcome = _outcome({"id": prompt_id, **video})
        return PromptReport(PromptState.ACTIVE) if outcome is None else PromptReport(PromptState.ENDED, outcome)

    async def cancel(self, server_url: str, prompt_id: str) -> None:
        try:
            http = await self._at(server_url)
        except WorkflowRejected:
            return  # no provider (or key) left to ask: nothing of ours can run there any more
        await http.delete(prompt_id)

    # VideoProviderApi ----------------------------------------------------------------------------------------

    async def check(self, provider_id: str) -> ProviderCheck:
        try:
            http = await self._http(provider_id, CHECK)
        except WorkflowRejected as exc:
            return ProviderCheck(reachable=False, key_accepted=None, error=str(exc))
        started = time.perf_counter()
        try:
            await http.list(limit=1)
            error, accepted = None, True
        except UpstreamUnavailable as exc:
            return ProviderCheck(reachable=False, key_accepted=None, error=str(exc))
        except KeyRefused as exc:
            error, accepted = str(exc), False
        except WorkflowRejected as exc:  # it answered, but not to a video list (an engine without that route)
            error, accepted = str(exc), None
        return ProviderCheck(reachable=True, key_accepted=accepted, error=error,
                             latency_ms=round((time.perf_counter() - started) * 1000, 2))

    async def video(self, provider_id: str, video_id: str) -> RemoteVideo | None:
        video = await (await self._http(provider_id, CHECK)).retrieve(video_id)
        return None if video is None else remote_video({"id": video_id, **video})
