"""Fair share by owner: with owners recorded (authentication on), owners share first, then their projects."""

from collections import Counter
from datetime import UTC, datetime, timedelta

from attrs import evolve
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.generated_content import ContentKind
from domain.queue_job import JobStatus, QueueJob
from domain.scheduling import ServerState, plan_dispatch, running_counts

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def job(job_id: str, *, owner: str | None, project: str, age: int = 0) -> QueueJob:
    return QueueJob(id=job_id, project_id=project, clip_id="c", kind=ContentKind.IMAGE, model="sdxl", params={},
                    output_node="9", created_at=T0 + timedelta(seconds=age), updated_at=T0, owner=owner)


def test_an_owner_with_many_projects_does_not_crowd_out_another_owners_single_job():
    many = [job(f"a{i}", owner="alice", project=f"p{i}", age=i) for i in range(6)]
    single = job("b0", owner="bob", project="q", age=100)
    running = running_counts([evolve(many[0], status=JobStatus.PROCESSING)])
    plan = plan_dispatch([*many[1:], single], [ServerState("s", 2)], dict(running), now=T0, affinity=False)
    assert [a.job_id for a in plan][0] == "b0"  # alice runs one already: bob goes first
    by_project = Counter({"p1": 0})
    plan = plan_dispatch([*many[1:], single], [ServerState("s", 1)], dict(by_project), now=T0, affinity=False)
    assert [a.job_id for a in plan] == ["a1"]  # nobody runs anything: oldest first


def test_without_owners_the_share_is_by_project_as_before():
    jobs = [job("x1", owner=None, project="p", age=0), job("x2", owner=None, project="p", age=1),
            job("y1", owner=None, project="q", age=2)]
    plan = plan_dispatch(jobs, [ServerState("s", 2)], {}, now=T0, affinity=False)
    assert [a.job_id for a in plan] == ["x1", "y1"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["alice", "bob", "carol"]), st.sampled_from("pqrs")), min_size=1,
                max_size=40), st.integers(1, 12))
def test_slots_are_spread_across_owners_so_none_gets_two_more_than_another_with_work_waiting(owners, slots):
    jobs = [job(f"j{i}", owner=owner, project=f"{owner}-{project}", age=i) for i, (owner, project) in enumerate(owners)]
    plan = plan_dispatch(jobs, [ServerState("s", slots)], {}, now=T0, affinity=False)
    assigned = Counter(next(j.owner for j in jobs if j.id == a.job_id) for a in plan)
    waiting = Counter(j.owner for j in jobs) - assigned
    for owner in assigned:
        for other in {j.owner for j in jobs}:
            if waiting[other]:
                assert assigned[owner] <= assigned[other] + 1
