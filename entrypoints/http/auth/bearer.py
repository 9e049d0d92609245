"""Where a request carries its credential: `Authorization: Bearer`; for the WebSocket (browsers cannot set
headers there) also the `Sec-WebSocket-Protocol` pair `bearer, <token>`; for the WebSocket and the file routes a
browser loads through `<img>`/`<video>` (`Operation.query_token`), also a `?token=` query parameter."""

from aiohttp import web

WEBSOCKET_PROTOCOL = "bearer"  # the subprotocol the server selects when the token came that way
QUERY_PARAMETER = "token"  # never logged: the access log redacts it (entrypoints/logging_setup.py)


def bearer_token(request: web.Request, *, websocket: bool, query: bool = False) -> str | None:
    """The credential; `query`: this route also takes `?token=` (the WebSocket always does)."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    if websocket:
        protocols = [part.strip() for part in request.headers.get("Sec-WebSocket-Protocol", "").split(",")]
        if WEBSOCKET_PROTOCOL in protocols[:-1]:
            return protocols[protocols.index(WEBSOCKET_PROTOCOL) + 1] or None
    if websocket or query:
        return request.query.get(QUERY_PARAMETER) or None
    return None
