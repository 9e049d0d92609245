"""Helpers for the ComfyUI simulator tests: a running simulator on a free loopback port and a small client.

`running_simulator(SimulatorConfig(root=...))` models today's ComfyUI; pass `comfyui_version=LEGACY_VERSION`
(or use `legacy_config`) for 0.3.64. WebSocket helpers skip binary preview frames, or collect them in `frames`.
"""

import asyncio
import copy
import json
import struct
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
from attrs import frozen

from simulators.comfyui import LEGACY_VERSION, SimulatorConfig, create_simulator_app
from simulators.comfyui.state import STATE, SimulatorState
from tests.loopback_server import serving

Message = dict[str, Any]


def legacy_config(root: Path, **settings: Any) -> SimulatorConfig:
    """A simulator answering like ComfyUI 0.3.64."""
    return SimulatorConfig(root=root, comfyui_version=LEGACY_VERSION, **settings)


def new_prompt_id() -> str:
    """A canonical prompt id, as today's server demands."""
    return str(uuid.uuid4())


def without_asset_ids(output: dict[str, Any]) -> dict[str, Any]:
    """A node's UI output with today's asset `id`s taken out of its file entries."""
    stripped = copy.deepcopy(output)
    for entries in stripped.values():
        for entry in entries if isinstance(entries, list) else ():
            if isinstance(entry, dict):
                entry.pop("id", None)
    return stripped


@frozen
class PreviewFrame:
    """A binary WebSocket frame: event 1 (image type, image) or 4 (metadata JSON, image)."""

    event: int
    image: bytes
    image_type: int | None = None
    metadata: dict[str, Any] | None = None


def parse_frame(data: bytes) -> PreviewFrame:
    """Decode a PREVIEW_IMAGE or PREVIEW_IMAGE_WITH_METADATA frame as server.py encodes them."""
    event, value = struct.unpack(">II", data[:8])
    if event == 4:
        return PreviewFrame(event, data[8 + value:], metadata=json.loads(data[8:8 + value]))
    return PreviewFrame(event, data[8:], image_type=value)


async def receive_message(socket: aiohttp.ClientWebSocketResponse, frames: list[PreviewFrame] | None = None,
                          timeout: float | None = None) -> Message:
    """The next JSON message; binary frames before it go to `frames` (or are skipped)."""
    while True:
        message = await socket.receive(timeout=timeout)
        if message.type is aiohttp.WSMsgType.BINARY:
            if frames is not None:
                frames.append(parse_frame(message.data))
            continue
        if message.type is not aiohttp.WSMsgType.TEXT:
            raise ConnectionError(f"the socket ended: {message.type!r}")
        return json.loads(message.data)


def empty_image(width: int = 64, height: int = 64, batch_size: int = 1, color: int = 0xFF0000) -> dict[str, Any]:
    return {"class_type": "EmptyImage",
            "inputs": {"width": width, "height": height, "batch_size": batch_size, "color": color}}


def save_image(source: str, prefix: str = "probe") -> dict[str, Any]:
    return {"class_type": "SaveImage", "inputs": {"images": [source, 0], "filename_prefix": prefix}}


def image_workflow(prefix: str = "probe", **image: int) -> dict[str, Any]:
    """EmptyImage -> SaveImage, the notes' basic probe."""
    return {"1": empty_image(**image), "2": save_image("1", prefix)}


def error_workflow() -> dict[str, Any]:
    """EmptyImage -> ImageToMask(alpha) -> MaskToImage -> SaveImage: fails at run time in node 2."""
    return {"1": empty_image(),
            "2": {"class_type": "ImageToMask", "inputs": {"image": ["1", 0], "channel": "alpha"}},
            "3": {"class_type": "MaskToImage", "inputs": {"mask": ["2", 0]}},
            "4": save_image("3", "err")}


def slow_workflow(prefix: str, color: int = 123) -> dict[str, Any]:
    """EmptyImage -> ImageBlur -> ImageInvert -> SaveImage (the blur is the slow node)."""
    return {"1": empty_image(32, 32, 2, color),
            "2": {"class_type": "ImageBlur", "inputs": {"image": ["1", 0], "blur_radius": 31, "sigma": 10.0}},
            "3": {"class_type": "ImageInvert", "inputs": {"image": ["2", 0]}},
            "4": save_image("3", prefix)}


def sampler_workflow(*, ckpt: str = "sd_xl_base_1.0.safetensors", steps: int = 4, seed: int = 7,
                     text: str = "a red fox", prefix: str = "fox") -> dict[str, Any]:
    """A checkpoint text-to-image graph with a KSampler."""
    return {
        "1": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": ckpt}},
        "2": {"class_type": "CLIPTextEncode", "inputs": {"text": text, "clip": ["1", 1]}},
        "3": {"class_type": "CLIPTextEncode", "inputs": {"text": "blurry", "clip": ["1", 1]}},
        "4": {"class_type": "EmptyLatentImage", "inputs": {"width": 96, "height": 64, "batch_size": 1}},
        "5": {"class_type": "KSampler", "inputs": {
            "model": ["1", 0], "seed": seed, "steps": steps, "cfg": 7.0, "sampler_name": "euler",
            "scheduler": "normal", "positive": ["2", 0], "negative": ["3", 0], "latent_image": ["4", 0],
            "denoise": 1.0}},
        "6": {"class_type": "VAEDecode", "inputs": {"samples": ["5", 0], "vae": ["1", 2]}},
        "7": save_image("6", prefix),
    }


