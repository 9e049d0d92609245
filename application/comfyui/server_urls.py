"""One registration per server address (URLs compare in their normalised spelling, see `normalized_server_url`)."""

from application.errors import Conflict
from application.ports.unit_of_work import UnitOfWork


async def ensure_url_unused(uow: UnitOfWork, url: str, *, server_id: str | None = None) -> None:
    """Refuse `url` if a server other than `server_id` is registered at it (the unique index backs this up)."""
    holders = await uow.comfyui_servers.with_url(url)
    if any(holder.id != server_id for holder in holders):
        raise Conflict(f"a ComfyUI server is already registered at {url}")
