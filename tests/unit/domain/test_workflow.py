import pytest

from domain.errors import InvalidValue
from domain.node_catalog import EXAMPLE_WORKFLOW, MAX_CLASS_TYPE, MAX_NODES, NODE_ID, NodeMap, NodeSpec
from domain.validation import Named
from domain.workflow import EXAMPLE_INPUTS, Bindings, NodeInput, NodeOutput, WorkflowBinding, filled, with_lora

WORKFLOW = {
    "1": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "a.safetensors"}},
    "3": {"class_type": "CLIPTextEncode", "inputs": {"text": "", "clip": ["1", 1]}},
    "4": {"class_type": "CLIPTextEncode", "inputs": {"text": "", "clip": ["1", 1]}},
    "5": {"class_type": "KSampler", "inputs": {"model": ["1", 0], "seed": 0, "positive": ["3", 0]}},
    "6": {"class_type": "VAEDecode", "inputs": {"samples": ["5", 0], "vae": ["1", 2]}},
    "7": {"class_type": "SaveImage", "inputs": {"images": ["6", 0]}},
}
BINDING = WorkflowBinding(
    output_node="7",
    inputs={"prompt": (NodeInput("3", "text"),), "seed": (NodeInput("5", "seed"),)},
    model_source=NodeOutput("1", 0), clip_source=NodeOutput("1", 1),
)


def test_filling_writes_bound_values_and_leaves_the_template_alone():
    result = filled(WORKFLOW, BINDING, {"prompt": "a cat", "seed": 7, "width": 512})
    assert result["3"]["inputs"]["text"] == "a cat"
    assert result["5"]["inputs"]["seed"] == 7
    assert WORKFLOW["3"]["inputs"]["text"] == ""


def test_lora_sits_between_the_loader_and_every_consumer():
    result, chained = with_lora(WORKFLOW, BINDING, lora="ava.safetensors", strength=0.8)
    assert result["8"] == {"class_type": "LoraLoader", "inputs": {
        "lora_name": "ava.safetensors", "strength_model": 0.8, "strength_clip": 0.8,
        "model": ["1", 0], "clip": ["1", 1]}}
    assert result["5"]["inputs"]["model"] == ["8", 0]
    assert result["3"]["inputs"]["clip"] == result["4"]["inputs"]["clip"] == ["8", 1]
    assert result["6"]["inputs"]["vae"] == ["1", 2]
    assert chained.model_source == NodeOutput("8", 0)


def test_two_loras_chain():
    once, chained = with_lora(WORKFLOW, BINDING, lora="a", strength=1.0)
    twice, _ = with_lora(once, chained, lora="b", strength=0.5)
    assert twice["9"]["inputs"]["model"] == ["8", 0]
    assert twice["5"]["inputs"]["model"] == ["9", 0]


def test_binding_must_point_into_the_workflow():
    with pytest.raises(InvalidValue):
        WorkflowBinding(output_node="99", inputs={}).check_against(WORKFLOW)
    with pytest.raises(InvalidValue):
        WorkflowBinding(output_node="7", inputs={"prompt": (NodeInput("42", "text"),)}).check_against(WORKFLOW)
    with pytest.raises(InvalidValue):
        WorkflowBinding(output_node="7", inputs={"colour": (NodeInput("3", "text"),)}).check_against(WORKFLOW)


@pytest.mark.parametrize(("target", "message"), [
    (NodeInput("5", "sead"), '"5.sead" names no input of node 5 (KSampler); its inputs: model, positive, seed'),
    (NodeInput("5", "model"), '"5.model" is fed by node 1: bind a value input, not a link'),
])
def test_binding_must_name_a_value_input_of_its_node(target, message):
    with pytest.raises(InvalidValue) as refused:
        WorkflowBinding(output_node="7", inputs={"seed": (target,)}).check_against(WORKFLOW)
    assert (refused.value.field, refused.value.message) == ("inputs.seed", message)


def test_an_input_the_export_left_out_is_fine_when_the_nodes_class_takes_it():
    binding = WorkflowBinding(output_node="7", inputs={"denoise": (NodeInput("5", "denoise"),)})
    with pytest.raises(InvalidValue):
        binding.check_against(WORKFLOW)
    binding.check_against(WORKFLOW, {"KSampler": NodeSpec("KSampler", ("model", "seed"), ("denoise",))})


def test_node_input_parsing():
    assert NodeInput.parse("6.text", field="x") == NodeInput("6", "text")
    for bad in ("6", ".text", "6.", ""):
        with pytest.raises(InvalidValue):
            NodeInput.parse(bad, field="x")


# The shape a workflow field takes, as the command validators check it (and the document states it) ----------------


@pytest.mark.parametrize("workflow", [
    {},
    {"1\n": {"class_type": "SaveImage"}},  # a node id ends where the id does, not before a newline
    {"a.b": {"class_type": "SaveImage"}},
    {"x" * 65: {"class_type": "SaveImage"}},
    {"1": {"inputs": {}}},
    {"1": {"class_type": ""}},
    {"1": {"class_type": "A" * (MAX_CLASS_TYPE + 1)}},
    {"1": {"class_type": "SaveImage", "inputs": []}},
    {"1": {"class_type": "SaveImage", "inputs": {"a\x00": 1}}},
    {str(i): {"class_type": "SaveImage"} for i in range(MAX_NODES + 1)},
])
def test_a_node_map_refuses_what_is_no_api_format_workflow(workflow):
    with pytest.raises(InvalidValue):
        NodeMap()(None, Named("workflow"), workflow)


def test_a_node_map_takes_the_api_format_with_the_extra_keys_comfyui_exports():
    NodeMap()(None, Named("workflow"), {**EXAMPLE_WORKFLOW, "9": {"class_type": "SaveImage", "_meta": {"title": "x"}}})
    assert NodeMap().limits.keys.pattern == NODE_ID and NodeMap().limits.max_items == MAX_NODES


@pytest.mark.parametrize("inputs", [{"colour": "1.width"}, {"width": "1"}, {"width": ".width"},
                                    {"width": ["1.width", "2"]}, {"width": "1.width\x00"}, {"width": "a b.width"}])
def test_bindings_refuse_unknown_parameters_and_what_is_no_node_input(inputs):
    with pytest.raises(InvalidValue):
        Bindings()(None, Named("inputs"), inputs)


def test_bindings_take_one_input_or_several_per_parameter():
    Bindings()(None, Named("inputs"), EXAMPLE_INPUTS | {"seed": ["3.seed", "8.noise_seed"], "prompt": "6.text.x"})
