"""Why a waiting job cannot run anywhere now, in words a user can act on (None: some server can take it)."""

from collections.abc import Sequence

from domain.queue_job import QueueJob
from domain.scheduling import ServerState


def waiting_reason(job: QueueJob, servers: Sequence[ServerState], *, queue_paused: bool = False) -> str | None:
    """`servers`: the servers that may take work now (enabled, up, not paused), free slots or not."""
    if queue_paused:
        return "the queue is paused"
    if job.target is not None:
        if any(server.id == job.target for server in servers):
            return None
        return "its video provider takes no work (disabled or no longer registered)"
    servers = [server for server in servers if not server.dedicated]
    if not servers:
        return "no ComfyUI server is available (none registered, or all down, disabled or paused)"
    if any(server.offers(job) for server in servers):
        return None
    servers = [server for server in servers if server.rules is None or server.rules.permits(job.model, job.kind.value)]
    if not servers:
        return f"every available server's model rules keep {job.model} ({job.kind.value}) off it"
    missing = [model for model in job.required_models
               if all(server.models is not None and model not in server.models for server in servers)]
    if missing:
        return f"no server offers {', '.join(missing)}"
    return f"no single server offers all of {', '.join(job.required_models)}"
