"""`GET /api/v1/ws`: subscribe to a project's queue, get a snapshot, then every change, progress tick and preview."""

import asyncio
import contextlib
import json
from typing import Any

import orjson
from aiohttp import WSMsgType, web

from entrypoints.http.auth.bearer import WEBSOCKET_PROTOCOL
from entrypoints.http.queue_relay import job_data
from entrypoints.http.typedefs import CONTAINER, JSON_CONVERTER, QUEUE_RELAY

HEARTBEAT_S = 20.0


async def _send(socket: web.WebSocketResponse, message: dict[str, Any]) -> None:
    await socket.send_str(orjson.dumps(message).decode())


async def _snapshot(request: web.Request, project_id: str | None) -> dict[str, Any]:
    """The project's waiting and running jobs, so a refreshed page sees the queue at once."""
    jobs = await request.app[CONTAINER].active_jobs()(project_id)
    converter = request.app[JSON_CONVERTER]
    return {"type": "queue_snapshot", "data": {"project_id": project_id,
                                               "jobs": [job_data(converter, job) for job in jobs]}}


def _error(message: str) -> dict[str, Any]:
    return {"type": "error", "data": {"code": "VALIDATION_ERROR", "message": message}}


async def _handle(request: web.Request, socket: web.WebSocketResponse, text: str) -> None:
    try:
        message = json.loads(text)
        kind, data = message["type"], message.get("data") or {}
        project_id = data.get("project_id")
        if project_id is not None and (not isinstance(project_id, str) or not 0 < len(project_id) <= 200):
            raise ValueError
    except (ValueError, KeyError, TypeError, AttributeError):
        await _send(socket, _error('send {"type": "subscribe_queue", "data": {"project_id": "..."}}'))
        return
    relay = request.app[QUEUE_RELAY]
    if kind == "subscribe_queue":
        await relay.subscribe(socket, project_id, snapshot=lambda: _snapshot(request, project_id))
    elif kind == "unsubscribe_queue":
        relay.unsubscribe(socket, project_id)
    elif kind == "ping":
        await _send(socket, {"type": "pong", "data": {}})
    else:
        await _send(socket, _error(f"unknown message type {kind!r}"))


async def _heartbeat(socket: web.WebSocketResponse) -> None:
    while not socket.closed:
        await asyncio.sleep(HEARTBEAT_S)
        with contextlib.suppress(ConnectionError, RuntimeError):
            await _send(socket, {"type": "heartbeat", "data": {}})


async def queue_socket(request: web.Request) -> web.WebSocketResponse:
    socket = web.WebSocketResponse(heartbeat=HEARTBEAT_S, protocols=(WEBSOCKET_PROTOCOL,))  # bearer, <token>
    await socket.prepare(request)
    beats = asyncio.create_task(_heartbeat(socket))
    try:
        async for message in socket:
            if message.type is WSMsgType.TEXT:
                await _handle(request, socket, message.data)
    finally:
        beats.cancel()
        request.app[QUEUE_RELAY].unsubscribe(socket, everything=True)
    return socket
