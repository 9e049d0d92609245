"""One WebSocket per ComfyUI server: routes each prompt's messages to its follower, reconnects when dropped.

It announces `supports_preview_metadata` so today's ComfyUI names the prompt of each preview (type 4
frames); a type 1 frame (0.3.64, or a server that ignores the flag) goes to the prompt executing now.
"""

import asyncio
import contextlib
import json
import logging
from typing import Any

import aiohttp
from attrs import define, field

from adapters.comfyui.previews import parse_frame

log = logging.getLogger(__name__)
DISCONNECTED = ("disconnected", {})  # tells followers their messages may have been lost
PREVIEW = "preview"  # a follower's message {"image": bytes} made from a binary frame
FEATURE_FLAGS = {"type": "feature_flags", "data": {"supports_preview_metadata": True}}
Message = tuple[str, dict[str, Any]]


def ws_url(base_url: str, client_id: str) -> str:
    scheme, rest = base_url.split("://", 1)
    return f"{'wss' if scheme == 'https' else 'ws'}://{rest}/ws?clientId={client_id}"


@define
class ProgressListener:
    session: aiohttp.ClientSession
    base_url: str
    client_id: str
    _queues: dict[str, asyncio.Queue[Message]] = field(factory=dict)
    _connected: asyncio.Event = field(factory=asyncio.Event)
    _task: asyncio.Task[None] | None = None
    _executing: str | None = None  # the prompt the server runs now, as its messages say

    def subscribe(self, prompt_id: str) -> asyncio.Queue[Message]:
        return self._queues.setdefault(prompt_id, asyncio.Queue())

    def notify(self, prompt_id: str, message: Message) -> None:
        """Hand the prompt's follower a message the server will not send."""
        queue = self._queues.get(prompt_id)
        if queue is not None:
            queue.put_nowait(message)

    def unsubscribe(self, prompt_id: str) -> None:
        self._queues.pop(prompt_id, None)

    async def ensure_connected(self, timeout: float = 5.0) -> bool:
        """Start listening if not yet; True once the socket is open (False: followers fall back to polling)."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name=f"comfyui-ws {self.base_url}")
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                await self._connected.wait()
        return self._connected.is_set()

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        backoff = 0.1
        while True:
            try:
                async with self.session.ws_connect(ws_url(self.base_url, self.client_id), heartbeat=20,
                                                   max_msg_size=64 * 1024 * 1024) as socket:
                    await socket.send_str(json.dumps(FEATURE_FLAGS))  # the first message, as the frontend sends it
                    self._connected.set()
                    backoff = 0.1
                    await self._read(socket)
            except (aiohttp.ClientError, TimeoutError, OSError) as exc:
                log.debug("ComfyUI socket %s: %s", self.base_url, exc)
            self._connected.clear()
            self._broadcast(DISCONNECTED)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 2.0)

    async def _read(self, socket: aiohttp.ClientWebSocketResponse) -> None:
        async for message in socket:
            if message.type is aiohttp.WSMsgType.TEXT:
                self._route(message.data)
            elif message.type is aiohttp.WSMsgType.BINARY:
                self._route_preview(message.data)
            elif message.type is aiohttp.WSMsgType.ERROR:
                return  # an error ends this connection

    def _route(self, text: str) -> None:
        try:
            message = json.loads(text)
            kind, data = message["type"], message.get("data") or {}
        except (ValueError, KeyError, TypeError):
            return
        if not isinstance(data, dict):
            return
        if kind in ("execution_start", "executing"):
            self._executing = data.get("prompt_id") if data.get("node", "start") is not None else None
        queue = self._queues.get(data.get("prompt_id"))
        if queue is not None:
            queue.put_nowait((kind, data))

    def _route_preview(self, data: bytes) -> None:
        frame = parse_frame(data)
        prompt_id = frame and (frame.prompt_id or self._executing)
        queue = self._queues.get(prompt_id) if frame and prompt_id else None
        if queue is not None and frame is not None:
            queue.put_nowait((PREVIEW, {"image": frame.image}))

    def _broadcast(self, message: Message) -> None:
        for queue in self._queues.values():
            queue.put_nowait(message)
