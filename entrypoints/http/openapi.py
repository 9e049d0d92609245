"""The OpenAPI 3.1 document, built with apispec from the operation table and the commands/entities."""

from typing import Any, get_args, get_origin

from apispec import APISpec

from entrypoints.http.attrs_schema import AttrsPlugin, ref
from entrypoints.http.errors import FALLBACK_CODES, HTTP_CODES
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
DESCRIPTIONS = {200: "OK", 201: "Created", 202: "Accepted", 204: "No content", 503: "Not ready"}
UPLOAD_BODY = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"], "additionalProperties": False,
    "properties": {"file": {"type": "string", "format": "binary",
                            "description": "The file; its type is read from its bytes"}},
}}}}


def build_openapi(operations: list[Operation], *, version: str) -> dict[str, Any]:
    plugin = AttrsPlugin()
    spec = APISpec(title="StoryCanvas API", version=version, openapi_version="3.1.0", plugins=[plugin],
                   info={"description": "Storyboards from a song and a shot list, generated on ComfyUI fleets."})
    spec.components.schema("Error", ERROR_SCHEMA)
    for operation in operations:
        spec.path(path=operation.path, operations={operation.method.lower(): _operation(operation, plugin)})
    return spec.to_dict()


def _operation(operation: Operation, plugin: AttrsPlugin) -> dict[str, Any]:
    document: dict[str, Any] = {
        "operationId": operation.operation_id or operation.handler.__name__,
        "summary": operation.summary,
        "tags": [operation.tag],
        "parameters": _parameters(operation),
        "responses": {str(operation.status): _success(operation, plugin)} | {
            str(code): {"description": HTTP_CODES[code].replace("_", " ").capitalize(),
                        "content": {"application/json": {"schema": ref("Error")}}}
            for code in operation.error_codes
        },
    }
    if operation.ranges:
        document["responses"] |= {"206": {**_success(operation, plugin), "description": "Partial content"},
                                  "304": {"description": "Not modified"}}
    if operation.upload:
        document["requestBody"] = UPLOAD_BODY
    if operation.body is not None:
        name = operation.body.__name__ + ("Body" if operation.body_exclude else "")
        schema = plugin.component(operation.body, request=True, exclude=operation.body_exclude, name=name)
        document["requestBody"] = {"required": True, "content": {"application/json": {"schema": schema}}}
    return document


def _parameters(operation: Operation) -> list[dict[str, Any]]:
    path = [{"name": name, "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}}
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
