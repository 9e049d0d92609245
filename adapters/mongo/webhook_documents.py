"""The cattrs converter of the webhook collections (`id` stored as `_id`)."""

from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from cattrs.preconf.bson import BsonConverter, make_converter

from domain.webhook import Webhook
from domain.webhook_delivery import WebhookDelivery

WEBHOOKS = "webhooks"
DELIVERIES = "webhook_deliveries"


def make_webhook_converter() -> BsonConverter:
    converter = make_converter()
    for entity in (Webhook, WebhookDelivery):
        renamed = {"id": override(rename="_id")}
        converter.register_unstructure_hook(entity, make_dict_unstructure_fn(entity, converter, **renamed))
        converter.register_structure_hook(entity, make_dict_structure_fn(entity, converter, **renamed))
    return converter
