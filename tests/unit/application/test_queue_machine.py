"""Any interleaving of enqueues, dispatch rounds, completions, failures, cancels and lost servers keeps the
queue's promises: no server above capacity, priority and fair share honoured, one final state per job."""

import asyncio
from collections import Counter
from datetime import timedelta

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from application.errors import Conflict
from application.queue.control_job import CancelJob, CancelJobHandler
from application.queue.dispatcher import server_state
from application.queue.enqueue_generation import EnqueueGeneration, EnqueueGenerationHandler
from domain.queue_job import JobStatus
from domain.scheduling import _eligible
from tests.unit.application.board_builder import build_board
from tests.unit.application.fakes import FakeWorld
from tests.unit.application.queue_world import add_server, add_workflow, dispatcher

SERVERS = {"http://a": 1, "http://b": 2}


def run(coroutine):
    return LOOP.run_until_complete(coroutine)


async def settle() -> None:
    for _ in range(30):
        await asyncio.sleep(0)


LOOP = asyncio.new_event_loop()


class QueueMachine(RuleBasedStateMachine):
    @initialize()
    def start(self) -> None:
        self.world = FakeWorld()
        run(self._setup())
        self.finals: dict[str, JobStatus] = {}

    async def _setup(self) -> None:
        await build_board(self.world, [(3, 0, 0)], characters=0)
        await build_board(self.world, [(3, 0, 0)], characters=0)
        self.servers = {url: await add_server(self.world, url, capacity=c) for url, c in SERVERS.items()}
        self.model = await add_workflow(self.world)
        self.worker = dispatcher(self.world)

    def jobs(self, status: JobStatus | None = None):
        return [j for j in self.world.jobs.jobs.values() if status is None or j.status is status]

    @rule(clip=st.integers(0, 5), priority=st.integers(0, 2))
    def enqueue(self, clip, priority):
        clip_id = sorted(self.world.store.tables["clips"])[clip]
        command = EnqueueGeneration(clip_id=clip_id, model=self.model, priority=priority, max_retries=1)
        run(self.world.handler(EnqueueGenerationHandler)(command))

    @rule()
    def dispatch_round(self):
        before = {j.id for j in self.jobs(JobStatus.PENDING)}
        waiting = [j for j in self.jobs(JobStatus.PENDING) if j.not_before is None or j.not_before <= self.world.clock.current]
        run(self.worker.tick())
        run(settle())
        started = [j for j in self.jobs(JobStatus.PROCESSING) if j.id in before]
        states = {s.id: server_state(s, 0, None) for s in self.world.store.tables["comfyui_servers"].values()}
        for job in started:
            still_waiting = [w for w in waiting if self.world.jobs.jobs[w.id].status is JobStatus.PENDING]
            assert all(w.priority <= job.priority for w in still_waiting
                       if _eligible(w, states[job.server_id], list(states.values()))), \
                "a higher-priority job was left waiting"

    @precondition(lambda self: self.jobs(JobStatus.PROCESSING))
    @rule(data=st.data(), fail=st.booleans())
    def server_finishes_a_prompt(self, data, fail):
        job = data.draw(st.sampled_from(sorted(self.jobs(JobStatus.PROCESSING), key=lambda j: j.id)))
        url = next(u for u, sid in self.servers.items() if sid == job.server_id)
        server = self.world.backend.servers[url]
        server.fail_with = "boom" if fail else None
        if job.prompt_id in server.prompts:
            self.world.backend.release(url, job.prompt_id)
        run(settle())

    @precondition(lambda self: self.jobs())
    @rule(data=st.data())
    def cancel(self, data):
        job = data.draw(st.sampled_from(sorted(self.jobs(), key=lambda j: j.id)))
        try:
            run(self.world.handler(CancelJobHandler)(CancelJob(job.id)))
        except Conflict:  # a final job cannot be cancelled: a 409 for the user
            assert job.status.final
        run(settle())

    @rule(seconds=st.sampled_from([1, 5, 60]))
    def time_passes(self, seconds):
        self.world.clock.current += timedelta(seconds=seconds)

    @invariant()
    def no_server_runs_more_than_its_capacity(self):
        if not hasattr(self, "world"):
            return
        running = Counter(j.server_id for j in self.jobs(JobStatus.PROCESSING))
        for url, server_id in self.servers.items():
            assert running[server_id] <= SERVERS[url]

    @invariant()
    def a_final_state_is_final(self):
        if not hasattr(self, "world"):
            return
        for job in self.jobs():
            if job.id in self.finals:
                assert job.status is self.finals[job.id], f"job {job.id} left its final state"
            elif job.status.final:
                self.finals[job.id] = job.status

    def teardown(self):
        if not hasattr(self, "world"):
            return
        for url, server in self.world.backend.servers.items():
            server.hold, server.fail_with = False, None
            for prompt_id in list(server.prompts):
                self.world.backend.release(url, prompt_id)
        for _ in range(40):
            run(settle())
            self.world.clock.current += timedelta(minutes=10)
            run(self.worker.tick())
            run(settle())
        assert all(j.status.final for j in self.jobs()), "every job reaches a final state"


TestQueueMachine = QueueMachine.TestCase
TestQueueMachine.settings = settings(max_examples=40, stateful_step_count=30, deadline=None)
