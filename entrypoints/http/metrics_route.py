"""`GET /metrics` (admin): the Prometheus text format, queue and server gauges read fresh at each scrape."""

from aiohttp import web
from attrs import fields
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from adapters.observability.service_metrics import ServiceMetrics
from domain.access import Role
from entrypoints.http.operation import Operation
from entrypoints.http.request_observer import request_observer
from entrypoints.http.typedefs import CONTAINER, QUEUE_RELAY

METRICS_PATH = "/metrics"


async def metrics_page(request: web.Request) -> web.Response:
    container = request.app[CONTAINER]
    metrics: ServiceMetrics = container.metrics()
    status = await container.queue_status()()
    for counted in fields(type(status.counts)):
        metrics.queue_jobs.labels(counted.name).set(getattr(status.counts, counted.name))
    metrics.server_running.clear()
    metrics.server_capacity.clear()
    for load in await container.server_loads()():
        metrics.server_running.labels(load.name).set(load.running)
        metrics.server_capacity.labels(load.name).set(load.capacity if load.available else 0)
    relay = request.app.get(QUEUE_RELAY)
    metrics.websocket_subscribers.set(len(relay.subscribers) if relay is not None else 0)
    return web.Response(body=generate_latest(metrics.registry), headers={"Content-Type": CONTENT_TYPE_LATEST})


def add_observability(app: web.Application, operations: list[Operation]) -> None:
    """The request observer goes first, outside CORS, errors and the guards."""
    app.middlewares.insert(0, request_observer(app[CONTAINER].metrics(), operations))


OPERATIONS = [
    Operation("GET", METRICS_PATH, metrics_page, "Prometheus metrics (text format 0.0.4)", "metrics",
              content={"text/plain": {"type": "string"}}, role=Role.ADMIN),
]
