"""Reusable attrs validators for field invariants, each describing its limits as data (read by the API document)."""

import math
import re
from typing import Any

import attrs
from attrs import frozen

from domain.errors import InvalidValue

# Python's whitespace (str.isspace), spelled out so that a JSON Schema (ECMA) engine reads the same class.
WHITESPACE = r"\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
NO_NUL = r"^[^\x00]*$"
NOT_BLANK = rf"^[^\x00]*[^\x00{WHITESPACE}][^\x00]*$"
ENTITY_ID = r"^[0-9a-f]{24}$"  # the ids the id generators hand out (ObjectId hex)


@frozen
class Limits:
    """What a validator accepts: lengths, a full-match pattern, a numeric range, an array's size and items."""

    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: float | None = None
    min_items: int | None = None
    max_items: int | None = None
    items: "Limits | None" = None  # an array's items, or a mapping's values
    keys: "Limits | None" = None  # a mapping's keys
    properties: "dict[str, tuple[Any, Limits | None]] | None" = None  # an object's fields: name -> (type, limits)
    required: tuple[str, ...] = ()  # of `properties`, the ones an object must have
    closed: bool = True  # an object with `properties` has no others
    description: str = ""


@frozen
class Text:
    max_length: int
    allow_empty: bool = False

    def __call__(self, _instance: Any, attribute: Any, value: str) -> None:
        if "\x00" in value:
            raise InvalidValue(attribute.name, "must not contain NUL characters")
        if not self.allow_empty and not value.strip():
            raise InvalidValue(attribute.name, "must not be empty or only whitespace")
        if len(value) > self.max_length:
            raise InvalidValue(attribute.name, f"must be at most {self.max_length} characters")

    @property
    def limits(self) -> Limits:
        if self.allow_empty:
            return Limits(max_length=self.max_length, pattern=NO_NUL)
        return Limits(min_length=1, max_length=self.max_length, pattern=NOT_BLANK)


@frozen
class Number:
    """A finite number in [minimum, maximum] (or (minimum, maximum] when `exclusive`)."""

    minimum: float
    maximum: float = math.inf
    exclusive: bool = False
    unit: str = ""

    def __call__(self, _instance: Any, attribute: Any, value: float) -> None:
        if not math.isfinite(value):
            raise InvalidValue(attribute.name, "must be a finite number")
        low_ok = value > self.minimum if self.exclusive else value >= self.minimum
        if not low_ok or value > self.maximum:
            raise InvalidValue(attribute.name, self.message)

    @property
    def message(self) -> str:
        low = f"greater than {self.minimum:g}" if self.exclusive else f"at least {self.minimum:g}"
        high = f" and at most {self.maximum:g}{self.unit}" if math.isfinite(self.maximum) else self.unit
        return f"must be {low}{high}"

    @property
    def limits(self) -> Limits:
        maximum = self.maximum if math.isfinite(self.maximum) else None
        if self.exclusive:
            return Limits(exclusive_minimum=self.minimum, maximum=maximum)
        return Limits(minimum=self.minimum, maximum=maximum)


@frozen
class TextItems:
    max_items: int
    max_length: int

    def __call__(self, _instance: Any, attribute: Any, value: tuple[str, ...]) -> None:
        if len(value) > self.max_items:
            raise InvalidValue(attribute.name, f"must hold at most {self.max_items} items")
        if any(len(item) > self.max_length for item in value):
            raise InvalidValue(attribute.name, f"items must be at most {self.max_length} characters")
        if any("\x00" in item for item in value):
            raise InvalidValue(attribute.name, "items must not contain NUL characters")

    @property
    def limits(self) -> Limits:
        return Limits(max_items=self.max_items, items=Limits(max_length=self.max_length, pattern=NO_NUL))


@frozen
class TextMap:
    """An object of at most `max_items` string values of at most `max_length` characters each."""

    max_items: int
    max_length: int

    def __call__(self, _instance: Any, attribute: Any, value: dict[str, str]) -> None:
        if len(value) > self.max_items or any(len(text) > self.max_length for text in value.values()):
            raise InvalidValue(attribute.name, f"at most {self.max_items} values of at most {self.max_length} "
                                               "characters each")

    @property
    def limits(self) -> Limits:
        return Limits(max_items=self.max_items, items=Limits(max_length=self.max_length, pattern=NO_NUL))


@frozen
class Optional:
    """None, or a value the inner validator accepts."""

    inner: Any

    def __call__(self, instance: Any, attribute: Any, value: Any) -> None:
        if value is not None:
            self.inner(instance, attribute, value)

    @property
    def limits(self) -> Limits:
        return self.inner.limits


