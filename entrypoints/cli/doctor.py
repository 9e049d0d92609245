"""`storycanvas doctor`: configuration, database, media directory, servers and providers, each with its fix."""

import asyncio
import json
import os
import shutil
import tempfile
from pathlib import Path

import click
from attrs import frozen

from adapters.mongo.client import DatabaseUnavailable
from adapters.mongo.data_dir_database import LOCK_FILE
from application.video_providers.provider_status import ProviderHealth
from domain.comfyui_server import ComfyUIServer, HealthStatus
from entrypoints.cli.output import console, print_json
from entrypoints.cli.runtime import FAILURE, open_container
from entrypoints.container import Container
from entrypoints.settings import Settings, SettingsError, load_settings

MIN_FREE_BYTES = 1 << 30


@frozen
class Finding:
    area: str
    ok: bool
    detail: str
    fix: str | None = None


def embedded_state(data_dir: Path) -> str:
    """Whether a SecantusDB already serves DATA_DIR (a running server's), as its lock file records it."""
    try:
        record = json.loads((data_dir / LOCK_FILE).read_text())
        alive = Path(f"/proc/{int(record['pid'])}").exists()
    except (OSError, ValueError, KeyError, TypeError):
        alive = False
    if alive:
        return f"the embedded SecantusDB of {data_dir} runs (pid {record['pid']}, port {record['port']})"
    return f"no embedded SecantusDB ran for {data_dir}; this check started one for its length"


def media_findings(directory: Path) -> list[Finding]:
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".doctor-"):
            pass
        free = shutil.disk_usage(directory).free
    except OSError as exc:
        return [Finding("media", False, f"UPLOAD_DIR {directory} is not writable: {exc.strerror or exc}",
                        f"create it writable for user {os.getuid()}, or set UPLOAD_DIR elsewhere")]
    ok = free >= MIN_FREE_BYTES
    return [Finding("media", ok, f"UPLOAD_DIR {directory} is writable, {free / (1 << 30):.1f} GiB free",
                    None if ok else "free some space: generated takes and music are stored here")]


async def service_findings(container: Container) -> list[Finding]:
    servers = await container.check_servers()(models=True)
    findings = [Finding("comfyui", False, "no ComfyUI server is registered", "storycanvas servers add URL")]
    if servers:
        findings = [_server(s) for s in servers]
    status = await container.video_providers_status()()
    findings += [_provider(p) for p in status.providers]
    return findings


def _provider(status: ProviderHealth) -> Finding:
    """Reachable, its key accepted, and the models it is registered to serve."""
    ok = status.reachable and status.key_accepted is not False
    detail = (f"{status.provider.name}: " + ("reachable" if status.reachable else f"unreachable ({status.error})")
              + (", key refused" if status.key_accepted is False else "")
              + "; models " + ", ".join(model.name for model in status.provider.models))
    return Finding(f"provider {status.provider.id}", ok, detail,
                   None if ok else "check its URL and API key (storycanvas serve's OPENAI_* or the API)")


def _server(server: ComfyUIServer) -> Finding:
    health = server.health
    if health.status is not HealthStatus.UP:
        return Finding(f"comfyui {server.name}", False, f"{server.url} does not answer: {health.last_error}",
                       f"start ComfyUI there, or `storycanvas servers remove {server.id}`")
    models = server.models
    count = sum(len(getattr(models, folder)) for folder in ("checkpoints", "diffusion_models", "loras"))
    return Finding(f"comfyui {server.name}", True, f"{server.url} up, ComfyUI {health.comfyui_version}, "
                   f"{len(models.checkpoints)} checkpoint(s), {count} model file(s), {health.latency_ms} ms")


async def database_findings(settings: Settings) -> list[Finding]:
    where = "MONGO_URL" if settings.mongo_url else embedded_state(settings.data_dir)
    try:
        async with open_container(settings) as container:
            return [Finding("database", True, f"answers ({where})"), *await service_findings(container)]
    except DatabaseUnavailable as exc:
        fix = "check MONGO_URL, or unset it to use the embedded one" if settings.mongo_url else \
            f"make DATA_DIR {settings.data_dir} a writable directory"
        return [Finding("database", False, str(exc), fix)]


def findings(settings: Settings | None) -> list[Finding]:
    try:
        settings = settings or load_settings()
    except SettingsError as exc:
        return [Finding("configuration", False, str(exc), "correct the variable(s) named, or unset them")]
    checked = [Finding("configuration", True, "the environment's settings are valid"),
               *media_findings(settings.upload_dir)]
    return checked + asyncio.run(database_findings(settings))


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@click.pass_context
def doctor(ctx: click.Context, as_json: bool) -> None:
    """Check configuration, database, media directory, ComfyUI servers and video providers; exit 1 if any is wrong."""
    obj = ctx.find_root().obj
    found = findings(obj if isinstance(obj, Settings) else None)
    if as_json:
        print_json(found)
    else:
        out = console()
        for finding in found:
            out.print(f"{'ok ' if finding.ok else 'BAD'} {finding.area}: {finding.detail}")
            if finding.fix:
                out.print(f"    fix: {finding.fix}")
    if not all(finding.ok for finding in found):
        ctx.exit(FAILURE)
