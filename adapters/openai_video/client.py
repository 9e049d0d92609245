"""The five `/v1/videos` endpoints over one aiohttp session, with the retry rules of OpenAI's own clients.

429, 408, 409 and 5xx answers (and dropped connections) are retried with backoff, waiting what `Retry-After` says
when the provider says it; 401 and 403 are a refused key, other 4xx a refused request: neither is retried. The key
goes in the Authorization header only: it is in no message, no log line and no exception this module makes.
"""

import asyncio
import email.utils
import logging
import random
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
from attrs import define, frozen

from application.errors import UpstreamUnavailable
from application.ports.generation_backend import WorkflowRejected
from application.ports.video_provider import ProviderConnection
from domain.outbound import OutboundRule

log = logging.getLogger(__name__)
RETRIED = frozenset({408, 409, 429, 500, 502, 503, 504})
API_TIMEOUT = aiohttp.ClientTimeout(total=60, connect=10)
DOWNLOAD_TIMEOUT = aiohttp.ClientTimeout(total=None, connect=10, sock_read=120)
CHUNK = 256 * 1024


class KeyRefused(WorkflowRejected):
    """401/403: the provider refused the key; retrying cannot help."""

    def __init__(self, message: str) -> None:
        super().__init__(message, permanent=True)


@frozen
class RetryPolicy:
    attempts: int = 5  # tries of one request, the first included
    first_wait_s: float = 0.5  # backoff without Retry-After: 0.5, 1, 2, 4 s ... (with jitter), at most max_wait_s
    max_wait_s: float = 30.0  # a longer Retry-After is cut to this (the queue retries the job later anyway)

    def wait(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.max_wait_s)
        return min(self.first_wait_s * 2**attempt * random.uniform(0.75, 1.25), self.max_wait_s)


def retry_after_seconds(value: str | None, *, now: float | None = None) -> float | None:
    """`Retry-After` as seconds: a number of seconds, or an HTTP date (RFC 9110)."""
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - (time.time() if now is None else now), 0.0)


def scrubbed(text: str, key: str | None) -> str:
    """The provider's words with the key taken out, should it ever echo it."""
    return text.replace(key, "[key]") if key else text


