"""Helpers shared by the API contract tests (OpenAPI, errors, fuzzing).

* `validator(doc, schema)`: a JSON Schema 2020-12 validator for a schema of the OpenAPI document, its
  `#/components/schemas/...` references resolved against the document;
* `assert_documented(...)`: a response's status is one the operation documents, and its JSON body
  validates against the schema documented for that status;
* `from_schema(...)`: a Hypothesis strategy for the values a schema accepts, for the subset of JSON Schema
  the document uses (object/properties/required/additionalProperties, string (lengths, pattern), integer,
  number (ranges), boolean, null, array/items (sizes), anyOf, enum, const, $ref); cross-field rules (a
  body's `oneOf`, `allOf` of `if`/`then`) are left out, so some values it draws break them (answered 400);
* `json_values()`: any JSON value, NaN and huge integers included.
"""

import json
import math
import re
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker

import entrypoints

API = "/api/v1"
JSON_MEDIA = "application/json"
METHODS = ("get", "put", "post", "delete", "patch", "options", "head", "trace")
SCHEMAS = "#/components/schemas/"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
# What a leaked traceback or server path looks like (user input echoed back never contains these).
REPO_ROOT = str(Path(entrypoints.__file__).resolve().parents[1])
LEAK_MARKERS = ("Traceback (most recent call", 'File "/', "site-packages", REPO_ROOT, sys.prefix, "entrypoints/http")

FORMATS = FormatChecker(formats=())


@FORMATS.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not RFC3339.match(value):
        raise ValueError(f"{value!r} is not an RFC 3339 date-time")
    datetime.fromisoformat(value.replace("z", "Z").replace("t", "T"))
    return True


# The document ---------------------------------------------------------------------------------------


def operations(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(METHOD, path template, operation object) of every documented operation."""
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield method.upper(), path, operation


def operation(doc: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    return doc["paths"][path][method.lower()]


def resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """Follow `$ref`s (only those into the document) until a schema that is not a bare reference."""
    while "$ref" in schema:
        pointer = schema["$ref"]
        assert pointer.startswith("#/"), pointer
        target: Any = doc
        for part in pointer[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        schema = target
    return schema


def validator(doc: dict[str, Any], schema: dict[str, Any]) -> Draft202012Validator:
    """A 2020-12 validator (OpenAPI 3.1 schemas are 2020-12) with the document's components in reach."""
    root = {"components": doc.get("components", {}), **schema}
    return Draft202012Validator(root, format_checker=FORMATS)


def schema_errors(doc: dict[str, Any], schema: dict[str, Any], instance: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}"
            for e in validator(doc, schema).iter_errors(instance)]


def request_schema(doc: dict[str, Any], method: str, path: str) -> dict[str, Any] | None:
    body = operation(doc, method, path).get("requestBody")
    if body is None or JSON_MEDIA not in body["content"]:  # no JSON body (none, or a multipart upload)
        return None
    return body["content"][JSON_MEDIA]["schema"]


def assert_no_leak(text: str) -> None:
    """No Python traceback, source file or filesystem path in what the API says."""
    for marker in LEAK_MARKERS:
        assert marker not in text, f"response leaks {marker!r}: {text[:500]}"


def assert_documented(
    doc: dict[str, Any], method: str, path: str, status: int, content_type: str, raw: bytes,
    *, request: str = "",
) -> Any:
    """The status is documented for this operation and the body matches what is documented for it.

    Returns the decoded JSON body (None when the response documents no content).
    """
    context = f"{method} {path} -> {status}\nrequest: {request}\nbody: {raw[:1000]!r}"
    responses = operation(doc, method, path)["responses"]
    # Never a 500; a 502/503 only where documented (a ComfyUI server or provider that does not answer).
    assert status != 500 and (status < 500 or str(status) in responses), f"server error\n{context}"
    assert str(status) in responses, f"status {status} is not documented ({sorted(responses)})\n{context}"
    content = responses[str(status)].get("content")
    if content and content_type in content and content[content_type].get("schema", {}).get("format") == "binary":
        return raw  # a file (a PDF, a PNG, an MP4): its bytes are not text to read
    text = raw.decode("utf-8")
    assert_no_leak(text)
    if not content:
        assert not raw, f"no content is documented\n{context}"
        return None
    assert content_type in content, f"{content_type} is not documented ({sorted(content)})\n{context}"
    if content_type != JSON_MEDIA:
        return text
    body = json.loads(text)
    errors = schema_errors(doc, content[JSON_MEDIA]["schema"], body)
    assert not errors, "body does not match the documented schema:\n" + "\n".join(errors) + "\n" + context
    return body


# Strategies -----------------------------------------------------------------------------------------


def json_values(max_leaves: int = 12) -> st.SearchStrategy[Any]:
    """Any JSON value: NaN/Infinity (serialised as the non-JSON literals), integers past int64, unicode."""
    scalars = st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30),
        st.sampled_from(["", "\x00", "../../etc/passwd", "💥", "{}", "null", " ", "a" * 300]),
    )
    return st.recursive(
        scalars,
        lambda children: st.one_of(
            st.lists(children, max_size=4), st.dictionaries(st.text(max_size=12), children, max_size=4)
        ),
        max_leaves=max_leaves,
    )


