"""The webhook outbox over fakes: every ending announced once, each message sent until 2xx, none lost to a crash."""

from datetime import timedelta

from attrs import evolve

from adapters.fakes.clock import FakeClock
from adapters.fakes.id_generator import SequentialIds
from adapters.fakes.job_endings import InMemoryJobEndings
from adapters.fakes.job_store import InMemoryJobStore
from adapters.fakes.secret_box import ReversingSecretBox
from adapters.fakes.webhook_outbox import InMemoryWebhookOutbox
from adapters.fakes.webhook_sender import RecordingWebhookSender
from adapters.fakes.webhook_store import InMemoryWebhookStore
from application.ports.webhook_sender import SendOutcome
from application.webhooks.announce_endings import AnnounceEndings
from application.webhooks.create_webhook import CreateWebhook, CreateWebhookHandler
from application.webhooks.deliver_webhooks import DeliverWebhooks
from domain.generated_content import ContentKind
from domain.queue_job import QueueJob
from domain.webhook_delivery import DeliveryStatus


class World:
    def __init__(self) -> None:
        self.clock, self.jobs = FakeClock(), InMemoryJobStore()
        self.webhooks, self.outbox, self.box = InMemoryWebhookStore(), InMemoryWebhookOutbox(), ReversingSecretBox()
        self.announce = AnnounceEndings(InMemoryJobEndings(self.jobs), self.webhooks, self.outbox, self.clock)

    def deliverer(self, owner: str, sender: RecordingWebhookSender) -> DeliverWebhooks:
        return DeliverWebhooks(self.outbox, self.webhooks, sender, self.box, self.clock, owner,
                               lease=timedelta(seconds=60))

    async def webhook(self) -> str:
        create = CreateWebhookHandler(self.webhooks, self.clock, SequentialIds(), self.box)
        return (await create(CreateWebhook(url="http://127.0.0.1:9/h"))).secret

    async def ended_job(self, job_id: str) -> QueueJob:
        now = self.clock.now()
        job = QueueJob(id=job_id, project_id="p", clip_id="c", kind=ContentKind.IMAGE, model="m", params={},
                       output_node="9", created_at=now, updated_at=now)
        await self.jobs.add_all([job], [{}])
        return await self.jobs.save(job.cancelled(now=self.clock.now()))


async def test_an_ending_announced_twice_makes_one_delivery_and_a_retried_job_a_new_one():
    world = World()
    await world.webhook()
    job = await world.ended_job("j1")
    assert await world.announce() == 1
    assert await world.announce() == 0
    await world.outbox.add_all(list(world.announce._of_job(job, await world.webhooks.all())))  # a second instance
    assert len(world.outbox.deliveries) == 1
    again = await world.jobs.save((await world.jobs.get("j1")).retried(now=world.clock.now()))
    await world.jobs.save(again.cancelled(now=world.clock.now()))
    assert await world.announce() == 1
    assert len(world.outbox.deliveries) == 2


async def test_a_delivery_claimed_by_a_crashed_instance_is_sent_by_another_once_its_lease_expires():
    world = World()
    secret = await world.webhook()
    await world.ended_job("j1")
    await world.announce()
    [delivery] = world.outbox.deliveries.values()
    await world.outbox.claim_due(world.clock.now(), owner="crashed", until=world.clock.now() + timedelta(seconds=60))
    survivor = RecordingWebhookSender()
    assert await world.deliverer("B", survivor)() == 0  # leased: nobody else sends it meanwhile
    world.clock.current += timedelta(seconds=61)
    assert await world.deliverer("B", survivor)() == 1
    assert [(m.message_id, m.secret) for m in survivor.sent] == [(delivery.id, secret)]
    assert world.outbox.deliveries[delivery.id].status is DeliveryStatus.DELIVERED
    world.clock.current += timedelta(days=2)
    assert await world.deliverer("B", survivor)() == 0  # delivered: never sent again


async def test_a_deleted_or_disabled_webhook_ends_its_pending_deliveries_unsent():
    world = World()
    await world.webhook()
    await world.ended_job("j1")
    await world.announce()
    [webhook] = await world.webhooks.all()
    await world.webhooks.update(evolve(webhook, enabled=False))
    sender = RecordingWebhookSender([SendOutcome(500)])
    assert await world.deliverer("A", sender)() == 1
    assert sender.sent == [] and [d.status for d in world.outbox.deliveries.values()] == [DeliveryStatus.FAILED]
