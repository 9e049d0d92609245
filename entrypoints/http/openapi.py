"""The OpenAPI 3.1 document, built with apispec from the operation table and the commands/entities."""

from collections.abc import Iterable
from typing import Any, get_args, get_origin

import attrs
from apispec import APISpec

from domain.access import Role
from domain.model_preset import ModelPreset
from domain.validation import ENTITY_ID
from entrypoints.http.attrs_schema import AttrsPlugin, ref
from entrypoints.http.errors import FALLBACK_CODES, HTTP_CODES
from entrypoints.http.openapi_links import add_links
from entrypoints.http.openapi_models import model_names, model_rules
from entrypoints.http.openapi_websocket import DESCRIPTION, WEBSOCKET
from entrypoints.http.operation import Operation, PageOf

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {
        "type": "object",
        "required": ["code", "message", "details"],
        "properties": {
            "code": {"type": "string", "enum": sorted({*HTTP_CODES.values(), *FALLBACK_CODES})},
            "message": {"type": "string"},
            "details": {"type": "object"},
        },
    }},
}
ETAG_HEADER = {"description": "The board version, as an entity tag: send it back in If-None-Match",
               "schema": {"type": "string", "pattern": '^"board-[0-9]+"$'}}
IF_NONE_MATCH = {"name": "If-None-Match", "in": "header", "required": False, "schema": {"type": "string"},
                 "description": "The ETag of the copy the client holds; 304 with no body while it is current"}
BEARER = "bearer"
QUERY_TOKEN = "query_token"  # the file routes a browser loads (<img>, <video>), which cannot send the header
SECURITY_SCHEMES = {BEARER: {
    "type": "http", "scheme": "bearer", "bearerFormat": "API key or JWT",
    "description": "`Authorization: Bearer <key or token>`: an AUTH_API_KEYS key, or a JWT whose `role` claim is "
                   "viewer, editor or admin. The WebSocket also takes `Sec-WebSocket-Protocol: bearer, <token>` "
                   "or `?token=`. Roles: viewer < editor < admin; each operation lists the least it needs.",
}, QUERY_TOKEN: {
    "type": "apiKey", "in": "query", "name": "token",
    "description": "The bearer's key or JWT as `?token=`, on the file routes only (media files, previews, the "
                   "storyboard and animatic): an `<img src>` or `<video src>` cannot send `Authorization`. "
                   "Never logged: the access log redacts it.",
}}
DESCRIPTIONS = {200: "OK", 201: "Created", 202: "Accepted", 204: "No content", 503: "Not ready"}
UPLOAD_BODY = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"], "additionalProperties": False,
    "properties": {"file": {"type": "string", "format": "binary",
                            "description": "The file; its type is read from its bytes"}},
}}}}


def build_openapi(operations: list[Operation], *, version: str, models: Iterable[ModelPreset] = ()) -> dict[str, Any]:
    """The document; `models` (the built-in presets) narrow the generation requests' sizes and kinds per model."""
    presets = tuple(models)
    plugin = AttrsPlugin(request_rules=model_rules(presets), request_properties=model_names(presets))
    spec = APISpec(title="StoryCanvas API", version=version, openapi_version="3.1.0", plugins=[plugin],
                   info={"description": DESCRIPTION, "x-websocket": WEBSOCKET})
    spec.components.schema("Error", ERROR_SCHEMA)
    spec.components.security_scheme(BEARER, SECURITY_SCHEMES[BEARER])
    spec.components.security_scheme(QUERY_TOKEN, SECURITY_SCHEMES[QUERY_TOKEN])
    documents = {id(operation): _operation(operation, plugin) for operation in operations}
    add_links(operations, documents)
    for operation in operations:
        spec.path(path=operation.path, operations={operation.method.lower(): documents[id(operation)]})
    return spec.to_dict()


