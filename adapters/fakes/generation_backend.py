"""An in-memory generation backend: servers that accept, run and cancel prompts instantly or on demand."""

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from attrs import define, field

from application.errors import UpstreamUnavailable
from application.ports.generation_backend import (
    OnEvent, OutputFile, PromptEvent, PromptOutcome, PromptReport, PromptState, PromptStatus, ServerProbe,
    WorkflowRejected,
)
from domain.comfyui_server import ModelCatalog
from domain.node_catalog import NodeCatalog, NodeSpec

DEFAULT_NODES: NodeCatalog = {
    "EmptyImage": NodeSpec("EmptyImage", ("width", "height", "batch_size", "color")),
    "CheckpointLoaderSimple": NodeSpec("CheckpointLoaderSimple", ("ckpt_name",)),
    "CLIPTextEncode": NodeSpec("CLIPTextEncode", ("text", "clip")),
    "KSampler": NodeSpec("KSampler", ("model", "seed", "steps", "cfg", "sampler_name", "scheduler", "positive",
                                      "negative", "latent_image", "denoise")),
    "SaveImage": NodeSpec("SaveImage", ("images", "filename_prefix"), is_output=True),
    "LoadImage": NodeSpec("LoadImage", ("image",)),
}


@define
class FakeServer:
    up: bool = True
    version: str = "0.3.64-fake"
    models: ModelCatalog = ModelCatalog()
    nodes: NodeCatalog = field(factory=lambda: dict(DEFAULT_NODES))
    hold: bool = False  # prompts wait until released (or cancelled) instead of finishing at once
    slow_nodes: frozenset[str] = frozenset()  # prompts using these node classes wait as if held
    fail_with: str | None = None  # the next prompts fail at run time with this message
    previews: tuple[bytes, ...] = ()  # JPEGs sent as sampler previews while a prompt runs
    refuse: WorkflowRejected | None = None  # every prompt is refused with this
    names_work: bool = False  # gives each submission an id of its own, as a video provider does (`remote-<n>`)
    prompts: dict[str, dict[str, Any]] = field(factory=dict)
    uploads: dict[str, bytes] = field(factory=dict)
    finished: dict[str, PromptOutcome] = field(factory=dict)
    _released: dict[str, asyncio.Event] = field(factory=dict)


@define
class FakeGenerationBackend:
    servers: dict[str, FakeServer] = field(factory=dict)

    def _server(self, url: str) -> FakeServer:
        server = self.servers.get(url)
        if server is None or not server.up:
            raise UpstreamUnavailable(f"ComfyUI at {url} is unreachable")
        return server

    async def probe(self, server_url: str) -> ServerProbe:
        return ServerProbe(version=self._server(server_url).version, latency_ms=0.1, devices=("cpu",))

    async def models(self, server_url: str) -> ModelCatalog:
        return self._server(server_url).models

    async def node_catalog(self, server_url: str) -> NodeCatalog:
        return dict(self._server(server_url).nodes)

    async def submit(self, server_url: str, workflow: dict[str, Any], *, prompt_id: str) -> str | None:
        server = self._server(server_url)
        if server.refuse is not None:
            raise server.refuse
        if server.names_work:
            prompt_id = f"remote-{len(server.prompts) + 1}"
        elif prompt_id in server.prompts:
            return None  # already queued there (today's ComfyUI answers 409): follow the one it holds
        unknown = {n: s["class_type"] for n, s in workflow.items() if s.get("class_type") not in server.nodes}
        if unknown:
            node, class_type = next(iter(unknown.items()))
            raise WorkflowRejected(f"Cannot execute because node {class_type} does not exist.", {node: class_type})
        if not any(server.nodes[s["class_type"]].is_output for s in workflow.values()):
            raise WorkflowRejected("Prompt has no outputs", permanent=True)
        server.prompts[prompt_id] = workflow
        server._released[prompt_id] = asyncio.Event()
        if not server.hold and not any(spec["class_type"] in server.slow_nodes for spec in workflow.values()):
            server._released[prompt_id].set()
        return prompt_id if server.names_work else None

    def release(self, server_url: str, prompt_id: str) -> None:
        self.servers[server_url]._released[prompt_id].set()

    async def follow(self, server_url: str, prompt_id: str, on_event: OnEvent, *, timeout: float) -> PromptOutcome:
        server = self._server(server_url)
        await on_event(PromptEvent(prompt_id, "started"))
        for image in server.previews:
            await on_event(PromptEvent(prompt_id, "preview", image=image))
        async with asyncio.timeout(timeout):
            await server._released[prompt_id].wait()
        if prompt_id not in server.finished:
            server.finished[prompt_id] = self._outcome(server, prompt_id)
        return server.finished[prompt_id]

    def _outcome(self, server: FakeServer, prompt_id: str) -> PromptOutcome:
        if server.fail_with is not None:
            return PromptOutcome(prompt_id, PromptStatus.FAILED, error=server.fail_with)
        outputs = tuple(OutputFile(node, f"{prompt_id}_{node}.png", "", "output")
                        for node, spec in server.prompts[prompt_id].items() if server.nodes[spec["class_type"]].is_output)
        return PromptOutcome(prompt_id, PromptStatus.SUCCEEDED, outputs=outputs)

    async def download(self, server_url: str, output: OutputFile) -> AsyncIterator[bytes]:
        self._server(server_url)
        yield b"\x89PNG\r\n\x1a\n" + output.filename.encode()

    async def upload_image(self, server_url: str, filename: str, data: bytes) -> str:
        self._server(server_url).uploads[filename] = data
        return filename

    async def status(self, server_url: str, prompt_id: str) -> PromptReport:
        server = self._server(server_url)
        if prompt_id not in server.prompts:
            return PromptReport(PromptState.UNKNOWN)
        if prompt_id not in server.finished and server._released[prompt_id].is_set():
            server.finished[prompt_id] = self._outcome(server, prompt_id)
        outcome = server.finished.get(prompt_id)
        return PromptReport(PromptState.ACTIVE) if outcome is None else PromptReport(PromptState.ENDED, outcome)

    async def cancel(self, server_url: str, prompt_id: str) -> None:
        server = self._server(server_url)
        if prompt_id in server.prompts and prompt_id not in server.finished:
            server.finished[prompt_id] = PromptOutcome(prompt_id, PromptStatus.INTERRUPTED, error="interrupted")
            server._released[prompt_id].set()
