"""POST /prompt rejects bad prompts with the bodies a real ComfyUI 0.3.64 sends (recorded on the wire)."""

import copy
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.integration.simulator_support import (
    SimulatorClient, empty_image, image_workflow, kinds, legacy_config, running_simulator, sampler_workflow,
    save_image,
)

FAILED = {"type": "prompt_outputs_failed_validation", "message": "Prompt outputs failed validation",
          "details": "", "extra_info": {}}
WIDTH_CONFIG = ["INT", {"default": 512, "min": 1, "max": 16384, "step": 1}]
IMAGES_CONFIG = ["IMAGE", {"tooltip": "The images to save."}]


@pytest.fixture
async def sim(tmp_path: Path) -> AsyncIterator[SimulatorClient]:
    models = {"checkpoints": ("sd_xl_base_1.0.safetensors",), "text_encoders": ("clip_l.safetensors",)}
    async with running_simulator(legacy_config(tmp_path, models=models)) as client:
        yield client


def _with_image_input(**inputs: Any) -> dict[str, Any]:
    prompt = image_workflow()
    prompt["1"]["inputs"].update(inputs)
    return prompt


def _node_error(node: str, class_type: str, error: dict[str, Any], output: str = "2") -> dict[str, Any]:
    return {node: {"errors": [error], "dependent_outputs": [output], "class_type": class_type}}


CASES = {
    "invalid_input_type": (_with_image_input(width="abc"), FAILED, _node_error("1", "EmptyImage", {
        "type": "invalid_input_type", "message": "Failed to convert an input value to a INT value",
        "details": "width, abc, invalid literal for int() with base 10: 'abc'",
        "extra_info": {"input_name": "width", "input_config": WIDTH_CONFIG, "received_value": "abc",
                       "exception_message": "invalid literal for int() with base 10: 'abc'"}})),
    "required_input_missing": (
        {"1": {"class_type": "EmptyImage", "inputs": {"height": 64, "batch_size": 1, "color": 0}},
         "2": save_image("1")}, FAILED,
        _node_error("1", "EmptyImage", {"type": "required_input_missing", "message": "Required input is missing",
                                        "details": "width", "extra_info": {"input_name": "width"}})),
    "value_smaller_than_min": (_with_image_input(width=0), FAILED, _node_error("1", "EmptyImage", {
        "type": "value_smaller_than_min", "message": "Value 0 smaller than min of 1", "details": "width",
        "extra_info": {"input_name": "width", "input_config": WIDTH_CONFIG, "received_value": 0}})),
    "value_bigger_than_max": (_with_image_input(width=99999), FAILED, _node_error("1", "EmptyImage", {
        "type": "value_bigger_than_max", "message": "Value 99999 bigger than max of 16384", "details": "width",
        "extra_info": {"input_name": "width", "input_config": WIDTH_CONFIG, "received_value": 99999}})),
    "value_not_in_list": (
        {"1": empty_image(), "2": {"class_type": "ImageScale", "inputs": {
            "image": ["1", 0], "upscale_method": "nope", "width": 8, "height": 8, "crop": "disabled"}},
         "3": save_image("2")}, FAILED,
        _node_error("2", "ImageScale", {
            "type": "value_not_in_list", "message": "Value not in list",
            "details": "upscale_method: 'nope' not in ['nearest-exact', 'bilinear', 'area', 'bicubic', 'lanczos']",
            "extra_info": {"input_name": "upscale_method",
                           "input_config": [["nearest-exact", "bilinear", "area", "bicubic", "lanczos"], {}],
                           "received_value": "nope"}}, output="3")),
    "custom_validation_failed": (
        {"1": {"class_type": "LoadImage", "inputs": {"image": "does_not_exist.png"}}, "2": save_image("1")}, FAILED,
        _node_error("1", "LoadImage", {
            "type": "custom_validation_failed", "message": "Custom validation failed for node",
            "details": "image - Invalid image file: does_not_exist.png", "extra_info": {"input_name": "image"}})),
    "return_type_mismatch": (
        {"1": {"class_type": "EmptyLatentImage", "inputs": {"width": 64, "height": 64, "batch_size": 1}},
         "2": save_image("1")},
        {**FAILED, "details": "Return type mismatch between linked nodes: images, received_type(LATENT) mismatch "
                              "input_type(IMAGE)"},
        _node_error("2", "SaveImage", {
            "type": "return_type_mismatch", "message": "Return type mismatch between linked nodes",
            "details": "images, received_type(LATENT) mismatch input_type(IMAGE)",
            "extra_info": {"input_name": "images", "input_config": IMAGES_CONFIG, "received_type": "LATENT",
                           "linked_node": ["1", 0]}})),
    "bad_linked_input": (
        {"1": empty_image(),
         "2": {"class_type": "SaveImage", "inputs": {"images": ["1", 0, 1], "filename_prefix": "x"}}},
        {**FAILED, "details": "Bad linked input, must be a length-2 list of [node_id, slot_index]: images"},
        _node_error("2", "SaveImage", {
            "type": "bad_linked_input", "message": "Bad linked input, must be a length-2 list of [node_id, slot_index]",
            "details": "images", "extra_info": {"input_name": "images", "input_config": IMAGES_CONFIG,
                                                "received_value": ["1", 0, 1]}})),
}


@pytest.mark.parametrize("case", list(CASES))
async def test_a_bad_input_is_answered_with_the_real_error_body(sim, case):
    prompt, error, node_errors = CASES[case]
    assert await sim.post_json("/prompt", {"prompt": copy.deepcopy(prompt)}) == (
        400, {"error": error, "node_errors": node_errors})


