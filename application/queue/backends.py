"""The generation backends by target kind: one GenerationBackend that hands each call to the backend of the
address it names (`provider:<id>` to the video providers', anything else, a ComfyUI server's URL, to ComfyUI)."""

import contextlib
from collections.abc import AsyncIterator, Mapping
from typing import Any

from attrs import field, frozen

from application.ports.generation_backend import (
    GenerationBackend, OnEvent, OutputFile, PromptOutcome, PromptReport, ServerProbe,
)
from domain.comfyui_server import ModelCatalog
from domain.node_catalog import NodeCatalog


@frozen
class BackendsByTarget:
    default: GenerationBackend  # ComfyUI: addresses are http(s) URLs
    by_prefix: Mapping[str, GenerationBackend] = field(factory=dict)  # e.g. {"provider:": the providers' backend}

    def backend_for(self, address: str) -> GenerationBackend:
        return next((backend for prefix, backend in self.by_prefix.items() if address.startswith(prefix)),
                    self.default)

    async def probe(self, server_url: str) -> ServerProbe:
        return await self.backend_for(server_url).probe(server_url)

    async def models(self, server_url: str) -> ModelCatalog:
        return await self.backend_for(server_url).models(server_url)

    async def node_catalog(self, server_url: str) -> NodeCatalog:
        return await self.backend_for(server_url).node_catalog(server_url)

    async def submit(self, server_url: str, workflow: dict[str, Any], *, prompt_id: str) -> str | None:
        return await self.backend_for(server_url).submit(server_url, workflow, prompt_id=prompt_id)

    async def follow(self, server_url: str, prompt_id: str, on_event: OnEvent, *, timeout: float) -> PromptOutcome:
        return await self.backend_for(server_url).follow(server_url, prompt_id, on_event, timeout=timeout)

    def download(self, server_url: str, output: OutputFile) -> AsyncIterator[bytes]:
        return self.backend_for(server_url).download(server_url, output)

    async def upload_image(self, server_url: str, filename: str, data: bytes) -> str:
        return await self.backend_for(server_url).upload_image(server_url, filename, data)

    async def status(self, server_url: str, prompt_id: str) -> PromptReport:
        return await self.backend_for(server_url).status(server_url, prompt_id)

    async def cancel(self, server_url: str, prompt_id: str) -> None:
        await self.backend_for(server_url).cancel(server_url, prompt_id)

    async def close(self) -> None:
        """Close every backend that holds connections."""
        for backend in (self.default, *self.by_prefix.values()):
            close = getattr(backend, "close", None)
            if close is not None:
                with contextlib.suppress(Exception):
                    await close()
