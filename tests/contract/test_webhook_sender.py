"""The WebhookSender contract, against the recording fake and the HTTP sender (a receiver on 127.0.0.1)."""

from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from adapters.fakes.webhook_sender import RecordingWebhookSender
from adapters.webhooks.http_sender import HttpWebhookSender
from application.ports.webhook_sender import WebhookSender
from tests.loopback_server import serving

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[str, list[bytes]]]:
    bodies: list[bytes] = []

    async def accept(request: web.Request) -> web.Response:
        bodies.append(await request.read())
        return web.Response(status=204)

    app = web.Application()
    app.router.add_post("/hooks", accept)
    async with serving(app) as port:
        yield f"http://127.0.0.1:{port}/hooks", bodies


@pytest.fixture(params=["fake", "http"])
async def sender(request: pytest.FixtureRequest) -> AsyncIterator[WebhookSender]:
    chosen: WebhookSender = RecordingWebhookSender() if request.param == "fake" else HttpWebhookSender(timeout_s=5)
    yield chosen
    await chosen.close()


async def test_a_receiver_that_accepts_is_a_success_without_error(sender, receiver):
    url, _ = receiver
    outcome = await sender.send(url, message_id="msg_1", body=b'{"type": "job.completed"}', secret=SECRET)
    assert outcome.status_code is not None and 200 <= outcome.status_code < 300
    assert outcome.error is None and outcome.permanent is False


async def test_a_closed_sender_sends_again_and_closes_twice(sender, receiver):
    url, _ = receiver
    await sender.close()
    outcome = await sender.send(url, message_id="msg_2", body=b"{}", secret=SECRET)
    assert outcome.error is None
    await sender.close()