@define
class VideosHttp:
    session: aiohttp.ClientSession
    connection: ProviderConnection
    retry: RetryPolicy = RetryPolicy()
    outbound: OutboundRule = OutboundRule()

    @property
    def _headers(self) -> dict[str, str]:
        key = self.connection.api_key
        return {"Authorization": f"Bearer {key}"} if key else {}

    def _url(self, path: str) -> str:
        return f"{self.connection.base_url}/videos{path}"

    async def create(self, fields: dict[str, str], reference: bytes | None, *, idempotency_key: str) -> dict[str, Any]:
        """POST /videos (multipart, as OpenAI's SDK sends it); `reference` is a PNG of the video's size."""
        def form() -> aiohttp.FormData:
            data = aiohttp.FormData(fields)
            if reference is not None:
                data.add_field("input_reference", reference, filename="reference.png", content_type="image/png")
            return data

        return await self._json("POST", "", form=form, headers={"Idempotency-Key": idempotency_key})

    async def retrieve(self, video_id: str) -> dict[str, Any] | None:
        """GET /videos/{id}; None when the provider has no such video (404)."""
        return await self._json("GET", f"/{video_id}", missing_ok=True)

    async def list(self, *, limit: int = 1) -> dict[str, Any]:
        return await self._json("GET", f"?limit={limit}")

    async def delete(self, video_id: str) -> bool:
        """DELETE /videos/{id}: cancels it if it still runs; False when the provider has no such video."""
        return await self._json("DELETE", f"/{video_id}", missing_ok=True) is not None

    async def content(self, video_id: str, variant: str) -> AsyncIterator[bytes]:
        """GET /videos/{id}/content?variant=video|thumbnail|spritesheet, streamed."""
        response = await self._send("GET", f"/{video_id}/content?variant={variant}", timeout=DOWNLOAD_TIMEOUT)
        async with response:
            try:
                async for chunk in response.content.iter_chunked(CHUNK):
                    yield chunk
            except (aiohttp.ClientError, TimeoutError) as exc:
                raise UpstreamUnavailable(f"{self._who} broke off the download of {video_id}: "
                                          f"{type(exc).__name__}") from None

    @property
    def _who(self) -> str:
        return f"video provider '{self.connection.name}'"

    async def _json(self, method: str, path: str, *, form: Any = None, headers: dict[str, str] | None = None,
                    missing_ok: bool = False) -> Any:
        response = await self._send(method, path, form=form, headers=headers, missing_ok=missing_ok)
        async with response:
            if response.status == 404 and missing_ok:
                return None
            try:
                return await response.json(content_type=None)
            except (ValueError, aiohttp.ClientError) as exc:
                raise UpstreamUnavailable(f"{self._who} answered {method} {path or '/'} with no JSON: "
                                          f"{type(exc).__name__}") from None

    async def _send(self, method: str, path: str, *, form: Any = None, headers: dict[str, str] | None = None,
                    missing_ok: bool = False, timeout: aiohttp.ClientTimeout = API_TIMEOUT) -> aiohttp.ClientResponse:
        """The first answer that is neither retried nor an error; errors raised as the application's."""
        refusal = self.outbound.refusal(self.connection.base_url)
        if refusal is not None:  # every request to a provider passes here: none leaves for a refused host
            raise UpstreamUnavailable(f"{self._who} may not be reached: {refusal}")
        for attempt in range(self.retry.attempts):
            last = attempt + 1 == self.retry.attempts
            try:
                response = await self.session.request(method, self._url(path), data=form() if form else None,
                                                      headers={**self._headers, **(headers or {})}, timeout=timeout)
            except (aiohttp.ClientError, TimeoutError) as exc:
                reason = f"unreachable ({type(exc).__name__})"
                if last:
                    raise UpstreamUnavailable(f"{self._who} is {reason}") from None
                await self._pause(attempt, None, reason)
                continue
            if response.status < 400 or (response.status == 404 and missing_ok):
                return response
            async with response:
                error = await self._error(response)
            if response.status not in RETRIED:
                raise self._refusal(response.status, error)
            if last:
                raise UpstreamUnavailable(f"{self._who} answered {response.status} {self.retry.attempts} times: "
                                          f"{error}")
            await self._pause(attempt, retry_after_seconds(response.headers.get("Retry-After")),
                              f"answered {response.status}")
        raise AssertionError("unreachable")

    async def _pause(self, attempt: int, retry_after: float | None, reason: str) -> None:
        wait = self.retry.wait(attempt, retry_after)
        log.info("%s %s; trying again in %.1fs", self._who, reason, wait)
        await asyncio.sleep(wait)

    async def _error(self, response: aiohttp.ClientResponse) -> str:
        """The provider's own message (OpenAI's `{"error": {"message", "code"}}`), without the key."""
        try:
            body = await response.json(content_type=None)
            error = body.get("error") if isinstance(body, dict) else None
            message = error.get("message") if isinstance(error, dict) else body.get("detail") or str(body)
        except (ValueError, aiohttp.ClientError, AttributeError):
            message = (await response.text(errors="replace"))[:300]
        return scrubbed(str(message)[:1000], self.connection.api_key)

    def _refusal(self, status: int, error: str) -> WorkflowRejected:
        if status in (401, 403):
            verb = "refused the API key" if status == 401 else "refused access with the API key"
            return KeyRefused(f"{self._who} {verb} ({status}): register a valid key with PUT "
                              f"/api/v1/video-providers/{self.connection.provider_id} {{\"api_key\": ...}}")
        return WorkflowRejected(f"{self._who} refused the request ({status}): {error}", permanent=True)
