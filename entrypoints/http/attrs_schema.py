"""An apispec plugin that turns attrs classes (commands, entities) into OpenAPI 3.1 schemas."""

import types
from datetime import datetime
from enum import Enum
from typing import Any, Union, get_args, get_origin

import attrs
from apispec import APISpec, BasePlugin

from entrypoints.http.json_converter import INT64_MAX

PRIMITIVES: dict[Any, dict[str, Any]] = {
    str: {"type": "string"},
    int: {"type": "integer", "minimum": -INT64_MAX, "maximum": INT64_MAX},
    float: {"type": "number"},
    bool: {"type": "boolean"},
    datetime: {"type": "string", "format": "date-time"},
    Any: {},
}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


class AttrsPlugin(BasePlugin):
    """`spec.components.schema(name, cls=SomeAttrsClass, request=True, exclude=(...))`."""

    spec: APISpec

    def init_spec(self, spec: APISpec) -> None:
        self.spec = spec

    def schema_helper(self, name: str, definition: dict[str, Any], **kwargs: Any) -> dict[str, Any] | None:
        cls = kwargs.get("cls")
        if cls is None:
            return None
        return self.object_schema(cls, request=kwargs.get("request", False), exclude=kwargs.get("exclude", ()))

    def object_schema(self, cls: type, *, request: bool, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
        fields = [f for f in attrs.fields(cls) if f.name not in exclude and (f.init or not request)]
        attrs.resolve_types(cls)
        hints = {f.name: f.type for f in attrs.fields(cls)}
        schema: dict[str, Any] = {
            "type": "object",
            "properties": {f.name: self.type_schema(hints[f.name], request=request) for f in fields},
        }
        required = [f.name for f in fields if not request or f.default is attrs.NOTHING]
        if required:
            schema["required"] = required
        if request:
            schema["additionalProperties"] = False
        if cls.__doc__:
            schema["description"] = cls.__doc__.strip().splitlines()[0]
        return schema

    def type_schema(self, hint: Any, *, request: bool) -> dict[str, Any]:
        origin, args = get_origin(hint), get_args(hint)
        if hint in PRIMITIVES:
            return dict(PRIMITIVES[hint])
        if origin in (Union, types.UnionType):
            options = [self.type_schema(arg, request=request) for arg in args if arg is not type(None)]
            nullable = type(None) in args
            schema = options[0] if len(options) == 1 else {"anyOf": options}
            return {"anyOf": [schema, {"type": "null"}]} if nullable else schema
        if origin in (list, tuple):
            return {"type": "array", "items": self.type_schema(args[0], request=request)}
        if origin is dict:
            return {"type": "object", "additionalProperties": self.type_schema(args[1], request=request)}
        if isinstance(hint, type) and issubclass(hint, Enum):
            return {"type": "string", "enum": [item.value for item in hint]}
        if attrs.has(hint):
            return self.component(hint, request=request)
        raise TypeError(f"no OpenAPI schema for {hint!r}")

    def component(self, cls: type, *, request: bool, exclude: tuple[str, ...] = (), name: str = "") -> dict[str, str]:
        name = name or cls.__name__
        if name not in self.spec.components.schemas:
            self.spec.components.schema(name, cls=cls, request=request, exclude=exclude)
        return ref(name)
