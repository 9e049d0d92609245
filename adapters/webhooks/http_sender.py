"""Send Standard Webhooks messages over one long-lived aiohttp session, signed by the `standardwebhooks` library."""

import time
from datetime import UTC, datetime

import aiohttp
from attrs import define, field
from standardwebhooks import Webhook as Signer

from adapters.outbound.guarded_session import guarded_session  # checked again at connect time
from application.ports.webhook_sender import SendOutcome
from domain.outbound import OutboundRule

USER_AGENT = "StoryCanvas-Webhooks/1"


@define
class HttpWebhookSender:
    outbound: OutboundRule = OutboundRule()
    timeout_s: float = 10.0
    _session: aiohttp.ClientSession | None = field(default=None, init=False)

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = guarded_session(self.outbound, timeout=aiohttp.ClientTimeout(total=self.timeout_s))
        return self._session

    async def send(self, url: str, *, message_id: str, body: bytes, secret: str) -> SendOutcome:
        refusal = self.outbound.refusal(url)
        if refusal is not None:  # checked at every send: the allow-list may have changed since the URL was given
            return SendOutcome(None, f"may not be reached: {refusal}", permanent=True)
        started = time.monotonic()
        now = datetime.now(UTC)
        headers = {"content-type": "application/json", "user-agent": USER_AGENT, "webhook-id": message_id,
                   "webhook-timestamp": str(int(now.timestamp())),
                   "webhook-signature": Signer(secret).sign(message_id, now, body.decode())}
        try:
            async with self._client().post(url, data=body, headers=headers, allow_redirects=False) as response:
                await response.content.read(64 * 1024)  # the answer's body matters not; keep the connection tidy
                error = None if 200 <= response.status < 300 else f"answered {response.status} {response.reason or ''}"
                return SendOutcome(response.status, error and error.strip(), duration_ms=_since(started))
        except TimeoutError:
            return SendOutcome(None, f"no answer within {self.timeout_s:g} s", duration_ms=_since(started))
        except aiohttp.ClientError as exc:
            return SendOutcome(None, f"unreachable ({type(exc).__name__})", duration_ms=_since(started))

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()


def _since(started: float) -> float:
    return round((time.monotonic() - started) * 1000, 1)
