"""The authentication middleware: 401 without a valid credential, 403 with a role too low for the route."""

from aiohttp import web

from domain.access import Role
from entrypoints.http.auth.access_table import AccessTable
from entrypoints.http.auth.bearer import bearer_token
from entrypoints.http.auth.credentials import Authenticator, InvalidCredential
from entrypoints.http.auth.principal import PRINCIPAL_KEY
from entrypoints.http.errors import Handler, envelope

REALM = 'Bearer realm="storycanvas"'
WEBSOCKET_PATH = "/api/v1/ws"


def route_template(request: web.Request) -> str | None:
    """The matched route's template (`/api/v1/projects/{project_id}`), None when no route matched."""
    resource = request.match_info.route.resource
    return None if resource is None else resource.canonical


def _unauthorized(message: str, error: str) -> web.Response:
    response = envelope(401, message)
    response.headers["WWW-Authenticate"] = f'{REALM}, error="{error}"' if error else REALM
    return response


def auth_middleware(authenticator: Authenticator, access: AccessTable):  # type: ignore[no-untyped-def]
    @web.middleware
    async def authenticate(request: web.Request, handler: Handler) -> web.StreamResponse:
        template = route_template(request)
        if template is None:  # not found or method not allowed: nothing to protect
            return await handler(request)
        required = access.required(request.method, template)
        if required is Role.PUBLIC:
            return await handler(request)
        query = access.takes_query_token(request.method, template)  # a file a browser loads: ?token= too
        token = bearer_token(request, websocket=template == WEBSOCKET_PATH, query=query)
        if token is None:
            return _unauthorized("Authentication required: send Authorization: Bearer <key or token>"
                                 + (" or ?token=<key or token>" if query else ""), "")
        try:
            principal = authenticator.principal(token)
        except InvalidCredential as exc:
            return _unauthorized(str(exc), "invalid_token")
        if not principal.may(required):
            return envelope(403, f"This needs the {required.name.lower()} role; "
                                 f"{principal.subject} is {principal.role.name.lower()}")
        request[PRINCIPAL_KEY] = principal
        return await handler(request)

    return authenticate
