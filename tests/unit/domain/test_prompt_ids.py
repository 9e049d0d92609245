import uuid
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from domain.generated_content import ContentKind
from domain.prompt_ids import attempt_prompt_id
from domain.queue_job import QueueJob

NOW = datetime(2026, 12, 1, tzinfo=UTC)


@given(st.text(min_size=1, max_size=40), st.integers(min_value=1, max_value=10_000))
def test_a_prompt_id_is_the_canonical_uuid_today_s_comfyui_requires(job_id: str, attempt: int) -> None:
    prompt_id = attempt_prompt_id(job_id, attempt)
    assert str(uuid.UUID(prompt_id)) == prompt_id  # lowercase, hyphenated
    assert attempt_prompt_id(job_id, attempt) == prompt_id  # any instance recovering the attempt finds it


@given(st.lists(st.tuples(st.text(min_size=1, max_size=10), st.integers(1, 50)), unique=True, max_size=50))
def test_every_attempt_of_every_job_has_its_own_prompt_id(attempts: list[tuple[str, int]]) -> None:
    assert len({attempt_prompt_id(job_id, n) for job_id, n in attempts}) == len(attempts)


def test_a_claim_records_the_attempt_s_prompt_id_before_anything_is_posted() -> None:
    job = QueueJob(id="j1", project_id="p", clip_id="c", kind=ContentKind.IMAGE, model="sdxl", params={},
                   output_node="9", created_at=NOW, updated_at=NOW)
    first = job.claimed(server_id="s", owner="me", lease=timedelta(seconds=30), now=NOW)
    again = first.attempt_failed("boom", now=NOW).claimed(server_id="t", owner="me", lease=timedelta(seconds=30),
                                                          now=NOW)
    assert first.prompt_id == attempt_prompt_id("j1", 1)
    assert again.prompt_id == attempt_prompt_id("j1", 2) != first.prompt_id
