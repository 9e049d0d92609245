"""CORS allow-all, as the product asks: any origin, any method, any header."""

from aiohttp import web

from entrypoints.http.errors import Handler

ALLOW = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, PUT, PATCH, DELETE, OPTIONS",
    "Access-Control-Allow-Headers": "*",
    "Access-Control-Expose-Headers": "*",
    "Access-Control-Max-Age": "86400",
}


@web.middleware
async def cors_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
        return web.Response(status=204, headers=ALLOW)
    response = await handler(request)
    response.headers.update(ALLOW)
    return response
