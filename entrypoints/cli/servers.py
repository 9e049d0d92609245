"""`storycanvas servers add|list|remove|models`: the registered ComfyUI servers."""

import click

from application.comfyui.delete_server import DeleteServer
from application.comfyui.register_server import RegisterServer
from domain.comfyui_server import ComfyUIServer, ModelCatalog
from entrypoints.cli.output import emit, json_option, table
from entrypoints.cli.runtime import attempt, run


@click.group()
def servers() -> None:
    """Register, list and remove ComfyUI servers; list their models."""


@servers.command("add")
@click.argument("url")
@click.option("--name", help="Default: the URL.")
@click.option("--capacity", type=click.IntRange(1), default=1, show_default=True, help="Prompts run at once.")
@click.option("--disabled", is_flag=True, help="Register it without giving it work.")
@json_option
def add_server(url: str, name: str | None, capacity: int, disabled: bool, as_json: bool) -> None:
    """Register a ComfyUI server (it must answer); prints its id."""
    command = attempt(lambda: RegisterServer(name=name or url, url=url, capacity=capacity, enabled=not disabled))
    emit(run(lambda c: c.register_server()(command)), as_json, lambda s: s.id)


def _servers_table(found: list[ComfyUIServer]) -> object:
    return table(None, ["id", "name", "url", "health", "version", "capacity", "enabled"], [
        (s.id, s.name, s.url, s.health.status.value + (f" ({s.health.last_error})" if s.health.last_error else ""),
         s.health.comfyui_version, s.capacity, "yes" if s.enabled else "no") for s in found])


@servers.command("list")
@json_option
def list_servers(as_json: bool) -> None:
    """List the servers, each probed now."""
    emit(run(lambda c: c.check_servers()()), as_json, _servers_table)


@servers.command("remove")
@click.argument("server_id")
@json_option
def remove_server(server_id: str, as_json: bool) -> None:
    """Unregister a server."""
    removed = run(lambda c: c.delete_server()(DeleteServer(server_id=server_id)))
    emit(removed, as_json, lambda r: f"removed {r.server_id}")


def _models_table(catalog: ModelCatalog) -> object:
    folders = ("checkpoints", "diffusion_models", "loras", "vae", "text_encoders", "clip_vision")
    return table(None, ["folder", "model"], [(folder, name) for folder in folders
                                             for name in getattr(catalog, folder)])


@servers.command("models")
@click.argument("server_id")
@json_option
def server_models(server_id: str, as_json: bool) -> None:
    """The model files a server offers, read from it now."""
    emit(run(lambda c: c.server_models()(server_id)), as_json, _models_table)
