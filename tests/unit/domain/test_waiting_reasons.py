from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from domain.generated_content import ContentKind
from domain.queue_job import QueueJob
from domain.scheduling import ServerState
from domain.waiting_reasons import waiting_reason

NOW = datetime(2026, 12, 1, tzinfo=UTC)
MODELS = ["sdxl.safetensors", "flux.safetensors", "ava_v1.safetensors", "wan.safetensors"]


def job(*models: str) -> QueueJob:
    return QueueJob(id="j", project_id="p", clip_id="c", kind=ContentKind.IMAGE, model="m", params={},
                    output_node="9", created_at=NOW, updated_at=NOW, required_models=models)


def test_a_lora_nobody_offers_is_named() -> None:
    servers = [ServerState("a", 1, frozenset({"sdxl.safetensors"})), ServerState("b", 0, frozenset({"flux.safetensors"}))]
    assert waiting_reason(job("sdxl.safetensors", "ava_v1.safetensors"), servers) == \
        "no server offers ava_v1.safetensors"


def test_no_reason_when_a_busy_server_could_take_it_later() -> None:
    assert waiting_reason(job("sdxl.safetensors"), [ServerState("a", 0, frozenset({"sdxl.safetensors"}))]) is None


def test_no_server_and_paused_queue_are_reasons() -> None:
    assert "no ComfyUI server" in (waiting_reason(job(), []) or "")
    assert waiting_reason(job(), [ServerState("a", 1)], queue_paused=True) == "the queue is paused"


@given(st.lists(st.sampled_from(MODELS), unique=True, max_size=3),
       st.lists(st.frozensets(st.sampled_from(MODELS)) | st.none(), min_size=1, max_size=4))
def test_a_reason_exactly_when_no_server_offers_the_job_s_models(models: list[str],
                                                                 catalogs: list[frozenset[str] | None]) -> None:
    servers = [ServerState(str(i), 1, catalog) for i, catalog in enumerate(catalogs)]
    reason = waiting_reason(job(*models), servers)
    assert (reason is None) == any(s.offers(job(*models)) for s in servers)
    if reason is not None:
        assert any(model in reason for model in models)
