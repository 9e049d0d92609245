"""The cattrs converter between JSON bodies and commands/entities: strict types, no unknown keys, no coercion.

A value is taken only as the JSON type its field declares: a string is never a list of characters, a number
never a string, a boolean never a number, an integer field takes a number without a fraction (3 or 3.0, as
JSON Schema defines `integer`), never 3.5.
"""

import math
from collections.abc import Callable
from enum import Enum
from typing import Any

import attrs
from cattrs import BaseConverter
from cattrs.cols import (
    homogenous_tuple_structure_factory, is_mapping, is_sequence, list_structure_factory, mapping_structure_factory,
)
from cattrs.dispatch import StructureHook
from cattrs.gen import make_dict_unstructure_fn
from cattrs.preconf.json import JsonConverter, make_converter

from application.ports.project_board_reader import ProjectBoard
from domain.clip import Clip
from domain.scene import Scene

INT64_MAX = 2**63 - 1


def _strict_int(value: Any, _type: type) -> int:
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)  # the same JSON number as 3; a fraction is refused below, never truncated
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("expected an integer")
    if abs(value) > INT64_MAX:
        raise ValueError(f"must be between {-INT64_MAX} and {INT64_MAX}")
    return value


def _strict_float(value: Any, _type: type) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError("expected a number")
    if isinstance(value, int) and abs(value) > INT64_MAX:
        raise ValueError("number out of range")
    if not math.isfinite(value):
        raise ValueError("expected a finite number")
    return float(value)


def _strict_str(value: Any, kind: type) -> str:
    if issubclass(kind, Enum):  # str-valued enums are str subclasses, so they arrive here
        return _enum(value, kind)
    if not isinstance(value, str):
        raise TypeError("expected a string")
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


def _strict_bool(value: Any, _type: type) -> bool:
    if not isinstance(value, bool):
        raise TypeError("expected true or false")
    return value


def _enum(value: Any, kind: type[Enum]) -> Enum:
    try:
        return kind(value)
    except ValueError:
        raise ValueError(f"expected one of {', '.join(str(item.value) for item in kind)}") from None


def _only(kinds: type | tuple[type, ...], expected: str, inner: StructureHook) -> StructureHook:
    def structure(value: Any, kind: Any) -> Any:
        if not isinstance(value, kinds):
            raise TypeError(f"expected {expected}")
        return inner(value, kind)

    return structure


def _arrays(kind: Any, converter: BaseConverter) -> StructureHook:
    origin = getattr(kind, "__origin__", kind)
    make = homogenous_tuple_structure_factory if origin is tuple else list_structure_factory
    return _only(list, "an array", make(kind, converter))


def _objects(make: Callable[[Any, BaseConverter], StructureHook]) -> Callable[[Any, BaseConverter], StructureHook]:
    return lambda kind, converter: _only(dict, "an object", make(kind, converter))


def _text_or_texts(value: Any, _type: type) -> str | list[str]:
    if isinstance(value, list):
        return [_strict_str(item, str) for item in value]
    return _strict_str(value, str)


def _board(converter: JsonConverter, board: ProjectBoard) -> dict[str, Any]:
    """The board as the frontend reads it: the project with its `board_version` and `scenes`, each with `clips`."""
    scenes = [
        {**converter.unstructure(entry.scene), "clips": [converter.unstructure(c) for c in entry.clips]}
        for entry in board.scenes
    ]
    return {**converter.unstructure(board.project), "board_version": board.version, "scenes": scenes}


def make_json_converter() -> JsonConverter:
    converter = make_converter(forbid_extra_keys=True, detailed_validation=True)
    converter.register_structure_hook(int, _strict_int)
    converter.register_structure_hook(float, _strict_float)
    converter.register_structure_hook(str, _strict_str)
    converter.register_structure_hook(bool, _strict_bool)
    converter.register_structure_hook(str | list[str], _text_or_texts)
    converter.register_structure_hook_factory(is_sequence, _arrays)
    converter.register_structure_hook_factory(is_mapping, _objects(mapping_structure_factory))
    attrs_factory = converter.gen_structure_attrs_fromdict
    converter.register_structure_hook_factory(attrs.has, _objects(lambda kind, _c: attrs_factory(kind)))
    for derived in (Scene, Clip):  # their `is_alternate` is derived (init=False) but part of the output
        converter.register_unstructure_hook(
            derived, make_dict_unstructure_fn(derived, converter, _cattrs_include_init_false=True)
        )
    converter.register_unstructure_hook(ProjectBoard, lambda board: _board(converter, board))
    return converter
