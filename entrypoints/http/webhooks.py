"""Webhook routes: receivers of the queue's events, signed per Standard Webhooks, and their deliveries."""

from aiohttp import web

from application.webhooks.create_webhook import CreateWebhook
from application.webhooks.delete_webhook import WebhookDeleted
from application.webhooks.update_webhook import UpdateWebhook, WebhookChanges
from application.webhooks.views import WebhookCreated, WebhookView
from domain.access import Role
from domain.webhook_delivery import WebhookDelivery
from entrypoints.http.operation import SKIP_LIMIT, Operation, PageOf
from entrypoints.http.request_parsing import query_int, read_command
from entrypoints.http.responses import respond, use_cases


async def create_webhook(request: web.Request) -> web.Response:
    command = await read_command(request, CreateWebhook)
    return respond(request, await use_cases(request).create_webhook()(command), status=201)


async def list_webhooks(request: web.Request) -> web.Response:
    return respond(request, await use_cases(request).list_webhooks()())


async def get_webhook(request: web.Request) -> web.Response:
    return respond(request, await use_cases(request).get_webhook()(request.match_info["webhook_id"]))


async def update_webhook(request: web.Request) -> web.Response:
    changes = await read_command(request, WebhookChanges)
    command = UpdateWebhook(webhook_id=request.match_info["webhook_id"], changes=changes)
    return respond(request, await use_cases(request).update_webhook()(command))


async def delete_webhook(request: web.Request) -> web.Response:
    return respond(request, await use_cases(request).delete_webhook()(request.match_info["webhook_id"]))


async def list_deliveries(request: web.Request) -> web.Response:
    skip = query_int(request, "skip", default=0, minimum=0, maximum=1_000_000_000)
    limit = query_int(request, "limit", default=100, minimum=1, maximum=500)
    deliveries = use_cases(request).list_deliveries()
    return respond(request, await deliveries(request.match_info["webhook_id"], skip=skip, limit=limit))


BASE = "/api/v1/webhooks"
ONE = BASE + "/{webhook_id}"
OPERATIONS = [
    Operation("POST", BASE, create_webhook,
              "Register a webhook (events: job.completed, job.failed, job.cancelled, batch.completed); its "
              "`whsec_` secret is shown in this answer only", "webhooks", status=201, body=CreateWebhook,
              response=WebhookCreated, creates="webhook_id", role=Role.ADMIN),
    Operation("GET", BASE, list_webhooks, "List webhooks, oldest first (secrets never shown)", "webhooks",
              response=list[WebhookView], role=Role.ADMIN),
    Operation("GET", ONE, get_webhook, "Get a webhook", "webhooks", response=WebhookView, role=Role.ADMIN),
    Operation("PUT", ONE, update_webhook, "Change a webhook's URL, events, description or switch", "webhooks",
              body=WebhookChanges, response=WebhookView, errors=(409,), role=Role.ADMIN),
    Operation("DELETE", ONE, delete_webhook, "Delete a webhook and its deliveries", "webhooks",
              response=WebhookDeleted, role=Role.ADMIN),
    Operation("GET", ONE + "/deliveries", list_deliveries,
              "A webhook's deliveries, newest first, each with its attempts (status code, error, time)", "webhooks",
              response=PageOf(WebhookDelivery), query=SKIP_LIMIT, role=Role.ADMIN),
]
