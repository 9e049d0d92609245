"""The simulator speaks ComfyUI 0.3.64's WebSocket protocol: message order of the basic, cached, error and
interrupt flows, sockets and session ids, exactly as recorded from a real server (shared/comfyui-protocol.md)."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.integration.simulator_support import (
    SimulatorClient, error_workflow, image_workflow, kinds, legacy_config, next_of_type, running_simulator,
    slow_workflow, until_done,
)


@pytest.fixture
async def sim(tmp_path: Path) -> AsyncIterator[SimulatorClient]:
    config = legacy_config(tmp_path, node_latency={"ImageBlur": 0.4})
    async with running_simulator(config) as client:
        yield client


async def test_connect_sends_status_with_the_client_id_as_sid(sim):
    _, first = await sim.connect("abc")
    assert first == {"type": "status", "data": {"status": {"exec_info": {"queue_remaining": 0}}, "sid": "abc"}}


async def test_connect_without_client_id_gets_a_dashless_uuid_sid(sim):
    _, first = await sim.connect()
    sid = first["data"]["sid"]
    assert len(sid) == 32 and uuid.UUID(hex=sid).hex == sid


async def test_feature_flags_are_answered_when_they_are_the_first_message(sim):
    socket, _ = await sim.connect("flags")
    await socket.send_json({"type": "feature_flags", "data": {"supports_preview_metadata": True}})
    answer = await socket.receive_json(timeout=5)
    assert answer == {"type": "feature_flags",
                      "data": {"supports_preview_metadata": True, "max_upload_size": 104857600}}
    assert sim.state.messenger.feature_flags["flags"] == {"supports_preview_metadata": True}


async def test_a_fresh_prompt_sends_the_recorded_sequence(sim):
    prompt_id, messages = await sim.run(image_workflow())
    assert kinds(messages) == [
        "status:1", "status:1", "execution_start", "execution_cached",
        "progress_state:1=running", "executing:1", "progress_state:1=finished",
        "progress_state:1=finished,2=running", "executing:2", "executed:2", "progress_state:1=finished,2=finished",
        "execution_success", "status:0", "executing:None",
    ]
    assert messages[3]["data"]["nodes"] == []
    assert messages[4]["data"] == {"prompt_id": prompt_id, "nodes": {"1": {
        "value": 0.0, "max": 1.0, "state": "running", "node_id": "1", "prompt_id": prompt_id,
        "display_node_id": "1", "parent_node_id": None, "real_node_id": "1"}}}
    assert messages[5]["data"] == {"node": "1", "display_node": "1", "prompt_id": prompt_id}
    assert messages[9]["data"] == {"node": "2", "display_node": "2", "prompt_id": prompt_id, "output": {
        "images": [{"filename": "probe_00001_.png", "subfolder": "", "type": "output"}]}}
    assert isinstance(messages[2]["data"]["timestamp"], int)
    assert messages[-1]["data"] == {"node": None, "prompt_id": prompt_id}


async def test_reposting_the_same_prompt_replays_everything_from_the_cache(sim, tmp_path):
    await sim.run(image_workflow())
    prompt_id, messages = await sim.run(image_workflow())
    assert kinds(messages) == ["status:1", "status:1", "execution_start", "execution_cached", "executed:2",
                               "progress_state:2=finished", "execution_success", "status:0", "executing:None"]
    assert messages[3]["data"]["nodes"] == ["1", "2"]
    assert messages[4]["data"]["output"] == {
        "images": [{"filename": "probe_00001_.png", "subfolder": "", "type": "output"}]}
    state = messages[5]["data"]["nodes"]["2"]
    assert (state["value"], state["max"]) == (1, 1) and isinstance(state["value"], int)
    assert sorted(p.name for p in (tmp_path / "output").iterdir()) == ["probe_00001_.png"]
    history = await sim.get_json(f"/history/{prompt_id}")
    assert history[prompt_id]["outputs"]["2"]["images"][0]["filename"] == "probe_00001_.png"


async def test_a_changed_input_reruns_only_the_nodes_downstream_of_it(sim):
    await sim.run(image_workflow())
    _, messages = await sim.run(image_workflow(prefix="other"))
    assert messages[3]["data"]["nodes"] == ["1"]
    assert "executing:1" not in kinds(messages) and "executing:2" in kinds(messages)


async def test_a_runtime_error_ends_with_execution_error_then_status_then_executing_null(sim):
    prompt_id, messages = await sim.run(error_workflow())
    assert kinds(messages)[-5:] == ["progress_state:1=finished,2=running", "executing:2", "execution_error",
                                    "status:0", "executing:None"]
    error = messages[-3]["data"]
    assert error["node_id"] == "2" and error["node_type"] == "ImageToMask" and error["executed"] == ["1"]
    assert error["exception_message"] == "index 3 is out of bounds for dimension 3 with size 3\n"
    assert error["exception_type"] == "IndexError"
    assert error["current_inputs"]["channel"] == ["alpha"]
    assert error["current_inputs"]["image"][0].startswith("tensor(")
    assert sorted(error["current_outputs"]) == ["1", "2", "3", "4"]
    assert all(isinstance(line, str) for line in error["traceback"]) and error["traceback"]
    entry = (await sim.get_json(f"/history/{prompt_id}"))[prompt_id]
    assert entry["outputs"] == {} and entry["meta"] == {}
    assert (entry["status"]["status_str"], entry["status"]["completed"]) == ("error", False)
    assert entry["status"]["messages"][-1][0] == "execution_error"


async def test_an_interrupt_lets_the_running_node_finish_and_stops_before_the_next(sim):
    client_id = uuid.uuid4().hex
    socket, _ = await sim.connect(client_id)
    first = await sim.queue_prompt(slow_workflow("a"), client_id)
    second = await sim.queue_prompt(slow_workflow("b", color=7), client_id)
    await next_of_type(socket, "executing", node="2", prompt_id=first["prompt_id"])
    status, body = await sim.post_json("/interrupt", {"prompt_id": first["prompt_id"]})
    assert (status, body) == (200, "")
    messages = await until_done(socket, first["prompt_id"])
    assert kinds(messages)[-5:] == ["progress_state:1=finished,2=finished,3=running", "executing:3",
                                    "execution_interrupted", "status:1", "executing:None"]
    assert messages[-3]["data"] == {"prompt_id": first["prompt_id"], "node_id": "3", "node_type": "ImageInvert",
                                    "executed": ["1", "2"], "timestamp": messages[-3]["data"]["timestamp"]}
    after = await until_done(socket, second["prompt_id"])
    assert "execution_success" in kinds(after)
    entry = (await sim.get_json(f"/history/{first['prompt_id']}"))[first["prompt_id"]]
    assert entry["status"]["messages"][-1][0] == "execution_interrupted" and entry["outputs"] == {}


async def test_interrupting_a_prompt_that_is_not_running_changes_nothing(sim):
    client_id = uuid.uuid4().hex
    socket, _ = await sim.connect(client_id)
    running = await sim.queue_prompt(slow_workflow("a"), client_id)
    await next_of_type(socket, "executing", node="2")
    await sim.post_json("/interrupt", {"prompt_id": "not-running"})
    assert "execution_success" in kinds(await until_done(socket, running["prompt_id"]))


async def test_an_interrupt_without_a_body_stops_the_running_prompt(sim):
    client_id = uuid.uuid4().hex
    socket, _ = await sim.connect(client_id)
    running = await sim.queue_prompt(slow_workflow("a"), client_id)
    await next_of_type(socket, "executing", node="2")
    async with sim.session.post("/interrupt") as response:
        assert response.status == 200
    assert "execution_interrupted" in kinds(await until_done(socket, running["prompt_id"]))


async def test_an_idle_interrupt_does_not_spoil_the_next_prompt(sim):
    async with sim.session.post("/interrupt") as response:
        assert response.status == 200
    _, messages = await sim.run(image_workflow())
    assert "execution_success" in kinds(messages)


async def test_status_reaches_every_socket_and_the_rest_only_the_prompts_client(sim):
    bystander, _ = await sim.connect("bystander")
    prompt_id, _ = await sim.run(image_workflow())
    seen = []
    while len(seen) < 3:
        seen.append(await bystander.receive_json(timeout=5))
    assert kinds(seen) == ["status:1", "status:1", "status:0"]
    await sim.run(image_workflow(prefix="next"))
    assert (await bystander.receive_json(timeout=5))["type"] == "status"


async def test_a_prompt_without_client_id_broadcasts_status_and_progress_state_only(sim):
    watcher, _ = await sim.connect("watcher")
    answer = await sim.queue_prompt(image_workflow())
    seen = []
    while not seen or kinds(seen)[-1] != "status:0":
        seen.append(await watcher.receive_json(timeout=5))
    assert kinds(seen) == ["status:1", "status:1", "progress_state:1=running", "progress_state:1=finished",
                           "progress_state:1=finished,2=running", "progress_state:1=finished,2=finished", "status:0"]
    assert seen[2]["data"]["prompt_id"] == answer["prompt_id"]


async def test_history_is_stored_before_the_final_status_message(sim):
    client_id = uuid.uuid4().hex
    socket, _ = await sim.connect(client_id)
    answer = await sim.queue_prompt(image_workflow(), client_id)
    await next_of_type(socket, "execution_success")
    await next_of_type(socket, "status")
    assert answer["prompt_id"] in await sim.get_json(f"/history/{answer['prompt_id']}")


async def test_a_reconnecting_client_is_told_which_node_runs(sim):
    client_id = uuid.uuid4().hex
    socket, _ = await sim.connect(client_id)
    answer = await sim.queue_prompt(slow_workflow("r"), client_id)
    await next_of_type(socket, "executing", node="2")
    await socket.close()
    while client_id in sim.state.messenger.sockets:  # the real server drops a sid when its old socket ends
        await asyncio.sleep(0.01)
    again, first = await sim.connect(client_id)
    assert first["data"]["sid"] == client_id
    assert await again.receive_json(timeout=5) == {"type": "executing", "data": {"node": "2"}}
    await until_done(again, answer["prompt_id"])


async def test_messages_of_concurrent_sockets_are_not_interleaved_within_a_prompt(sim):
    runs = await asyncio.gather(*(sim.run(image_workflow(prefix=f"p{i}", color=i)) for i in range(3)))
    for _, messages in runs:
        order = kinds(messages)
        assert order.index("execution_start") < order.index("execution_success") < order.index("executing:None")


async def test_an_older_socket_closing_silences_a_newer_socket_of_the_same_sid(sim):
    old, _ = await sim.connect("same")
    new, _ = await sim.connect("same")
    await old.close()
    while "same" in sim.state.messenger.sockets:  # real server.py pops the sid in the old handler's finally
        await asyncio.sleep(0.01)
    await sim.queue_prompt(image_workflow(), "same")
    with pytest.raises(TimeoutError):
        await new.receive_json(timeout=0.5)


async def test_history_can_still_be_empty_right_at_execution_success_like_the_real_race(tmp_path):
    async with running_simulator(legacy_config(tmp_path, history_delay=0.3)) as sim:
        client_id = uuid.uuid4().hex
        socket, _ = await sim.connect(client_id)
        answer = await sim.queue_prompt(image_workflow(), client_id)
        await next_of_type(socket, "execution_success")
        assert await sim.get_json(f"/history/{answer['prompt_id']}") == {}
        await until_done(socket, answer["prompt_id"])
        assert answer["prompt_id"] in await sim.get_json(f"/history/{answer['prompt_id']}")
