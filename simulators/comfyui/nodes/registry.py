"""Every simulated class_type's behaviour in one table, with its checks bound to the configuration."""

from collections.abc import Mapping
from functools import partial
from typing import Any

from adapters.comfyui.simulator import nodes_image, nodes_latent, nodes_model, nodes_output, nodes_sampling
from adapters.comfyui.simulator.config import SimulatorConfig
from adapters.comfyui.simulator.input_validation import CustomValidator
from adapters.comfyui.simulator.node_api import NodeImpl

NODES: Mapping[str, NodeImpl] = {
    **nodes_image.NODES, **nodes_output.NODES, **nodes_model.NODES, **nodes_latent.NODES, **nodes_sampling.NODES,
}


def custom_validators(config: SimulatorConfig) -> dict[str, CustomValidator]:
    """The VALIDATE_INPUTS of the classes that have one."""
    return {name: CustomValidator(impl.validator.inputs, partial(impl.validator.check, config))
            for name, impl in NODES.items() if impl.validator is not None}


def is_changed(config: SimulatorConfig, class_type: str, inputs: dict[str, Any]) -> Any:
    """A node's IS_CHANGED value for the cache: False when the class has none, None when it cannot tell."""
    impl = NODES[class_type]
    if impl.is_changed is None:
        return False
    try:
        return impl.is_changed(config, **{k: v for k, v in inputs.items() if not isinstance(v, list)})
    except TypeError:
        return None
