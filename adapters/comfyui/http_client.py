"""ComfyUI's HTTP API, one call per method, errors mapped to the application's."""

import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
from attrs import define

from application.errors import UpstreamUnavailable
from adapters.comfyui.rejections import rejection
from application.ports.generation_backend import OutputFile

TIMEOUT = aiohttp.ClientTimeout(total=30, sock_connect=5)


class PromptAlreadyQueued(Exception):
    """409 to POST /prompt: today's ComfyUI already holds a prompt with this id."""


class NotFound(Exception):
    """404: on a jobs API route, the job is unknown (JSON body) or the server has no jobs API (plain text)."""

    def __init__(self, has_route: bool) -> None:
        super().__init__("not found")
        self.has_route = has_route


def prompt_id_of(kwargs: dict[str, Any]) -> str:
    body = kwargs.get("json")
    return str(body.get("prompt_id")) if isinstance(body, dict) else ""


@define
class ComfyUIHttp:
    """One server's HTTP API over a long-lived session."""

    session: aiohttp.ClientSession
    base_url: str

    async def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            async with self.session.request(method, self.base_url + path, timeout=TIMEOUT, **kwargs) as response:
                if response.status >= 500:
                    raise UpstreamUnavailable(f"ComfyUI at {self.base_url} answered {response.status} to {path}")
                text = await response.text()
                if response.status == 404 and path.startswith("/api/jobs"):
                    raise NotFound(has_route=response.content_type == "application/json")
                body = json.loads(text) if text else None
                if response.status == 400:
                    raise rejection(body)
                if response.status == 409 and path == "/prompt":
                    raise PromptAlreadyQueued(prompt_id_of(kwargs))
                if response.status >= 400:
                    raise UpstreamUnavailable(f"ComfyUI at {self.base_url} answered {response.status} to {path}")
                return body
        except (aiohttp.ClientError, TimeoutError, json.JSONDecodeError) as exc:
            raise UpstreamUnavailable(f"ComfyUI at {self.base_url} is unreachable: {type(exc).__name__}") from exc

    async def system_stats(self) -> dict[str, Any]:
        return await self._json("GET", "/system_stats")

    async def object_info(self) -> dict[str, Any]:
        return await self._json("GET", "/object_info")

    async def post_prompt(self, workflow: dict[str, Any], *, prompt_id: str, client_id: str) -> dict[str, Any]:
        body = {"prompt": workflow, "client_id": client_id, "prompt_id": prompt_id}
        return await self._json("POST", "/prompt", json=body)

    async def history(self, prompt_id: str) -> dict[str, Any] | None:
        """The prompt's history entry, or None while it has none (queued, running, or just finished)."""
        body = await self._json("GET", f"/history/{prompt_id}")
        return body.get(prompt_id) if isinstance(body, dict) else None

    async def job(self, prompt_id: str) -> dict[str, Any] | None:
        """Today's jobs API: the job, or None if unknown; raises NotFound(has_route=False) on 0.3.64."""
        try:
            return await self._json("GET", f"/api/jobs/{prompt_id}")
        except NotFound as exc:
            if exc.has_route:
                return None
            raise

    async def cancel_job(self, prompt_id: str) -> bool:
        """Interrupt it if it is the running prompt, dequeue it if pending (atomic on the server)."""
        body = await self._json("POST", f"/api/jobs/{prompt_id}/cancel")
        return bool(body.get("cancelled")) if isinstance(body, dict) else False

    async def queue(self) -> dict[str, Any]:
        return await self._json("GET", "/queue")

    async def interrupt(self, prompt_id: str) -> None:
        await self._json("POST", "/interrupt", json={"prompt_id": prompt_id})

    async def delete_queued(self, prompt_id: str) -> None:
        await self._json("POST", "/queue", json={"delete": [prompt_id]})

    async def upload_image(self, filename: str, data: bytes) -> str:
        form = aiohttp.FormData()
        form.add_field("image", data, filename=filename, content_type="application/octet-stream")
        form.add_field("type", "input")
        body = await self._json("POST", "/upload/image", data=form)
        name = body["name"]
        return f"{body['subfolder']}/{name}" if body.get("subfolder") else name

    async def view(self, output: OutputFile) -> AsyncIterator[bytes]:
        params = {"filename": output.filename, "subfolder": output.subfolder, "type": output.folder_type}
        try:
            async with self.session.get(self.base_url + "/view", params=params,
                                        timeout=aiohttp.ClientTimeout(total=600, sock_read=60)) as response:
                if response.status != 200:
                    raise UpstreamUnavailable(f"ComfyUI could not serve {output.filename}: {response.status}")
                async for chunk in response.content.iter_chunked(256 * 1024):
                    yield chunk
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise UpstreamUnavailable(f"ComfyUI at {self.base_url} is unreachable: {type(exc).__name__}") from exc
