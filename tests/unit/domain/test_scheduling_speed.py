"""The speed-aware policy: capacity, eligibility and priority as before, the old plan when servers are alike,
no starvation over many rounds, and a fast server that frees soon preferred to a slow one free now."""

import heapq
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.comfyui_server import ModelRules
from domain.generated_content import ContentKind
from domain.queue_job import QueueJob
from domain.scheduling import ServerState, Timing, _eligible, plan_dispatch

T0 = datetime(2026, 1, 1, tzinfo=UTC)
MODELS = ("sdxl", "flux", "wan")


def job(job_id, *, model="sdxl", project="p", priority=0, age=0, checkpoint="a", excluded=(), kind=ContentKind.IMAGE):
    return QueueJob(id=job_id, project_id=project, clip_id="c", kind=kind, model=model, params={}, output_node="9",
                    created_at=T0 + timedelta(seconds=age), updated_at=T0, priority=priority, checkpoint=checkpoint,
                    required_models=(checkpoint,), excluded_servers=excluded)


jobs_strategy = st.lists(
    st.builds(lambda i, m, p, pr, ck, ex: job(f"j{i}", model=m, project=p, priority=pr, age=i, checkpoint=ck,
                                              excluded=ex),
              st.integers(0, 10_000), st.sampled_from(MODELS), st.sampled_from("pq"), st.integers(0, 2),
              st.sampled_from("abc"), st.sampled_from([(), ("s0",)])),
    unique_by=lambda j: j.id, max_size=25)


@st.composite
def fleets(draw, *, alike=False):
    """Servers with capacities, free slots, busy slots' remaining times, and a Timing for them."""
    count = draw(st.integers(1, 4))
    servers, seconds = [], {}
    base = {m: draw(st.floats(0.5, 20.0)) for m in MODELS}
    for i in range(count):
        capacity = draw(st.integers(1, 3))
        busy = draw(st.integers(0, capacity))
        remaining = tuple(sorted([0.0] * (capacity - busy) + [draw(st.floats(0.0, 20.0)) for _ in range(busy)]))
        models = draw(st.one_of(st.none(), st.sets(st.sampled_from("abc")).map(frozenset)))
        loaded = draw(st.one_of(st.none(), st.sampled_from("abc")))
        servers.append(ServerState(f"s{i}", capacity - busy, models, loaded, slots_free_in=remaining))
        speed = 1.0 if alike else draw(st.floats(0.3, 3.0))
        seconds.update({(f"s{i}", m): base[m] * speed for m in MODELS})
    return servers, Timing(seconds, switch_s=draw(st.floats(0.0, 5.0)))


@settings(max_examples=300)
@given(jobs_strategy, fleets(), st.booleans())
def test_capacity_eligibility_and_priority_hold_with_speeds(jobs, fleet, affinity):
    servers, timing = fleet
    plan = plan_dispatch(jobs, servers, {}, now=T0, affinity=affinity, timing=timing)
    by_id = {j.id: j for j in jobs}
    assigned = {a.job_id for a in plan}
    assert len(assigned) == len(plan)
    for server in servers:
        taken = [by_id[a.job_id] for a in plan if a.server_id == server.id]
        assert len(taken) <= server.free_slots, "capacity exceeded"
        left = [j for j in jobs if j.id not in assigned and _eligible(j, server, servers)]
        for assigned_job in taken:
            assert _eligible(assigned_job, server, servers)
            assert all(other.priority <= assigned_job.priority for other in left), \
                "a higher priority waits behind a lower one on a server it could run on"
        if len(taken) < server.free_slots:  # a job left beside a free slot waits for a faster server
            for waiting in left:
                faster = [s for s in servers if s.id != server.id and _eligible(waiting, s, servers)
                          and timing.seconds[(s.id, waiting.model)] < timing.seconds[(server.id, waiting.model)]]
                blocked_by = [j for j in left if j.priority > waiting.priority]
                assert faster or blocked_by, "a runnable job idles beside a free slot with no faster place"


@settings(max_examples=300)
@given(jobs_strategy, fleets(alike=True), st.booleans(), st.dictionaries(st.sampled_from("pq"), st.integers(0, 3)))
def test_when_every_server_is_alike_the_plan_is_the_old_one(jobs, fleet, affinity, running):
    servers, timing = fleet
    assert plan_dispatch(jobs, servers, running, now=T0, affinity=affinity, timing=timing) == \
        plan_dispatch(jobs, servers, running, now=T0, affinity=affinity)


@settings(max_examples=150, deadline=None)
@given(jobs_strategy, st.lists(st.tuples(st.integers(1, 3), st.floats(0.3, 3.0)), min_size=1, max_size=4),
       st.floats(0.5, 1.5))
