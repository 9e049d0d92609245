"""The real server's two origin policies: refuse foreign origins on loopback, or send CORS headers."""

import ipaddress
import logging
import urllib.parse
from collections.abc import Awaitable, Callable

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Middleware = Callable[[web.Request, Handler], Awaitable[web.StreamResponse]]
_log = logging.getLogger(__name__)


def _is_loopback(host: str | None) -> bool:
    try:
        return host is not None and (host == "localhost" or ipaddress.ip_address(host).is_loopback)
    except ValueError:
        return False


@web.middleware
async def origin_only(request: web.Request, handler: Handler) -> web.StreamResponse:
    """403 when a browser on another origin posts to a loopback server (the real default without CORS)."""
    if "Host" in request.headers and "Origin" in request.headers:
        host = urllib.parse.urlsplit("//" + request.headers["Host"].lower())
        origin = urllib.parse.urlparse(request.headers["Origin"])
        host_domain = host.netloc if origin.port is not None else host.hostname
        origin_domain = origin.netloc.lower() if host.port is not None else origin.hostname
        if _is_loopback(host.hostname) and host_domain and origin_domain and host_domain != origin_domain:
            _log.warning("request with non matching host and origin %s != %s, returning 403",
                         host_domain, origin_domain)
            return web.Response(status=403)
    return web.Response() if request.method == "OPTIONS" else await handler(request)


def cors(allowed_origin: str) -> Middleware:
    """The --enable-cors-header middleware."""
    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        response = web.Response() if request.method == "OPTIONS" else await handler(request)
        response.headers.update({
            "Access-Control-Allow-Origin": allowed_origin,
            "Access-Control-Allow-Methods": "POST, GET, DELETE, PUT, OPTIONS",
            "Access-Control-Allow-Headers": "Content-Type, Authorization",
            "Access-Control-Allow-Credentials": "true",
        })
        return response
    return middleware
