"""Every simulated class_type's behaviour in one table, with its checks bound to the configuration."""

from collections.abc import Mapping
from functools import partial
from typing import Any

from simulators.comfyui.config import SimulatorConfig
from simulators.comfyui.execution.input_validation import CustomValidator
from simulators.comfyui.nodes import image, latent, model, output, sampling
from simulators.comfyui.nodes.interface import NodeImpl

NODES: Mapping[str, NodeImpl] = {**image.NODES, **output.NODES, **model.NODES, **latent.NODES, **sampling.NODES}


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
