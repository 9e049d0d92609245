"""The /object_info keys today's servers add to 0.3.64's entries (server.node_info, NodeInfoV1)."""

from typing import Any

# key -> (the key it follows, its value on a class that sets nothing)
_ADDED: dict[str, tuple[str, Any]] = {
    "is_input_list": ("input_order", False),
    "has_intermediate_output": ("output_node", False),
    "dev_only": ("experimental", False),  # V1 classes send it only when true; schema (V3) nodes always
}


def with_current_keys(info: dict[str, Any]) -> dict[str, Any]:
    """A 0.3.64 entry with is_input_list, has_intermediate_output, dev_only and search_aliases in place.

    essentials_category appears only for classes that declare one; none of the simulated classes do.
    """
    added = {key: value for key, (after, value) in _ADDED.items() if after in info}
    entry: dict[str, Any] = {}
    for key, value in info.items():
        entry[key] = value
        entry.update({new: added[new] for new, (after, _) in _ADDED.items() if after == key and new in added})
    entry.setdefault("search_aliases", [])
    return entry