async def test_a_link_to_a_missing_node_is_an_exception_during_validation(sim):
    status, body = await sim.post_json("/prompt", {"prompt": {"2": save_image("99")}})
    assert status == 400
    assert body["error"] == {**FAILED, "details": "Exception when validating node: '99'"}
    error = body["node_errors"]["2"]["errors"][0]
    assert (error["type"], error["message"], error["details"]) == (
        "exception_during_validation", "Exception when validating node", "'99'")
    assert error["extra_info"]["exception_type"] == "KeyError" and error["extra_info"]["traceback"]


async def test_a_missing_node_behind_another_is_an_inner_validation_exception(sim):
    prompt = {"1": {"class_type": "ImageInvert", "inputs": {"image": ["99", 0]}}, "2": save_image("1")}
    status, body = await sim.post_json("/prompt", {"prompt": prompt})
    assert status == 400 and body["error"] == FAILED
    error = body["node_errors"]["1"]["errors"][0]
    assert (error["type"], error["details"]) == ("exception_during_inner_validation", "'99'")
    assert error["extra_info"]["linked_node"] == ["1", 0] and error["extra_info"]["input_name"] == "images"


@pytest.mark.parametrize(("prompt", "error"), [
    ({"1": {"class_type": "NoSuchNode", "inputs": {}}},
     {"type": "invalid_prompt", "message": "Cannot execute because node NoSuchNode does not exist.",
      "details": "Node ID '#1'", "extra_info": {}}),
    ({"1": {"inputs": {}}},
     {"type": "invalid_prompt", "message": "Cannot execute because a node is missing the class_type property.",
      "details": "Node ID '#1'", "extra_info": {}}),
    ({"1": empty_image()}, {"type": "prompt_no_outputs", "message": "Prompt has no outputs", "details": "",
                            "extra_info": {}}),
    ({}, {"type": "prompt_no_outputs", "message": "Prompt has no outputs", "details": "", "extra_info": {}}),
])
async def test_a_prompt_level_problem_has_no_node_errors(sim, prompt, error):
    assert await sim.post_json("/prompt", {"prompt": prompt}) == (400, {"error": error, "node_errors": {}})


async def test_a_body_without_prompt_is_no_prompt(sim):
    assert await sim.post_json("/prompt", {"client_id": "x"}) == (400, {"error": {
        "type": "no_prompt", "message": "No prompt provided", "details": "No prompt provided", "extra_info": {}},
        "node_errors": {}})


async def test_a_body_that_is_not_json_is_a_plain_500(sim):
    async with sim.session.post("/prompt", data=b"not json") as response:
        assert response.status == 500 and response.content_type == "text/plain"
        assert await response.text() == "500 Internal Server Error\n\nServer got itself in trouble"


async def test_failed_posts_still_use_up_a_number(sim):
    await sim.post_json("/prompt", {"prompt": {}})
    await sim.post_json("/prompt", {"client_id": "x"})
    assert (await sim.queue_prompt(image_workflow()))["number"] == 2


async def test_a_model_that_is_not_installed_is_not_in_list(sim):
    status, body = await sim.post_json("/prompt", {"prompt": sampler_workflow(ckpt="missing.safetensors")})
    assert status == 400
    error = body["node_errors"]["1"]["errors"][0]
    assert error["type"] == "value_not_in_list"
    assert error["details"] == "ckpt_name: 'missing.safetensors' not in ['sd_xl_base_1.0.safetensors']"
    assert body["node_errors"]["1"]["dependent_outputs"] == ["7"]


async def test_installed_models_are_combo_choices_in_object_info(sim):
    info = await sim.get_json("/object_info/CheckpointLoaderSimple")
    assert info["CheckpointLoaderSimple"]["input"]["required"]["ckpt_name"][0] == ["sd_xl_base_1.0.safetensors"]
    triple = (await sim.get_json("/object_info/TripleCLIPLoader"))["TripleCLIPLoader"]
    assert triple["input"]["required"]["clip_name1"] == ["COMBO", {"multiselect": False,
                                                                   "options": ["clip_l.safetensors"]}]
    assert (await sim.get_json("/object_info/VAELoader"))["VAELoader"]["input"]["required"]["vae_name"] == [
        ["pixel_space"]]


async def test_a_v3_combo_is_not_checked_at_validation_but_the_missing_model_fails_at_run_time(sim):
    prompt = sampler_workflow()
    prompt["8"] = {"class_type": "TripleCLIPLoader", "inputs": {
        "clip_name1": "clip_l.safetensors", "clip_name2": "nope.safetensors", "clip_name3": "clip_l.safetensors"}}
    prompt["2"]["inputs"]["clip"] = ["8", 0]
    _, messages = await sim.run(prompt)
    error = next(m["data"] for m in messages if m["type"] == "execution_error")
    assert error["node_type"] == "TripleCLIPLoader" and error["exception_type"] == "FileNotFoundError"
    assert error["exception_message"] == (
        "Model in folder 'text_encoders' with filename 'nope.safetensors' not found.\n")
    assert "execution_success" not in kinds(messages)


async def test_valid_constants_are_converted_in_the_stored_prompt(sim):
    prompt = image_workflow()
    prompt["1"]["inputs"]["width"] = "48"
    prompt_id, _ = await sim.run(prompt)
    entry = (await sim.get_json(f"/history/{prompt_id}"))[prompt_id]
    assert entry["prompt"][2]["1"]["inputs"]["width"] == 48
