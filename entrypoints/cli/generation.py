"""`storycanvas generate PROJECT`: queue a project's, a scene's or some clips' generation, and watch it."""

import click

from application.errors import NotFound
from application.queue.enqueue_batch import BatchQueued, EnqueueBatch
from application.queue.queries import JobFilter
from domain.generated_content import ContentKind
from domain.queue_job import JobStatus, QueueJob
from entrypoints.cli.output import emit, json_option, print_json
from entrypoints.cli.progress import dispatching, watch
from entrypoints.cli.runtime import attempt, fail, run
from entrypoints.container import Container

INTERRUPTED = 130
MAX_JOBS = 2000


async def batch_jobs(container: Container, batch_id: str) -> list[QueueJob]:
    page = await container.list_jobs()(JobFilter(batch_id=batch_id), skip=0, limit=MAX_JOBS)
    return list(page.items)


async def watched(container: Container, batch_id: str, *, show: bool) -> list[QueueJob]:
    """The batch's jobs once all have ended, this process dispatching meanwhile."""
    async with dispatching(container):
        return await watch(lambda: batch_jobs(container, batch_id), show=show)


async def in_project(container: Container, project_id: str, scene_id: str | None, clip_ids: tuple[str, ...]) -> None:
    """The project exists and holds the scene and clips named (another project's are not found here)."""
    await container.get_project()(project_id)
    if scene_id is not None and (await container.get_scene()(scene_id)).project_id != project_id:
        raise NotFound("Scene", scene_id)
    for clip_id in clip_ids:
        if (await container.get_clip()(clip_id)).project_id != project_id:
            raise NotFound("Clip", clip_id)


def report(jobs: list[QueueJob], as_json: bool) -> None:
    """The ended jobs; exit 1 unless every one completed."""
    if as_json:
        print_json(jobs)
    failed = [job for job in jobs if job.status is not JobStatus.COMPLETED]
    if failed:
        first = failed[0]
        fail(f"{len(failed)} of {len(jobs)} job(s) did not complete; {first.id}: {first.status.value}"
             f"{': ' + first.error_message if first.error_message else ''}")
    if not as_json:
        click.echo(f"{len(jobs)} job(s) completed")


def interrupted(batch_id: str | None) -> None:
    what = f"the jobs of batch {batch_id}" if batch_id else "the jobs"
    follow = f"; follow them with `storycanvas queue watch --batch {batch_id}`" if batch_id else ""
    fail(f"stopped watching: {what} stay queued{follow}", INTERRUPTED)


@click.command()
@click.argument("project_id")
@click.option("--scene", "scene_id", help="Only this scene's clips.")
@click.option("--clip", "clip_ids", multiple=True, help="Only this clip (repeatable).")
@click.option("--model", default="sdxl", show_default=True, help="A preset or user workflow id.")
@click.option("--kind", type=click.Choice([k.value for k in ContentKind]), help="Default: what the model makes.")
@click.option("--priority", type=int, default=0)
@click.option("--alternates", is_flag=True, help="Alternate clips too.")
@click.option("--wait", is_flag=True, help="Watch the jobs (a progress bar each) until they end; this process "
                                           "runs them if no server does. Ctrl-C stops watching; the jobs stay queued.")
@json_option
def generate(project_id: str, scene_id: str | None, clip_ids: tuple[str, ...], model: str, kind: str | None,
             priority: int, alternates: bool, wait: bool, as_json: bool) -> None:
    """Queue generation for a project's main clips (or one scene's, or some clips)."""
    command = attempt(lambda: EnqueueBatch(
        model=model, project_id=None if scene_id or clip_ids else project_id, scene_id=None if clip_ids else scene_id,
        clip_ids=clip_ids or None, kind=ContentKind(kind) if kind else None, priority=priority,
        include_alternates=alternates))
    queued: list[BatchQueued] = []

    async def action(container: Container) -> list[QueueJob] | BatchQueued:
        await in_project(container, project_id, scene_id, clip_ids)
        queued.append(await container.enqueue_batch()(command))
        if not wait or not queued[0].count:
            return queued[0]
        click.echo(f"batch {queued[0].batch_id}: {queued[0].count} job(s) queued", err=True)
        return await watched(container, queued[0].batch_id, show=not as_json)

    try:
        result = run(action)
    except KeyboardInterrupt:
        interrupted(queued[0].batch_id if queued else None)
    if isinstance(result, BatchQueued):
        emit(result, as_json, lambda b: f"batch {b.batch_id}: {b.count} job(s) queued")
    else:
        report(result, as_json)
