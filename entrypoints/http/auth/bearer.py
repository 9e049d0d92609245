"""Where a request carries its credential: `Authorization: Bearer`, or for the WebSocket (browsers cannot set
headers there) the `Sec-WebSocket-Protocol` pair `bearer, <token>` or a `?token=` query parameter."""

from aiohttp import web

WEBSOCKET_PROTOCOL = "bearer"  # the subprotocol the server selects when the token came that way


def bearer_token(request: web.Request, *, websocket: bool) -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    if not websocket:
        return None
    protocols = [part.strip() for part in request.headers.get("Sec-WebSocket-Protocol", "").split(",")]
    if WEBSOCKET_PROTOCOL in protocols[:-1]:
        return protocols[protocols.index(WEBSOCKET_PROTOCOL) + 1] or None
    return request.query.get("token") or None
