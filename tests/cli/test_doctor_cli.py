"""`storycanvas doctor`: every check with its fix; non-zero exit when anything is wrong."""

import json

import attrs
import pytest

from adapters.mongo.embedded_server import free_port
from application.video_providers.register_provider import RegisterProvider
from simulators.comfyui import SimulatorConfig
from simulators.openai_video import SimulatorConfig as VideoSimulatorConfig
from tests.cli.cli_support import ok, storycanvas
from tests.integration.simulator_support import running_simulator
from tests.integration.video_simulator_support import running_video_simulator

pytestmark = pytest.mark.timeout(180)


async def test_all_well_is_exit_0_with_each_check(cli_settings, simulator):
    await ok(cli_settings, "servers", "add", simulator.url, "--name", "sim")
    result = await storycanvas(cli_settings, "doctor")
    assert result.exit_code == 0, result.output
    for area in ("configuration", "media", "database", "comfyui sim"):
        assert f"ok  {area}:" in result.stdout
    assert "ComfyUI 0." in result.stdout and "GiB free" in result.stdout


async def test_a_server_down_and_no_server_say_what_to_do(cli_settings, tmp_path):
    assert "storycanvas servers add URL" in (await storycanvas(cli_settings, "doctor")).stdout
    async with running_simulator(SimulatorConfig(root=tmp_path / "gone")) as simulator:
        server = await ok(cli_settings, "servers", "add", simulator.url, "--name", "sim")
    findings = {f["area"]: f for f in await _json_failing(cli_settings)}
    assert findings["comfyui sim"]["ok"] is False
    assert f"storycanvas servers remove {server}" in findings["comfyui sim"]["fix"]
    assert findings["database"]["ok"] and findings["media"]["ok"]


async def test_a_provider_is_reported_with_its_models_and_a_fix_when_it_is_away(cli_settings, cli_container, tmp_path):
    async with running_video_simulator(VideoSimulatorConfig(root=tmp_path / "videos")) as engine:
        await cli_container.register_video_provider()(RegisterProvider(name="engine", base_url=engine.base_url))
        findings = {f["area"]: f for f in await _json_failing(cli_settings)}  # no ComfyUI server: exit 1
        provider = next(f for area, f in findings.items() if area.startswith("provider "))
        assert provider["ok"] is True and "reachable" in provider["detail"] and "models sora-2" in provider["detail"]
    provider = next(f for f in await _json_failing(cli_settings) if f["area"].startswith("provider "))
    assert provider["ok"] is False and "unreachable" in provider["detail"] and "API key" in provider["fix"]


async def test_an_unreachable_database_and_an_unwritable_media_dir_are_reported(cli_settings, tmp_path):
    (tmp_path / "a-file").write_text("")
    broken = attrs.evolve(cli_settings, mongo_url=f"mongodb://127.0.0.1:{free_port()}/?serverSelectionTimeoutMS=500",
                          upload_dir=tmp_path / "a-file" / "uploads")
    findings = {f["area"]: f for f in await _json_failing(broken)}
    assert not findings["database"]["ok"] and "MONGO_URL" in findings["database"]["fix"]
    assert not findings["media"]["ok"] and "not writable" in findings["media"]["detail"]


async def test_a_bad_setting_is_reported_with_its_variable(tmp_path):
    result = await storycanvas(None, "doctor", env={"BACKEND_PORT": "eighty", "DATA_DIR": str(tmp_path)})
    assert result.exit_code == 1 and "BACKEND_PORT" in result.stdout and "fix:" in result.stdout


async def _json_failing(settings) -> list:  # type: ignore[type-arg]
    result = await storycanvas(settings, "doctor", "--json")
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout)
