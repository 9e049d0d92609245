"""The open WebSockets and the one ordered outbox every message goes through, like PromptServer.send_sync."""

import asyncio
import logging
import struct
from typing import Any

import aiohttp
from aiohttp import web

_log = logging.getLogger(__name__)
_SEND_ERRORS = (aiohttp.ClientError, ConnectionResetError, BrokenPipeError, ConnectionError, RuntimeError)
Event = str | int  # a JSON message type, or a binary event type (protocol.BinaryEventTypes)


class Messenger:
    """Sockets by session id; messages queue up and go out in order, to one sid or (sid None) to all."""

    def __init__(self) -> None:
        self.sockets: dict[str, web.WebSocketResponse] = {}
        self.feature_flags: dict[str, dict[str, Any]] = {}
        self._outbox: asyncio.Queue[tuple[Event, Any, str | None]] = asyncio.Queue()
        self._closing: set[asyncio.Task] = set()

    def send_sync(self, event: Event, data: Any, sid: str | None = None) -> None:
        """Queue a `{"type": event, "data": data}` message, or binary `data` for an int event, without waiting."""
        self._outbox.put_nowait((event, data, sid))

    async def publish_loop(self) -> None:
        """Send queued messages forever, in the order they were queued."""
        while True:
            event, data, sid = await self._outbox.get()
            await self.send(event, data, sid)

    async def send(self, event: Event, data: Any, sid: str | None = None) -> None:
        """Send one message now; a broken socket is logged and skipped, as the real server does."""
        targets = list(self.sockets.values()) if sid is None else [self.sockets[sid]] if sid in self.sockets else []
        for socket in targets:
            try:
                if isinstance(event, int):
                    await socket.send_bytes(struct.pack(">I", event) + bytes(data))  # server.encode_bytes
                else:
                    await socket.send_json({"type": event, "data": data})
            except _SEND_ERRORS as error:
                _log.warning("send error: %s", error)

    def supports(self, sid: str | None, feature: str) -> bool:
        """Whether the client of `sid` announced this feature flag as true (feature_flags.supports_feature)."""
        return sid is not None and self.feature_flags.get(sid, {}).get(feature, False) is True

    async def close_all(self) -> None:
        """Start closing every WebSocket (the `drop_socket` failure) without waiting for the clients."""
        for socket in list(self.sockets.values()):
            task = asyncio.create_task(socket.close(code=aiohttp.WSCloseCode.GOING_AWAY, message=b"simulated drop"))
            self._closing.add(task)
            task.add_done_callback(self._closing.discard)

    def register(self, sid: str, socket: web.WebSocketResponse) -> None:
        """Attach a socket to a session id, replacing an older socket of that sid."""
        self.sockets[sid] = socket
        self.feature_flags[sid] = {}

    def unregister(self, sid: str) -> None:
        """Forget a closed socket's sid; like the real server, this also drops a newer socket of that sid."""
        self.sockets.pop(sid, None)
        self.feature_flags.pop(sid, None)
