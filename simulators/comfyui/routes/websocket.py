"""GET /ws?clientId=: session ids, the initial status, and the feature-flag exchange."""

import json
import logging
import uuid

import aiohttp
from aiohttp import web

from simulators.comfyui.routes.info import server_features
from simulators.comfyui.state import STATE, SimulatorState

routes = web.RouteTableDef()
_log = logging.getLogger(__name__)


async def _greet(state: SimulatorState, sid: str) -> None:
    await state.messenger.send("status", {"status": state.queue.queue_info(), "sid": sid}, sid)
    for slot in state.slots:
        if slot.client_id == sid and slot.last_node_id is not None:
            await state.messenger.send("executing", {"node": slot.last_node_id}, sid)


async def _on_text(state: SimulatorState, sid: str, text: str, first: bool) -> bool:
    """Handle one client message; returns whether the next one is still the first."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        _log.warning("Invalid JSON received from client %s: %s", sid, text)
        return first
    if first and isinstance(data, dict) and data.get("type") == "feature_flags":
        state.messenger.feature_flags[sid] = data.get("data", {})
        await state.messenger.send("feature_flags", server_features(state.config), sid)
    return False


@routes.get("/ws")
async def websocket(request: web.Request) -> web.WebSocketResponse:
    """GET /ws: register the sid, greet, then read client messages until it closes."""
    state = request.app[STATE]
    socket = web.WebSocketResponse()
    await socket.prepare(request)
    sid = request.rel_url.query.get("clientId", "") or uuid.uuid4().hex
    state.messenger.register(sid, socket)
    try:
        await _greet(state, sid)
        first = True
        async for message in socket:
            if message.type == aiohttp.WSMsgType.TEXT:
                first = await _on_text(state, sid, message.data, first)
            elif message.type == aiohttp.WSMsgType.ERROR:
                _log.warning("ws connection closed with exception %s", socket.exception())
    finally:
        state.messenger.unregister(sid)
    return socket
