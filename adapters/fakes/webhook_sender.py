"""A webhook sender that records what it would send and answers from a script."""

from attrs import define, field, frozen

from application.ports.webhook_sender import SendOutcome


@frozen
class SentMessage:
    url: str
    message_id: str
    body: bytes
    secret: str


@define
class RecordingWebhookSender:
    answers: list[SendOutcome] = field(factory=list)  # answered in turn; then 200
    sent: list[SentMessage] = field(factory=list)

    async def send(self, url: str, *, message_id: str, body: bytes, secret: str) -> SendOutcome:
        self.sent.append(SentMessage(url, message_id, body, secret))
        return self.answers.pop(0) if self.answers else SendOutcome(200)

    async def close(self) -> None:
        return None