@frozen
class Pattern:
    """A string that matches `pattern` in full; `meaning` says what that is, for the error message."""

    pattern: str
    meaning: str
    max_length: int = 200

    def __call__(self, _instance: Any, attribute: Any, value: str) -> None:
        if len(value) > self.max_length or not re.fullmatch(self.pattern.removeprefix("^").removesuffix("$"), value):
            raise InvalidValue(attribute.name, f"must be {self.meaning}")

    @property
    def limits(self) -> Limits:
        return Limits(max_length=self.max_length, pattern=self.pattern, description=f"Must be {self.meaning}.")


# Field metadata of an id that names another entity. Any other string names nothing: the use case answers
# "not found", so the form is stated (for clients and fuzzers) rather than checked.
REFERENCE = {"limits": Limits(pattern=ENTITY_ID, description="An id: 24 lowercase hex digits.")}
CLEARABLE_REFERENCE = {"limits": Limits(pattern=r"^([0-9a-f]{24})?$",
                                        description="An id (24 lowercase hex digits), or an empty string to clear.")}


@frozen
class Count:
    """An array of min_items..max_items values, each with the limits `items` states."""

    min_items: int
    max_items: int
    items: Limits | None = None

    def __call__(self, _instance: Any, attribute: Any, value: tuple[Any, ...]) -> None:
        if not self.min_items <= len(value) <= self.max_items:
            raise InvalidValue(attribute.name, f"must hold {self.min_items} to {self.max_items} items")

    @property
    def limits(self) -> Limits:
        return Limits(min_items=self.min_items, max_items=self.max_items, items=self.items)


@frozen
class ExactlyOne:
    """Of these fields, exactly one is given (not null): a rule across fields, kept on the class."""

    names: tuple[str, ...]

    def check(self, instance: Any) -> None:
        if sum(getattr(instance, name) is not None for name in self.names) != 1:
            raise InvalidValue(self.names[0], f"give exactly one of {', '.join(self.names)}")


@frozen
class Named:
    """Stands in for an attrs attribute, to run a field validator on a value that is not a field."""

    name: str


@frozen
class Parameters:
    """A closed object of named values, each of one kind (int, float for any number, str) under its own rule."""

    rules: dict[str, tuple[type, Any]]

    def normalized(self, values: dict[str, Any]) -> dict[str, Any]:
        """An integer parameter given as 3.0 is the integer 3 (one JSON number); 3.5 stays, and is refused."""
        return {name: int(value) if self._whole(name, value) else value for name, value in values.items()}

    def _whole(self, name: str, value: Any) -> bool:
        kind = self.rules.get(name, (None,))[0]
        return kind is int and isinstance(value, float) and math.isfinite(value) and value.is_integer()

    def __call__(self, instance: Any, attribute: Any, values: dict[str, Any]) -> None:
        for name, value in values.items():
            field_name = f"{attribute.name}.{name}"
            if name not in self.rules:
                raise InvalidValue(field_name, f"unknown parameter; use {', '.join(self.rules)}")
            kind, rule = self.rules[name]
            kinds = (int, float) if kind is float else (kind,)
            if isinstance(value, bool) or not isinstance(value, kinds):
                raise InvalidValue(field_name, f"must be {_KIND_NAMES[kind]}")
            rule(instance, Named(field_name), value)

    @property
    def limits(self) -> Limits:
        return Limits(properties={name: (kind, rule.limits) for name, (kind, rule) in self.rules.items()})


_KIND_NAMES = {int: "an integer", float: "a number", str: "a string"}


def bounded_text(max_length: int, *, allow_empty: bool = False) -> Text:
    return Text(max_length, allow_empty)


def optional_text(max_length: int) -> Optional:
    return Optional(Text(max_length, allow_empty=True))


def within(minimum: float, maximum: float = math.inf, *, exclusive_minimum: bool = False, unit: str = "") -> Number:
    return Number(minimum, maximum, exclusive_minimum, unit)


def text_items(max_items: int, max_length: int) -> TextItems:
    return TextItems(max_items, max_length)


def optional(validator: Any) -> Optional:
    return Optional(validator)


def rule_of(cls: type, name: str) -> Any:
    """The validator of `cls.name`, for a command whose field feeds that entity field (one rule, one place)."""
    return attrs.fields_dict(cls)[name].validator


def limits_of(attribute: Any) -> Limits | None:
    """The limits an attrs field states: through its metadata, else through its validator."""
    return attribute.metadata.get("limits") or getattr(attribute.validator, "limits", None)
