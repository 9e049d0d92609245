"""File handlers: GET /view and POST /upload/image, with the real server's path checks and naming."""

import hashlib
import mimetypes
import os
from io import BytesIO
from pathlib import Path
from typing import Any

from aiohttp import web
from PIL import Image

from simulators.comfyui.config import SimulatorConfig
from simulators.comfyui.state import STATE, SimulatorState

routes = web.RouteTableDef()
_FORCED_DOWNLOAD = {"text/html", "text/html-sandboxed", "application/xhtml+xml", "text/javascript", "text/css"}
_ANNOTATIONS = {"[output]": "output", "[input]": "input", "[temp]": "temp"}
mimetypes.add_type("image/webp", ".webp")


def _directory(config: SimulatorConfig, kind: str | None) -> str | None:
    folders = {"output": config.output_dir, "input": config.input_dir, "temp": config.temp_dir}
    return str(folders[kind]) if kind in folders else None


def _annotated(name: str) -> tuple[str, str | None]:
    for suffix, kind in _ANNOTATIONS.items():
        if name.endswith(suffix):
            return name[:-len(suffix) - 1], kind
    return name, None


def _encoded(image: Image.Image, image_format: str, **options: int) -> bytes:
    buffer = BytesIO()
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


def _preview(file: str, query: dict) -> tuple[bytes, str]:
    with Image.open(file) as image:
        settings = query["preview"].split(";")
        image_format = settings[0]
        if image_format not in ("webp", "jpeg") or "a" in query.get("channel", ""):
            image_format = "webp"
        quality = int(settings[-1]) if settings[-1].isdigit() else 90
        if image_format == "jpeg" or query.get("channel", "") == "rgb":
            image = image.convert("RGB")
        return _encoded(image, image_format, quality=quality), f"image/{image_format}"


def _channel(file: str, channel: str) -> bytes:
    with Image.open(file) as image:
        if channel == "rgb":
            return _encoded(image.convert("RGB"), "PNG")
        alpha = image.getchannel("A") if image.mode == "RGBA" else Image.new("L", image.size, 255)
        picture = Image.new("RGBA", image.size)
        picture.putalpha(alpha)
        return _encoded(picture, "PNG")


def _serve(file: str, filename: str, query: dict) -> web.StreamResponse:
    disposition = {"Content-Disposition": f'filename="{filename}"'}
    if "preview" in query:
        body, content_type = _preview(file, query)
        return web.Response(body=body, content_type=content_type, headers=disposition)
    channel = query.get("channel", "rgba")
    if channel in ("rgb", "a"):
        return web.Response(body=_channel(file, channel), content_type="image/png", headers=disposition)
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    if content_type in _FORCED_DOWNLOAD:
        content_type = "application/octet-stream"
    return web.FileResponse(file, headers={**disposition, "Content-Type": content_type})


def _asset_file(state: SimulatorState, asset_hash: str, query: Any) -> web.StreamResponse:
    """Today's /view?filename=blake3:<hash>: the registered file of that hash, or 404."""
    path = state.assets.path_of_hash(asset_hash) if state.assets is not None else None
    if path is None or not path.is_file():
        return web.Response(status=404)
    return _serve(str(path), path.name, query)


@routes.get("/view")
async def view(request: web.Request) -> web.StreamResponse:
    """GET /view: a file from output/, input/ or temp/ (today's: or an asset by hash), optionally converted."""
    state, query = request.app[STATE], request.rel_url.query
    config = state.config
    if "filename" not in query:
        return web.Response(status=404)
    if query["filename"].startswith("blake3:") and not config.legacy:
        return _asset_file(state, query["filename"], query)
    filename, kind = _annotated(query["filename"])
    if not filename:
        return web.Response(status=400)
    if filename[0] == "/" or ".." in filename:
        return web.Response(status=400)
    output_dir = _directory(config, kind or query.get("type", "output"))
    if output_dir is None:
        return web.Response(status=400)
    if "subfolder" in query:
        folder = os.path.join(output_dir, query["subfolder"])
        if os.path.commonpath((os.path.abspath(folder), output_dir)) != output_dir:
            return web.Response(status=403)
        output_dir = folder
    filename = os.path.basename(filename)
    file = os.path.join(output_dir, filename)
    if not os.path.isfile(file):
        return web.Response(status=404)
    return _serve(file, filename, query)


def _same_bytes(path: Path, data: bytes) -> bool:
    return path.exists() and hashlib.sha256(path.read_bytes()).digest() == hashlib.sha256(data).digest()


def _free_name(folder: Path, filename: str, data: bytes) -> tuple[str, bool]:
    """The name to store under and whether identical bytes already sit there."""
    stem, extension = os.path.splitext(filename)
    candidate, counter = filename, 1
    while (folder / candidate).exists():
        if _same_bytes(folder / candidate, data):
            return candidate, True
        candidate = f"{stem} ({counter}){extension}"
        counter += 1
    return candidate, False


@routes.post("/upload/image")
async def upload_image(request: web.Request) -> web.Response:
    """POST /upload/image: store a multipart `image`, numbering different bytes (today's: and register it)."""
    state, post = request.app[STATE], await request.post()
    config = state.config
    image, kind = post.get("image"), post.get("type")
    kind = "input" if kind is None else str(kind)
    upload_dir = {"input": config.input_dir, "temp": config.temp_dir, "output": config.output_dir}[kind]
    if not isinstance(image, web.FileField) or not image.filename:
        return web.Response(status=400)
    subfolder = str(post.get("subfolder", ""))
    folder = Path(os.path.join(upload_dir, os.path.normpath(subfolder)))
    if os.path.commonpath((str(upload_dir), os.path.abspath(folder / image.filename))) != str(upload_dir):
        return web.Response(status=400)
    folder.mkdir(parents=True, exist_ok=True)
    data = image.file.read()
    filename, duplicate = image.filename, False
    if post.get("overwrite") not in ("true", "1"):
        filename, duplicate = _free_name(folder, filename, data)
    if not duplicate:
        (folder / filename).write_bytes(data)
    answer: dict[str, Any] = {"name": filename, "subfolder": subfolder, "type": kind}
    if state.assets is not None:
        tag = kind if kind in ("input", "output") else "input"
        answer["asset"] = state.assets.register(folder / filename, tags=(tag,)).as_json()
    return web.json_response(answer)
