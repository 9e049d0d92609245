"""Per-node input checks, the same rules and error bodies as ComfyUI's execution.validate_inputs."""

import sys
import traceback
from collections.abc import Callable, Mapping
from typing import Any

from attrs import frozen

from simulators.comfyui.nodes.catalog import NodeCatalog, input_info

Error = dict[str, Any]
Verdict = tuple[bool, list[Error], str]
_BAD_LINK = "Bad linked input, must be a length-2 list of [node_id, slot_index]"
_CASTS: Mapping[str, Callable[[Any], Any]] = {"INT": int, "FLOAT": float, "STRING": str, "BOOLEAN": bool}


@frozen
class CustomValidator:
    """A node's own VALIDATE_INPUTS: the inputs it takes over and the check (True or a message)."""

    inputs: tuple[str, ...]
    check: Callable[..., bool | str]


def full_type_name(klass: type) -> str:
    """`KeyError` for builtins, `module.Name` otherwise, like ComfyUI's full_type_name."""
    return klass.__qualname__ if klass.__module__ == "builtins" else f"{klass.__module__}.{klass.__qualname__}"


def types_match(received: Any, expected: Any) -> bool:
    """ComfyUI's validate_node_input: equal, `*` on either side, or overlapping comma lists."""
    if received == expected or "*" in (received, expected):
        return True
    if not isinstance(received, str) or not isinstance(expected, str):
        return False
    return bool({t.strip() for t in received.split(",")} & {t.strip() for t in expected.split(",")})


def _error(kind: str, message: str, details: str, **extra: Any) -> Error:
    return {"type": kind, "message": message, "details": details, "extra_info": extra}


@frozen
class InputValidator:
    """Validates the nodes of one prompt, memoising verdicts in `validated` like the real server."""

    catalog: NodeCatalog
    custom: Mapping[str, CustomValidator]
    prompt: dict[str, Any]
    validated: dict[Any, Verdict]

    def validate(self, unique_id: Any) -> Verdict:
        """(valid, errors, node id) for one node and, through its links, its ancestors."""
        if unique_id in self.validated:
            return self.validated[unique_id]
        node = self.prompt[unique_id]
        inputs, class_type = node["inputs"], node["class_type"]
        input_types = self.catalog.input_types(class_type)
        custom = self.custom.get(class_type)
        errors: list[Error] = []
        valid = True
        names = list(input_types.get("required", {})) + list(input_types.get("optional", {}))
        for name in dict.fromkeys(names):
            valid = self._check_input(inputs, input_types, name, custom, errors) and valid
        if custom is not None:
            errors += self._custom_errors(inputs, input_types, custom)
        verdict = (not errors and valid, errors, unique_id)
        self.validated[unique_id] = verdict
        return verdict

    def _check_input(self, inputs: dict, input_types: dict, name: str,
                     custom: CustomValidator | None, errors: list[Error]) -> bool:
        input_type, category, options = input_info(input_types, name)
        if name not in inputs:
            if category == "required":
                errors.append(_error("required_input_missing", "Required input is missing", name, input_name=name))
            return True
        config = [input_type, options]
        if isinstance(inputs[name], list):
            return self._check_link(inputs[name], name, input_type, config, errors)
        self._check_constant(inputs, name, input_type, options, config, custom, errors)
        return True

    def _check_link(self, value: list, name: str, input_type: Any, config: list, errors: list[Error]) -> bool:
        if len(value) != 2:
            errors.append(_error("bad_linked_input", _BAD_LINK, name, input_name=name, input_config=config,
                                 received_value=value))
            return True
        origin = value[0]
        received = self.catalog.return_types(self.prompt[origin]["class_type"])[value[1]]
        if not types_match(received, input_type):
            details = f"{name}, received_type({received}) mismatch input_type({input_type})"
            errors.append(_error("return_type_mismatch", "Return type mismatch between linked nodes", details,
                                 input_name=name, input_config=config, received_type=received, linked_node=value))
            return True
        try:
            return self.validate(origin)[0] is not False
        except Exception as ex:
            self.validated[origin] = (False, [self._inner_exception(ex, name, config, value)], origin)
            return False

    @staticmethod
    def _inner_exception(ex: Exception, name: str, config: list, link: list) -> Error:
        return _error("exception_during_inner_validation", "Exception when validating inner node", str(ex),
                      input_name=name, input_config=config, exception_message=str(ex),
                      exception_type=full_type_name(type(ex)),
                      traceback=traceback.format_tb(sys.exc_info()[2]), linked_node=link)

    @staticmethod
    def _check_constant(inputs: dict, name: str, input_type: Any, options: dict, config: list,
                        custom: CustomValidator | None, errors: list[Error]) -> None:
        value = inputs[name]
        if isinstance(value, dict) and "__value__" in value:
            value = inputs[name] = value["__value__"]
        try:
            if isinstance(input_type, str) and input_type in _CASTS:
                value = inputs[name] = _CASTS[input_type](value)
        except Exception as ex:
            errors.append(_error("invalid_input_type", f"Failed to convert an input value to a {input_type} value",
                                 f"{name}, {value}, {ex}", input_name=name, input_config=config,
                                 received_value=value, exception_message=str(ex)))
            return
        if custom is None or name not in custom.inputs:
            error = _range_error(name, value, options, config) or _combo_error(name, value, input_type, config)
            if error:
                errors.append(error)

    def _custom_errors(self, inputs: dict, input_types: dict, custom: CustomValidator) -> list[Error]:
        given = {name: inputs[name] for name in custom.inputs
                 if name in inputs and not isinstance(inputs[name], list) and input_info(input_types, name)[1]}
        verdict = custom.check(**given)
        if verdict is True:
            return []
        suffix = "" if verdict is False else f" - {verdict}"
        return [_error("custom_validation_failed", "Custom validation failed for node", f"{name}{suffix}",
                       input_name=name) for name in given]


def _range_error(name: str, value: Any, options: dict, config: list) -> Error | None:
    if "min" in options and value < options["min"]:
        return _error("value_smaller_than_min", f"Value {value} smaller than min of {options['min']}", name,
                      input_name=name, input_config=config, received_value=value)
    if "max" in options and value > options["max"]:
        return _error("value_bigger_than_max", f"Value {value} bigger than max of {options['max']}", name,
                      input_name=name, input_config=config, received_value=value)
    return None


def _combo_error(name: str, value: Any, input_type: Any, config: list) -> Error | None:
    if not isinstance(input_type, list) or value in input_type:
        return None
    big = len(input_type) > 20
    listed = f"(list of length {len(input_type)})" if big else str(input_type)
    return _error("value_not_in_list", "Value not in list", f"{name}: '{value}' not in {listed}",
                  input_name=name, input_config=None if big else config, received_value=value)
