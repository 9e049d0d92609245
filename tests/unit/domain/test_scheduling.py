from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.generated_content import ContentKind
from domain.queue_job import QueueJob
from domain.scheduling import ServerState, _eligible, plan_dispatch

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def job(job_id: str, *, project="p", priority=0, age=0, checkpoint="a", models=(), excluded=(), not_before=None):
    return QueueJob(id=job_id, project_id=project, clip_id="c", kind=ContentKind.IMAGE, model="sdxl",
                    params={}, output_node="9", created_at=T0 + timedelta(seconds=age), updated_at=T0,
                    priority=priority, checkpoint=checkpoint, required_models=models, excluded_servers=excluded,
                    not_before=not_before)


jobs_strategy = st.lists(
    st.builds(lambda i, p, pr, ck, ex: job(f"j{i}", project=p, priority=pr, age=i, checkpoint=ck, models=(ck,),
                                           excluded=ex),
              st.integers(0, 10_000), st.sampled_from("pqr"), st.integers(0, 2), st.sampled_from("abc"),
              st.sampled_from([(), ("s0",), ("s0", "s1")])),
    unique_by=lambda j: j.id, max_size=30)
servers_strategy = st.lists(
    st.builds(lambda i, free, models, loaded: ServerState(f"s{i}", free, models, loaded),
              st.integers(0, 10), st.integers(0, 3),
              st.one_of(st.none(), st.sets(st.sampled_from("abc")).map(frozenset)),
              st.one_of(st.none(), st.sampled_from("abc"))),
    unique_by=lambda s: s.id, max_size=4)


@settings(max_examples=300)
@given(jobs_strategy, servers_strategy, st.booleans())
def test_the_plan_respects_capacity_eligibility_priority_and_leaves_no_runnable_job_idle(jobs, servers, affinity):
    plan = plan_dispatch(jobs, servers, {}, now=T0, affinity=affinity)
    by_id, servers_by_id = {j.id: j for j in jobs}, {s.id: s for s in servers}
    assert len({a.job_id for a in plan}) == len(plan)
    for server in servers:
        taken = [a for a in plan if a.server_id == server.id]
        assert len(taken) <= server.free_slots
        left = [j for j in jobs if j.id not in {a.job_id for a in plan} and _eligible(j, server, servers)]
        for assignment in taken:
            assigned = by_id[assignment.job_id]
            assert _eligible(assigned, server, servers)
            assert all(other.priority <= assigned.priority for other in left)
        if len(taken) < server.free_slots:
            assert left == [], "a runnable job waits while its server has a free slot"
    assert all(a.server_id in servers_by_id for a in plan)


def test_a_single_job_of_another_project_is_not_starved_by_a_big_batch():
    batch = [job(f"a{i}", project="big", age=i) for i in range(500)]
    single = job("b0", project="small", age=1000)
    plan = plan_dispatch([*batch, single], [ServerState("s", 1)], {"big": 3}, now=T0)
    assert [a.job_id for a in plan] == ["b0"]


def test_higher_priority_goes_first_then_age():
    jobs = [job("old", age=0), job("urgent", priority=5, age=9), job("new", age=5)]
    plan = plan_dispatch(jobs, [ServerState("s", 2)], {}, now=T0)
    assert [a.job_id for a in plan] == ["urgent", "old"]


def test_a_server_keeps_its_loaded_checkpoint_when_it_can():
    jobs = [job("a1", checkpoint="a", age=0), job("b1", checkpoint="b", age=1)]
    plan = plan_dispatch(jobs, [ServerState("s", 1, loaded_checkpoint="b")], {}, now=T0)
    assert [a.job_id for a in plan] == ["b1"]
    no_affinity = plan_dispatch(jobs, [ServerState("s", 1, loaded_checkpoint="b")], {}, now=T0, affinity=False)
    assert [a.job_id for a in no_affinity] == ["a1"]


def test_idle_servers_spread_over_the_checkpoints_with_work():
    jobs = [job(f"{c}{i}", checkpoint=c, age=i) for i in range(10) for c in "abc"]
    plan = plan_dispatch(jobs, [ServerState(f"s{i}", 1) for i in range(3)], {}, now=T0)
    loaded = {a.job_id[0] for a in plan}
    assert loaded == {"a", "b", "c"}


def test_jobs_wait_for_their_backoff_and_avoid_servers_they_failed_on():
    later = job("later", not_before=T0 + timedelta(seconds=5))
    failed_here = job("failed", excluded=("s1",))
    plan = plan_dispatch([later, failed_here], [ServerState("s1", 1), ServerState("s2", 1)], {}, now=T0)
    assert [(a.job_id, a.server_id) for a in plan] == [("failed", "s2")]


def test_a_job_excluded_everywhere_may_still_run():
    stuck = job("stuck", excluded=("s1",))
    assert [a.server_id for a in plan_dispatch([stuck], [ServerState("s1", 1)], {}, now=T0)] == ["s1"]


def test_a_server_without_the_model_is_not_used():
    needs_b = job("b", models=("b.safetensors",))
    servers = [ServerState("has_a", 1, frozenset({"a.safetensors"})), ServerState("has_b", 1, frozenset({"b.safetensors"}))]
    assert [a.server_id for a in plan_dispatch([needs_b], servers, {}, now=T0)] == ["has_b"]
