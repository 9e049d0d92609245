"""Child processes for the queue fault tests: simulated ComfyUI servers and API instances on free loopback ports.

A `Lab` starts every process it is asked for and stops each one by its pid when closed, whatever happened.
Simulators and API instances are driven only over HTTP, as a user or an operator would.
"""

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import aiohttp

from adapters.mongo.embedded_server import free_port
from domain.prompt_ids import attempt_prompt_id

HOST = "127.0.0.1"
REPO = Path(__file__).resolve().parents[2]
API = "/api/v1"
FINAL = ("completed", "failed", "cancelled")
T = TypeVar("T")


class Child:
    """One child process writing to its own log file; stopped by its pid only."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], log: Path):
        self.name, self.log = name, log
        with log.open("ab") as output:
            self.process = subprocess.Popen(command, env=env, cwd=REPO, stdout=output, stderr=subprocess.STDOUT)

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL: no clean-up of any kind, like a power cut."""
        if self.alive:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def freeze(self) -> None:
        """SIGSTOP: the process stalls (a long GC pause, a starved VM) without knowing it."""
        os.kill(self.process.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        if self.alive:
            os.kill(self.process.pid, signal.SIGCONT)

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM, then SIGKILL if it does not exit in time."""
        if self.alive:
            self.thaw()
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process.wait()

    def tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return f"--- {self.name} (last {lines} lines of {self.log}) ---\n" + "\n".join(text.splitlines()[-lines:])


class Simulator:
    """A simulated ComfyUI in its own process."""

    def __init__(self, name: str, child: Child, port: int, session: aiohttp.ClientSession):
        self.name, self.child, self.session = name, child, session
        self.url = f"http://{HOST}:{port}"

    async def stats(self) -> dict[str, Any]:
        async with self.session.get(self.url + "/sim/stats") as response:
            assert response.status == 200, await response.text()
            return await response.json()

    async def arm(self, mode: str, count: int = 1) -> None:
        async with self.session.post(self.url + "/sim/failures", json={"mode": mode, "count": count}) as response:
            assert response.status == 200, await response.text()

    async def failures(self) -> dict[str, int]:
        """How many of each failure mode are still armed."""
        async with self.session.get(self.url + "/sim/failures") as response:
            assert response.status == 200, await response.text()
            return await response.json()

    def kill(self) -> None:
        self.child.kill()


class Api:
    """A `storycanvas serve` process, and JSON calls to it."""

    def __init__(self, name: str, child: Child, port: int, session: aiohttp.ClientSession):
        self.name, self.child, self.session = name, child, session
        self.url = f"http://{HOST}:{port}"

    async def call(self, method: str, path: str, body: Any = None, *, status: int = 200) -> Any:
        async with self.session.request(method, self.url + API + path, json=body) as response:
            text = await response.text()
            assert response.status == status, f"{method} {path} -> {response.status}: {text}"
            return await response.json() if text else None

    async def jobs(self, project_id: str) -> list[dict[str, Any]]:
        page = await self.call("GET", f"/queue/jobs?project_id={project_id}&limit=500")
        return page["items"]

    async def job(self, job_id: str) -> dict[str, Any]:
        return await self.call("GET", f"/queue/jobs/{job_id}")

    async def clip(self, clip_id: str) -> dict[str, Any]:
        return await self.call("GET", f"/clips/{clip_id}")

    def kill(self) -> None:
        self.child.kill()


class Lab:
    """Starts simulators and API instances for one test; `close()` stops every one still running."""

    def __init__(self, directory: Path, mongo_url: str, db_name: str, session: aiohttp.ClientSession):
        self.directory, self.mongo_url, self.db_name, self.session = directory, mongo_url, db_name, session
        self.children: list[Child] = []
        directory.mkdir(parents=True, exist_ok=True)

    def _child(self, name: str, command: list[str], env: dict[str, str]) -> Child:
        child = Child(name, command, env, self.directory / f"{name}.log")
        self.children.append(child)
        return child

    async def simulator(self, name: str, *, capacity: int = 1, ksampler_s: float = 0.3) -> Simulator:
        port = free_port()
        command = [sys.executable, "-m", "simulators.comfyui", "--port", str(port),
                   "--root", str(self.directory / name), "--capacity", str(capacity),
                   "--node-latency", f"KSampler={ksampler_s}"]
        simulator = Simulator(name, self._child(name, command, dict(os.environ)), port, self.session)
        await self._answering(simulator.child, simulator.url + "/system_stats")
        return simulator

    async def api(self, name: str, **settings: Any) -> Api:
        """An API instance on this lab's database; `settings` override the fast queue defaults."""
        port = free_port()
        env = {key: value for key, value in os.environ.items() if key not in ("MONGO_URL", "DB_NAME")}
        env |= {"MONGO_URL": self.mongo_url, "DB_NAME": self.db_name, "BACKEND_HOST": HOST, "BACKEND_PORT": str(port),
                "UPLOAD_DIR": str(self.directory / "uploads"), "DATA_DIR": str(self.directory / f"{name}-data"),
                "ACCESS_LOG": "false", "JOB_LEASE_S": "3", "DISPATCH_TICK_S": "0.1",
                "COMFYUI_HEALTH_INTERVAL_S": "0.5", "JOB_TIMEOUT_S": "120", "QUEUE_WORKERS": "true"}
        env |= {key.upper(): str(value) for key, value in settings.items()}
        command = [sys.executable, "-m", "entrypoints.cli", "serve"]
        api = Api(name, self._child(name, command, env), port, self.session)
        await self._answering(api.child, api.url + API + "/health")
        return api

    async def _answering(self, child: Child, url: str, timeout: float = 60.0) -> None:
        async def answers() -> bool:
            assert child.alive, f"{child.name} exited at start-up\n{child.tail()}"
            try:
                async with self.session.get(url) as response:
                    return response.status == 200
            except aiohttp.ClientError:
                return False

        await wait_until(answers, timeout, f"{child.name} answers at {url}")

    def logs(self) -> str:
        return "\n".join(child.tail() for child in self.children)

    def close(self) -> None:
        for child in reversed(self.children):
            child.stop()


async def wait_until(check: Callable[[], Awaitable[T]], timeout: float, what: str, every: float = 0.1) -> T:
    """Poll `check` until it returns something truthy (which is returned); fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = await check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting until {what}; last value: {value!r}")
        await asyncio.sleep(every)


# The StoryCanvas side: servers, clips, jobs.

async def register(api: Api, simulators: Iterable[Simulator], capacity: int = 1) -> dict[str, Simulator]:
    """Register each simulator as a ComfyUI server; returns server id -> simulator."""
    servers = {}
    for simulator in simulators:
        server = await api.call("POST", "/comfyui/servers", {"name": simulator.name, "url": simulator.url,
                                                              "capacity": capacity}, status=201)
        servers[server["id"]] = simulator
    return servers


async def new_clips(api: Api, count: int) -> tuple[str, list[str]]:
    """A project with one scene of `count` clips; returns the project id and the clip ids."""
    project = await api.call("POST", "/projects", {"name": "Fault drill"}, status=201)
    scene = await api.call("POST", "/scenes", {"project_id": project["id"], "name": "Scene"}, status=201)
    clips = [await api.call("POST", "/clips", {"scene_id": scene["id"], "name": f"Shot {i}", "length": 2,
                                               "image_prompt": f"shot {i}"}, status=201)
             for i in range(count)]
    return project["id"], [clip["id"] for clip in clips]


async def generate(api: Api, clip_ids: list[str]) -> list[str]:
    """Queue one small SDXL image per clip (one batch); returns the job ids."""
    batch = await api.call("POST", "/generation/batch", {
        "model": "sdxl", "clip_ids": clip_ids, "kind": "image",
        "params": {"steps": 4, "width": 512, "height": 512}}, status=202)
    return list(batch["job_ids"])


async def all_final(api: Api, project_id: str, count: int) -> list[dict[str, Any]] | None:
    """The project's jobs once all `count` of them reached a final state, else None."""
    jobs = await api.jobs(project_id)
    return jobs if len(jobs) == count and all(job["status"] in FINAL for job in jobs) else None


async def final(api: Api, job_id: str) -> dict[str, Any] | None:
    """The job once it reached a final state, else None."""
    job = await api.job(job_id)
    return job if job["status"] in FINAL else None


async def running_on(api: Api, job_id: str, servers: dict[str, Simulator]) -> dict[str, Any] | None:
    """The job once it is processing and its prompt has started on the simulator it was sent to, else None."""
    job = await api.job(job_id)
    if job["status"] != "processing" or job["server_id"] not in servers:
        return None
    prompts = (await servers[job["server_id"]].stats())["prompts"]
    started = any(p["prompt_id"] == job["prompt_id"] and p["started"] is not None for p in prompts)
    return job if started else None


MAX_ATTEMPTS = 20


async def prompts_by_job(simulators: Iterable[Simulator], job_ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """Every prompt the (still running) simulators received for these jobs, by job id, each tagged with its
    simulator (a prompt's id is derived from its job's id and attempt number)."""
    job_of = {attempt_prompt_id(job_id, attempt): job_id for job_id in job_ids for attempt in range(1, MAX_ATTEMPTS)}
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for simulator in simulators:
        for prompt in (await simulator.stats())["prompts"]:
            found[job_of.get(prompt["prompt_id"], "?")].append({**prompt, "simulator": simulator.name})
    return dict(found)


async def prompts_posted(simulators: Iterable[Simulator]) -> int:
    """POST /prompt requests the simulators answered (a prompt id posted twice counts twice here)."""
    return sum([(await simulator.stats())["requests"] for simulator in simulators])


def run_more_than_once(prompts: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    return {job_id: found for job_id, found in prompts.items() if len(found) != 1}


async def takes_by_clip(api: Api, clip_ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    return {clip_id: (await api.clip(clip_id))["generated_images"] for clip_id in clip_ids}


def assert_one_take_per_clip(takes: dict[str, list[dict[str, Any]]], jobs: list[dict[str, Any]]) -> None:
    """Each clip's gallery holds exactly the one take its job produced."""
    by_clip = {job["clip_id"]: job for job in jobs}
    for clip_id, gallery in takes.items():
        assert len(gallery) == 1, f"clip {clip_id} has {len(gallery)} takes: {gallery}"
        assert gallery[0]["url"] == by_clip[clip_id]["result_url"]
        assert gallery[0]["job_id"] == by_clip[clip_id]["id"]
