"""An apispec plugin that turns attrs classes (commands, entities) into OpenAPI 3.1 schemas.

A request schema states what the server enforces, read from the same place the checks live: each field's
validator (or its `limits` metadata) describes its limits (domain/validation.py), its `example` metadata becomes
`examples`, a class's `ExactlyOne` rule becomes a `oneOf`; strings refuse NUL as the JSON converter does; ids
name entities by their 24-hex form.
"""

import types
from datetime import datetime
from enum import Enum
from typing import Any, Union, get_args, get_origin

import attrs
from apispec import APISpec, BasePlugin

from domain.validation import NO_NUL, REFERENCE, ExactlyOne, Limits, limits_of
from entrypoints.http.json_converter import INT64_MAX

PRIMITIVES: dict[Any, dict[str, Any]] = {
    str: {"type": "string"},
    int: {"type": "integer", "minimum": -INT64_MAX, "maximum": INT64_MAX},
    float: {"type": "number"},
    bool: {"type": "boolean"},
    datetime: {"type": "string", "format": "date-time"},
    Any: {},
}
KEYWORDS = {  # Limits field -> JSON Schema keyword, for the JSON types it applies to
    "min_length": ("minLength", "string"), "max_length": ("maxLength", "string"), "pattern": ("pattern", "string"),
    "minimum": ("minimum", "number"), "maximum": ("maximum", "number"),
    "exclusive_minimum": ("exclusiveMinimum", "number"),
    "min_items": ("minItems", "array"), "max_items": ("maxItems", "array"),
}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _whole(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def with_limits(schema: dict[str, Any], limits: Limits | None) -> dict[str, Any]:
    """`schema` (one JSON type) narrowed by `limits`."""
    if limits is None:
        return schema
    kind = {"integer": "number"}.get(schema.get("type", ""), schema.get("type"))
    for name, (keyword, applies_to) in KEYWORDS.items():
        value = getattr(limits, name)
        if value is not None and kind == applies_to:
            schema[keyword] = _whole(value) if applies_to == "number" else value
    if kind == "object":
        for keyword, value in (("minProperties", limits.min_items), ("maxProperties", limits.max_items)):
            if value is not None:
                schema[keyword] = value
    if limits.description:
        schema["description"] = limits.description
    return schema


def _not_null(schema: dict[str, Any]) -> dict[str, Any]:
    options = [option for option in schema.get("anyOf", [schema]) if option != {"type": "null"}]
    return options[0] if len(options) == 1 else {"anyOf": options}


class AttrsPlugin(BasePlugin):
    """`spec.components.schema(name, cls=SomeAttrsClass, request=True, exclude=(...))`.

    `request_rules` are extra `allOf` members for request bodies holding every property they name (e.g. each
    model's sizes for the generation requests, whose properties are `model` and `params`); `request_properties`
    narrow properties of such bodies (e.g. the models there are), keywords added to the property's own schema.
    """

    spec: APISpec

    def __init__(self, request_rules: tuple[tuple[frozenset[str], list[dict[str, Any]]], ...] = (),
                 request_properties: tuple[tuple[frozenset[str], dict[str, dict[str, Any]]], ...] = ()) -> None:
        super().__init__()
        self.request_rules = request_rules
        self.request_properties = request_properties

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
        schema: dict[str, Any] = {
            "type": "object",
            "properties": {f.name: self.field_schema(f, request=request) for f in fields},
        }
        required = [f.name for f in fields if not request or f.default is attrs.NOTHING]
        if required:
            schema["required"] = required
        if request:
            schema["additionalProperties"] = False
            for names, narrowed in self.request_properties:
                if names <= set(schema["properties"]):
                    for name, keywords in narrowed.items():
                        schema["properties"][name] = {**schema["properties"][name], **keywords}
            schema |= self._class_rules(cls, schema["properties"])
        if cls.__doc__:
            schema["description"] = cls.__doc__.strip().splitlines()[0]
        return schema

    def field_schema(self, field: Any, *, request: bool) -> dict[str, Any]:
        if not request:
            return self.type_schema(field.type, request=False)
        limits = limits_of(field)
        if limits is None and field.name.endswith("_id"):
            limits = REFERENCE["limits"]
        schema = self.type_schema(field.type, request=True, limits=limits)
        if "example" in field.metadata:  # a value that works, for readers (and fuzzers' first tries)
            schema = {**schema, "examples": [field.metadata["example"]]}
        return schema

    def _class_rules(self, cls: type, properties: dict[str, Any]) -> dict[str, Any]:
        for rule in vars(cls).values():
            if isinstance(rule, ExactlyOne):  # the one given (not null), the others absent or null
                # Alone: fuzzers' generators do not take a `oneOf` beside `allOf` rules (the per-model ones).
                return {"oneOf": [
                    {"required": [name], "properties": {
                        other: _not_null(properties[other]) if other == name else {"type": "null"}
                        for other in rule.names}}
                    for name in rule.names
                ]}
        rules: list[dict[str, Any]] = []
        for names, extra in self.request_rules:
            if names <= set(properties):
                rules.extend(extra)
        return {"allOf": rules} if rules else {}

    def type_schema(self, hint: Any, *, request: bool, limits: Limits | None = None) -> dict[str, Any]:
        origin, args = get_origin(hint), get_args(hint)
        if hint is Any and request and limits is not None and limits.properties is not None:
            return self._object(limits)
        if hint in PRIMITIVES:
            schema = dict(PRIMITIVES[hint])
            if request and hint is str and (limits is None or limits.pattern is None):
                schema["pattern"] = NO_NUL
            return with_limits(schema, limits) if request else schema
        if origin in (Union, types.UnionType):
            options = [self.type_schema(arg, request=request, limits=limits) for arg in args if arg is not type(None)]
            nullable = type(None) in args
            schema = options[0] if len(options) == 1 else {"anyOf": options}
            return {"anyOf": [schema, {"type": "null"}]} if nullable else schema
        if origin in (list, tuple):
            items = self.type_schema(args[0], request=request, limits=limits.items if limits else None)
            return with_limits({"type": "array", "items": items}, limits) if request else {"type": "array",
                                                                                             "items": items}
        if origin is dict:
            return self._mapping(args[1], request=request, limits=limits)
        if isinstance(hint, type) and issubclass(hint, Enum):
            return {"type": "string", "enum": [item.value for item in hint]}
        if attrs.has(hint):
            return self.component(hint, request=request)
        raise TypeError(f"no OpenAPI schema for {hint!r}")

    def _mapping(self, values: Any, *, request: bool, limits: Limits | None) -> dict[str, Any]:
        if request and limits is not None and limits.properties is not None:
            return self._object(limits)
        schema = {"type": "object",
                  "additionalProperties": self.type_schema(values, request=request,
                                                           limits=limits.items if limits else None)}
        if request:
            keys = limits.keys if limits is not None and limits.keys is not None else Limits(pattern=NO_NUL)
            schema["propertyNames"] = with_limits({"type": "string"}, keys)
            return with_limits(schema, limits)
        return schema

    def _object(self, limits: Limits) -> dict[str, Any]:
        """An object of the fields `limits.properties` names (closed: no others)."""
        assert limits.properties is not None
        schema: dict[str, Any] = {"type": "object", "properties": {
            name: self.type_schema(kind, request=True, limits=rule) for name, (kind, rule) in limits.properties.items()
        }}
        if limits.required:
            schema["required"] = list(limits.required)
        if limits.closed:
            schema["additionalProperties"] = False
        return with_limits(schema, limits)

    def component(self, cls: type, *, request: bool, exclude: tuple[str, ...] = (), name: str = "") -> dict[str, str]:
        name = name or cls.__name__
        if name not in self.spec.components.schemas:
            self.spec.components.schema(name, cls=cls, request=request, exclude=exclude)
        return ref(name)