IdsFor = Callable[[str], st.SearchStrategy[str]]


def from_schema(doc: dict[str, Any], schema: dict[str, Any], *, ids: IdsFor | None = None) -> st.SearchStrategy[Any]:
    """Values valid for `schema`; properties named `*_id` also draw from `ids(name)` (existing ids) when given."""
    schema = resolve(doc, schema)
    if "anyOf" in schema:
        return st.one_of([from_schema(doc, option, ids=ids) for option in schema["anyOf"]])
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    unsupported = set(schema) - {
        "type", "properties", "required", "additionalProperties", "items", "minimum", "maximum",
        "minLength", "maxLength", "description", "default", "format", "title", "pattern", "exclusiveMinimum",
        "minItems", "maxItems", "minProperties", "maxProperties", "propertyNames", "allOf", "oneOf", "examples",
    }
    assert not unsupported, f"the strategy builder does not know {sorted(unsupported)} (in {schema})"
    if kind is None:
        return json_values()
    if kind == "null":
        return st.none()
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.integers(min_value=schema.get("minimum"), max_value=schema.get("maximum"))
    if kind == "number":
        low, high = schema.get("minimum", schema.get("exclusiveMinimum")), schema.get("maximum")
        return st.one_of(
            st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False,
                      exclude_min="exclusiveMinimum" in schema),
            st.integers(min_value=None if low is None else math.ceil(low),
                        max_value=None if high is None else math.floor(high)),
        ).filter(lambda number: "exclusiveMinimum" not in schema or number > schema["exclusiveMinimum"])
    if kind == "string":
        low, high = schema.get("minLength", 0), schema.get("maxLength", 60)
        if "pattern" in schema:
            return st.from_regex(schema["pattern"], fullmatch=True).filter(lambda text: low <= len(text) <= high)
        return st.text(min_size=low, max_size=high)
    if kind == "array":
        return st.lists(from_schema(doc, schema.get("items", {}), ids=ids), min_size=schema.get("minItems", 0),
                        max_size=min(4, schema.get("maxItems", 4)))
    if kind == "object":
        return _object(doc, schema, ids)
    raise AssertionError(f"the strategy builder does not know type {kind!r}")


def _object(doc: dict[str, Any], schema: dict[str, Any], ids: IdsFor | None) -> st.SearchStrategy[Any]:
    properties = schema.get("properties", {})
    required = set(schema.get("required", ()))

    def value(name: str, sub: dict[str, Any]) -> st.SearchStrategy[Any]:
        strategy = from_schema(doc, sub, ids=ids)
        return st.one_of(ids(name), strategy) if ids is not None and name.endswith("_id") else strategy

    fixed = st.fixed_dictionaries(
        {name: value(name, sub) for name, sub in properties.items() if name in required},
        optional={name: value(name, sub) for name, sub in properties.items() if name not in required},
    )
    extra = schema.get("additionalProperties", True)
    if extra is False:
        return fixed
    names = schema.get("propertyNames", {})
    keys = st.from_regex(names["pattern"], fullmatch=True) if "pattern" in names else st.text(max_size=12)
    extras = st.dictionaries(
        keys.filter(lambda key: key not in properties and "\x00" not in key),
        json_values() if extra is True else from_schema(doc, extra, ids=ids),
        min_size=schema.get("minProperties", 0), max_size=min(3, schema.get("maxProperties", 3)),
    )
    return st.builds(lambda known, more: {**more, **known}, fixed, extras)


def invalid_bodies(doc: dict[str, Any], schema: dict[str, Any], ids: IdsFor | None) -> st.SearchStrategy[Any]:
    """Almost-valid objects: one property with an arbitrary value, one unknown key, or one required key missing."""
    schema = resolve(doc, schema)
    valid = from_schema(doc, schema, ids=ids)
    names = sorted(schema.get("properties", {}))
    mutations: list[st.SearchStrategy[Any]] = [
        st.builds(lambda body, key, value: {**body, key: value}, valid, st.text(max_size=12), json_values()),
    ]
    if names:
        mutations.append(st.builds(lambda body, key, value: {**body, key: value},
                                   valid, st.sampled_from(names), json_values()))
    required = sorted(schema.get("required", ()))
    if required:
        mutations.append(st.builds(lambda body, key: {k: v for k, v in body.items() if k != key},
                                   valid, st.sampled_from(required)))
    return st.one_of(mutations)


# Seeding ----------------------------------------------------------------------------------------


async def add_take(container: Any, clip_id: str, *, kind: str = "image") -> str:
    """Append a generated take to a clip's gallery (no API operation generates one); returns its id."""
    from domain.generated_content import ContentKind, GeneratedContent

    now = container.clock().now()
    take_id = container.ids().new_id()
    content = GeneratedContent(id=take_id, kind=ContentKind(kind), url=f"/media/{take_id}.png", created_at=now,
                               model="test-model", seed=7, params={"steps": 20})
    uow = container.uow()
    async with uow:
        clip = await uow.clips.get(clip_id)
        assert clip is not None, clip_id
        await uow.clips.update(clip.with_content(content, now=now))
        await uow.commit()
    return take_id