def test_rounds_over_time_run_every_job_none_starves(jobs, fleet, error):
    """Each round plans with estimates off by `error` from the true times; time jumps to the next completion."""
    capacity = {f"s{i}": c for i, (c, _) in enumerate(fleet)}
    true = {(f"s{i}", m): speed * (1 + MODELS.index(m)) for i, (_, speed) in enumerate(fleet) for m in MODELS}
    timing = Timing({key: value * error for key, value in true.items()}, switch_s=1.0)
    waiting = {j.id: j for j in jobs if "s0" not in j.excluded_servers or len(fleet) > 1}
    running: list[tuple[float, str, str]] = []  # (end, server, job)
    now, rounds = 0.0, 0
    while waiting:
        rounds += 1
        assert rounds <= 4 * len(jobs) + 4, "jobs starve"
        states = []
        for server, slots in capacity.items():
            ends = [end - now for end, s, _ in running if s == server]
            states.append(ServerState(server, slots - len(ends), slots_free_in=tuple(sorted(
                [0.0] * (slots - len(ends)) + ends))))
        for a in plan_dispatch(list(waiting.values()), states, {}, now=T0, timing=timing):
            heapq.heappush(running, (now + true[(a.server_id, waiting.pop(a.job_id).model)], a.server_id, a.job_id))
        assert running, "nothing runs while jobs wait"
        now = heapq.heappop(running)[0]


def test_near_the_end_a_fast_server_that_frees_soon_beats_a_slow_one_free_now():
    fast = ServerState("fast", 0, slots_free_in=(0.5,))
    slow = ServerState("slow", 1, slots_free_in=(0.0,))
    timing = Timing({("fast", "sdxl"): 1.0, ("slow", "sdxl"): 4.0})
    assert plan_dispatch([job("last")], [fast, slow], {}, now=T0, timing=timing) == [], "it waits for fast"
    assert [a.server_id for a in plan_dispatch([job("last")], [fast, slow], {}, now=T0)] == ["slow"]
    many = [job(f"j{i}", age=i) for i in range(4)]
    plan = plan_dispatch(many, [fast, slow], {}, now=T0, timing=timing)
    assert [a.job_id for a in plan] == ["j3"], "fast takes three in 3.5 s; the fourth is sooner on slow (4 s)"


def test_a_free_fast_server_takes_the_job_a_slow_one_picked():
    fast, slow = ServerState("fast", 1, slots_free_in=(0.0,)), ServerState("slow", 3, slots_free_in=(0.0,) * 3)
    timing = Timing({("fast", "sdxl"): 1.0, ("slow", "sdxl"): 4.0})
    assert [a.server_id for a in plan_dispatch([job("only")], [fast, slow], {}, now=T0, timing=timing)] == ["fast"]


def test_a_held_job_keeps_lower_priorities_off_the_servers_it_could_run_on():
    fast = ServerState("fast", 0, slots_free_in=(0.5,))
    slow = ServerState("slow", 1, slots_free_in=(0.0,))
    timing = Timing({("fast", "sdxl"): 1.0, ("slow", "sdxl"): 4.0})
    plan = plan_dispatch([job("urgent", priority=5), job("low", age=1)], [fast, slow], {}, now=T0, timing=timing)
    assert plan == []


def test_a_checkpoint_switch_counts_against_the_faster_server():
    fast = ServerState("fast", 0, loaded_checkpoint="b", slots_free_in=(0.5,))
    slow = ServerState("slow", 1, loaded_checkpoint="a", slots_free_in=(0.0,))
    timing = Timing({("fast", "sdxl"): 1.0, ("slow", "sdxl"): 4.0}, switch_s=5.0)
    assert [a.server_id for a in plan_dispatch([job("x")], [fast, slow], {}, now=T0, timing=timing)] == ["slow"]


def test_model_rules_keep_kinds_and_presets_off_a_server():
    small = ServerState("small", 1, rules=ModelRules(deny=("video",)))
    big = ServerState("big", 1)
    video = job("v", model="wan", kind=ContentKind.VIDEO)
    assert [a.server_id for a in plan_dispatch([video], [small, big], {}, now=T0)] == ["big"]
    assert plan_dispatch([video], [small], {}, now=T0) == []
    only_sdxl = ServerState("only", 2, rules=ModelRules(allow=("sdxl",)))
    plan = plan_dispatch([job("a", model="sdxl"), job("b", model="flux")], [only_sdxl], {}, now=T0)
    assert [a.job_id for a in plan] == ["a"]
    assert not ModelRules(allow=("image",), deny=("sdxl",)).permits("sdxl", "image"), "deny wins"


def test_a_job_every_servers_rules_refuse_says_so_while_it_waits():
    from domain.waiting_reasons import waiting_reason
    video = job("v", model="wan", kind=ContentKind.VIDEO)
    reason = waiting_reason(video, [ServerState("small", 1, rules=ModelRules(deny=("video",)))])
    assert reason is not None and "model rules" in reason and "wan" in reason