@asynccontextmanager
async def running_simulator(config: SimulatorConfig, middlewares: Sequence[Any] = ()) -> AsyncIterator["SimulatorClient"]:
    """Serve the simulator on 127.0.0.1 (free port) and yield a client for it; `middlewares` go in front."""
    app = create_simulator_app(config)
    app.middlewares[:0] = list(middlewares)
    async with serving(app) as port, aiohttp.ClientSession(f"http://127.0.0.1:{port}") as session:
        client = SimulatorClient(session, app[STATE], port)
        yield client
        await client.close_sockets()


class SimulatorClient:
    """HTTP and WebSocket helpers bound to one simulator."""

    def __init__(self, session: aiohttp.ClientSession, state: SimulatorState, port: int):
        self.session = session
        self.state = state
        self.port = port
        self._sockets: list[aiohttp.ClientWebSocketResponse] = []

    @property
    def url(self) -> str:
        """`http://127.0.0.1:PORT`, for clients under test."""
        return f"http://127.0.0.1:{self.port}"

    async def connect(self, client_id: str | None = None) -> tuple[aiohttp.ClientWebSocketResponse, Message]:
        """Open /ws (with clientId when given) and return the socket and its first message."""
        url = "/ws" if client_id is None else f"/ws?clientId={client_id}"
        socket = await self.session.ws_connect(url)
        self._sockets.append(socket)
        return socket, await receive_message(socket, timeout=5)

    async def close_sockets(self) -> None:
        for socket in self._sockets:
            await socket.close()

    async def post_json(self, path: str, body: Any) -> tuple[int, Any]:
        async with self.session.post(path, json=body) as response:
            is_json = response.content_type == "application/json"
            return response.status, await (response.json() if is_json else response.text())

    async def get_json(self, path: str) -> Any:
        async with self.session.get(path) as response:
            assert response.status == 200, await response.text()
            return await response.json()

    async def queue_prompt(self, prompt: dict[str, Any], client_id: str | None = None, **extra: Any) -> dict:
        """POST /prompt and return its 200 body."""
        body = {"prompt": prompt, **extra}
        if client_id is not None:
            body["client_id"] = client_id
        status, answer = await self.post_json("/prompt", body)
        assert status == 200, answer
        return answer

    async def run(self, prompt: dict[str, Any], *, frames: list[PreviewFrame] | None = None,
                  feature_flags: dict[str, Any] | None = None, **extra: Any) -> tuple[str, list[Message]]:
        """Queue a prompt on a fresh socket (announcing `feature_flags` first, if given) and collect its
        messages up to `executing` null; preview frames go to `frames`."""
        client_id = uuid.uuid4().hex
        socket, _ = await self.connect(client_id)
        if feature_flags is not None:
            await socket.send_json({"type": "feature_flags", "data": feature_flags})
            assert (await receive_message(socket, timeout=5))["type"] == "feature_flags"
        answer = await self.queue_prompt(prompt, client_id, **extra)
        return answer["prompt_id"], await until_done(socket, answer["prompt_id"], frames=frames)


async def until_done(socket: aiohttp.ClientWebSocketResponse, prompt_id: str, timeout: float = 20,
                     frames: list[PreviewFrame] | None = None) -> list[Message]:
    """Messages up to and including `executing` with node null for this prompt."""
    messages = []
    async with asyncio.timeout(timeout):
        while True:
            message = await receive_message(socket, frames)
            messages.append(message)
            data = message["data"]
            if message["type"] == "executing" and data["node"] is None and data["prompt_id"] == prompt_id:
                return messages


async def next_of_type(socket: aiohttp.ClientWebSocketResponse, kind: str, timeout: float = 20, **data: Any) -> Message:
    """Skip messages until one of this type (whose data contains `data`) arrives."""
    async with asyncio.timeout(timeout):
        while True:
            message = await receive_message(socket)
            if message["type"] == kind and all(message["data"].get(k) == v for k, v in data.items()):
                return message


def kinds(messages: list[Message]) -> list[str]:
    """`type`, with the node for executing/executed and the running node for progress_state."""
    described = []
    for message in messages:
        kind, data = message["type"], message["data"]
        if kind in ("executing", "executed"):
            kind += f":{data['node']}"
        elif kind == "progress_state":
            kind += ":" + ",".join(f"{n}={s['state']}" for n, s in data["nodes"].items())
        elif kind == "status":
            kind += f":{data['status']['exec_info']['queue_remaining']}"
        described.append(kind)
    return described


def dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True)