def _operation(operation: Operation, plugin: AttrsPlugin) -> dict[str, Any]:
    document: dict[str, Any] = {
        "operationId": operation.operation_id or operation.handler.__name__,
        "summary": operation.summary,
        "tags": [operation.tag],
        "parameters": _parameters(operation),
        **_security(operation.role, query_token=operation.query_token),
        "responses": {str(operation.status): _success(operation, plugin)} | {
            str(code): {"description": HTTP_CODES[code].replace("_", " ").capitalize(),
                        "content": {"application/json": {"schema": ref("Error")}}}
            for code in operation.error_codes
        },
    }
    if operation.ranges:
        document["responses"] |= {"206": {**_success(operation, plugin), "description": "Partial content"},
                                  "304": {"description": "Not modified"}}
    if operation.etag:
        _conditional(document, str(operation.status))
    if operation.upload:
        document["requestBody"] = _upload_body(operation.accepts)
    if operation.body is not None:
        name = operation.body.__name__ + ("Body" if operation.body_exclude else "")
        schema = plugin.component(operation.body, request=True, exclude=operation.body_exclude, name=name)
        required = any(f.default is attrs.NOTHING for f in attrs.fields(operation.body)
                       if f.init and f.name not in operation.body_exclude)
        # A body of optional fields may be left out: no body is the empty object.
        document["requestBody"] = {"required": required, "content": {"application/json": {"schema": schema}}}
    return document


def _security(role: Role | None, *, query_token: bool = False) -> dict[str, Any]:
    """The operation's requirement (the header, or on file routes either the header or `?token=`); an undeclared
    one is marked so, and the OpenAPI test fails on it."""
    if role is None:
        return {"x-required-role": "undeclared", "security": [{BEARER: ["admin"]}]}
    if role is Role.PUBLIC:
        return {"x-required-role": "public", "security": []}
    schemes = (BEARER, QUERY_TOKEN) if query_token else (BEARER,)
    return {"x-required-role": role.name.lower(), "security": [{scheme: [role.name.lower()]} for scheme in schemes]}


def _upload_body(accepts: tuple[str, ...]) -> dict[str, Any]:
    if not accepts:
        return UPLOAD_BODY
    form = UPLOAD_BODY["content"]["multipart/form-data"]
    return {**UPLOAD_BODY, "content": {"multipart/form-data": {
        **form, "encoding": {"file": {"contentType": ", ".join(accepts)}}}}}


def _conditional(document: dict[str, Any], status: str) -> None:
    """ETag on the answer; If-None-Match naming the current one (or `*`) is a 304 with no body."""
    headers = {"ETag": ETAG_HEADER, "Cache-Control": {"schema": {"type": "string", "const": "no-cache"}}}
    document["parameters"].append(IF_NONE_MATCH)
    document["responses"][status]["headers"] = headers
    document["responses"]["304"] = {"description": "Not modified: the copy the client names is current",
                                    "headers": headers}


def _path_schema(operation: Operation, name: str) -> dict[str, Any]:
    if name in operation.path_schemas:
        return operation.path_schemas[name]
    if operation.takes_an_id(name):  # any other string names nothing: 404
        return {"type": "string", "pattern": ENTITY_ID, "description": "An id: 24 lowercase hex digits."}
    return {"type": "string", "minLength": 1}


def _parameters(operation: Operation) -> list[dict[str, Any]]:
    path = [{"name": name, "in": "path", "required": True, "schema": _path_schema(operation, name)}
            for name in operation.path_parameters]
    query = [{"name": q.name, "in": "query", "required": False, "schema": q.schema, "description": q.description}
             for q in operation.query]
    return path + query


def _success(operation: Operation, plugin: AttrsPlugin) -> dict[str, Any]:
    response: dict[str, Any] = {"description": DESCRIPTIONS.get(operation.status, "OK")}
    if operation.content is not None:
        response["content"] = {media: {"schema": schema} for media, schema in operation.content.items()}
    elif operation.response is not None:
        schema = _response_schema(operation.response, plugin)
        response["content"] = {operation.response_media: {"schema": schema}}
    return response


def _response_schema(response: Any, plugin: AttrsPlugin) -> dict[str, Any]:
    if isinstance(response, dict):
        return response
    if isinstance(response, PageOf):
        return _page(response.item, plugin)
    if get_origin(response) is list:
        return {"type": "array", "items": plugin.component(get_args(response)[0], request=False)}
    return plugin.component(response, request=False)


def _page(item: type, plugin: AttrsPlugin) -> dict[str, Any]:
    name = f"{item.__name__}Page"
    if name not in plugin.spec.components.schemas:
        plugin.spec.components.schema(name, {
            "type": "object",
            "required": ["items", "total", "skip", "limit"],
            "properties": {
                "items": {"type": "array", "items": plugin.component(item, request=False)},
                "total": {"type": "integer", "minimum": 0},
                "skip": {"type": "integer", "minimum": 0},
                "limit": {"type": "integer", "minimum": 1},
            },
        })
    return ref(name)
