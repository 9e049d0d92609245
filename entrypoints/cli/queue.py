"""`storycanvas queue status|watch|cancel|retry|pause|resume`."""

import click

from application.queue.control_job import CancelJob, RetryJob
from application.queue.queue_admin import PauseTarget
from entrypoints.cli.generation import INTERRUPTED, batch_jobs, report
from entrypoints.cli.output import emit, json_option, table
from entrypoints.cli.progress import dispatching, watch
from entrypoints.cli.runtime import fail, run
from entrypoints.container import Container


@click.group()
def queue() -> None:
    """The generation queue: its status, live progress, and its controls."""


@queue.command("status")
@json_option
def status(as_json: bool) -> None:
    """Jobs by state, pause switches, servers up and their capacity."""
    found = run(lambda c: c.queue_status()())
    emit(found, as_json, lambda s: table(
        f"queue {'PAUSED' if s.paused else 'running'}; {s.servers_up} server(s) up, capacity {s.capacity}",
        ["pending", "processing", "completed", "failed", "cancelled"],
        [(s.counts.pending, s.counts.processing, s.counts.completed, s.counts.failed, s.counts.cancelled)]))


@queue.command("watch")
@click.option("--batch", "batch_id", help="Only this batch (as `generate` printed it).")
@json_option
def watch_queue(batch_id: str | None, as_json: bool) -> None:
    """Live progress of the waiting and running jobs until none is left; this process runs them if no server does."""

    async def action(container: Container) -> list:  # type: ignore[type-arg]
        if batch_id is not None:
            await container.batch_status()(batch_id)  # an unknown batch is not found (exit 3)
        read = (lambda: batch_jobs(container, batch_id)) if batch_id else (lambda: container.active_jobs()())
        async with dispatching(container):
            return await watch(read, show=not as_json)

    try:
        jobs = run(action)
    except KeyboardInterrupt:
        fail("stopped watching: the jobs stay queued", INTERRUPTED)
    if batch_id is not None:
        report(jobs, as_json)
    else:
        emit(jobs, as_json, lambda _: "no job waiting or running")


@queue.command("cancel")
@click.argument("job_id")
@json_option
def cancel(job_id: str, as_json: bool) -> None:
    """Cancel a waiting job, or interrupt a running one."""
    job = run(lambda c: c.cancel_job()(CancelJob(job_id=job_id)))
    emit(job, as_json, lambda j: f"job {j.id} is {j.status.value}")


@queue.command("retry")
@click.argument("job_id")
@json_option
def retry(job_id: str, as_json: bool) -> None:
    """Queue a failed or cancelled job again."""
    job = run(lambda c: c.retry_job()(RetryJob(job_id=job_id)))
    emit(job, as_json, lambda j: f"job {j.id} is {j.status.value}")


def _switch(paused: bool):  # type: ignore[no-untyped-def]
    verb = "pause" if paused else "resume"

    @click.option("--server", "server_id", help=f"{verb.capitalize()} this server only.")
    @json_option
    def command(server_id: str | None, as_json: bool) -> None:
        switches = run(lambda c: c.set_paused()(PauseTarget(server_id=server_id), paused=paused))
        emit(switches, as_json, lambda s: f"queue {'paused' if s.paused else 'running'}; paused servers: "
                                          f"{', '.join(s.paused_servers) or 'none'}")

    command.__doc__ = (f"{verb.capitalize()} the whole queue (running jobs finish; nothing new starts)"
                       if paused else "Resume the whole queue") + ", or one server."
    return queue.command(verb)(command)


pause = _switch(True)
resume = _switch(False)


@click.command("queue-status", hidden=True)
def queue_status_compat() -> None:
    """`queue status --json` under its former name."""
    emit(run(lambda c: c.queue_status()()), True, str)
