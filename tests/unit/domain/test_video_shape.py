"""Provider videos: the duration and size chosen for a clip and a project, the model for explicit values, and
provider slots in the scheduling policy (targeted jobs there only, nothing else there)."""

import math
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.aspect_ratio import AspectRatio
from domain.errors import InvalidValue
from domain.generated_content import ContentKind
from domain.queue_job import QueueJob
from domain.scheduling import ServerState, plan_dispatch
from domain.video_provider import (
    SORA_PRO_SIZES, SORA_SIZES, ProviderUrl, VideoModel, VideoProvider, key_hint, provider_of, provider_target,
)
from domain.video_shape import nearest_seconds, nearest_size, plan_video_shape
from domain.waiting_reasons import waiting_reason

T0 = datetime(2026, 1, 1, tzinfo=UTC)
SORA, PRO = VideoModel.known("sora-2"), VideoModel.known("sora-2-pro")


@given(allowed=st.lists(st.integers(1, 60), min_size=1, max_size=6, unique=True),
       length=st.floats(0.01, 120, allow_nan=False))
def test_the_nearest_allowed_duration_is_chosen_and_a_tie_goes_to_the_longer(allowed, length):
    chosen = nearest_seconds(allowed, length)
    assert chosen in allowed
    assert all(abs(chosen - length) <= abs(other - length) for other in allowed)
    assert all(other <= chosen for other in allowed if abs(other - length) == abs(chosen - length))


@pytest.mark.parametrize(("aspect", "sizes", "expected"), [
    (AspectRatio.WIDE, SORA_SIZES, "1280x720"), (AspectRatio.TALL, SORA_SIZES, "720x1280"),
    (AspectRatio.WIDE, SORA_PRO_SIZES, "1280x720"), (AspectRatio.CINEMA, SORA_PRO_SIZES, "1280x720"),
    (AspectRatio.PORTRAIT, SORA_PRO_SIZES, "1024x1792"), (AspectRatio.SQUARE, ("512x512", "1280x720"), "512x512"),
])
def test_the_size_of_the_nearest_shape_is_chosen(aspect, sizes, expected):
    assert nearest_size(sizes, aspect) == expected


def test_a_clip_gets_the_nearest_duration_and_its_projects_shape_on_the_first_model():
    shape = plan_video_shape([SORA, PRO], length=6.5, aspect=AspectRatio.TALL)
    assert (shape.model, shape.seconds, shape.size) == ("sora-2", 8, "720x1280")
    assert plan_video_shape([SORA], length=40, aspect=AspectRatio.WIDE).seconds == 12


def test_explicit_values_pick_the_first_model_allowing_them_or_name_what_is_allowed():
    assert plan_video_shape([SORA, PRO], length=4, aspect=AspectRatio.WIDE, size="1024x1792").model == "sora-2-pro"
    with pytest.raises(InvalidValue) as refused:
        plan_video_shape([SORA, PRO], length=4, aspect=AspectRatio.WIDE, seconds=10)
    assert (refused.value.field, refused.value.message) == ("seconds", "the provider's models allow 4, 8 or 12 seconds")
    with pytest.raises(InvalidValue) as refused:
        plan_video_shape([SORA, PRO], length=4, aspect=AspectRatio.WIDE, model="sora-2", size="1792x1024")
    assert refused.value.message == "sora-2 allows 720x1280 or 1280x720"
    wan = VideoModel("wan", seconds=(5,), sizes=("832x480",))
    with pytest.raises(InvalidValue, match="no model of the provider renders 5 seconds at 1280x720"):
        plan_video_shape([SORA, wan], length=4, aspect=AspectRatio.WIDE, seconds=5, size="1280x720")


@pytest.mark.parametrize("url", ["http://u:p@h/v1", "ftp://h/v1", "http://h/v1?q=1", "http://h/v1#x", "h:80",
                                 "http://h:99999/v1", "http://h/v 1", "http://h:0/v1"])
def test_a_provider_url_must_be_a_plain_http_url(url):
    with pytest.raises(InvalidValue) as refused:
        ProviderUrl()(None, type("Field", (), {"name": "base_url"}), url)
    assert refused.value.field == "base_url"


def test_a_provider_is_addressed_by_its_target_and_keeps_no_key_in_the_clear():
    provider = VideoProvider(id="p1", name="sim", base_url="HTTP://Sim:80/v1/", created_at=T0, updated_at=T0,
                             models=(SORA, VideoModel("x"), VideoModel("sora-2", seconds=(4,))))
    assert provider.base_url == "http://sim/v1" and [m.name for m in provider.models] == ["sora-2", "x"]
    assert (provider.target, provider_of(provider.target), provider_of("s1"), provider_of(None)) == (
        "provider:p1", "p1", None, None)
    assert provider_target("p1") == provider.target and not provider.key_set
    assert (key_hint("sk-0123456789abcdef"), key_hint("short")) == ("cdef", None)


def job(job_id: str, *, project="p", priority=0, target=None, checkpoint=None):
    return QueueJob(id=job_id, project_id=project, clip_id="c", kind=ContentKind.VIDEO, model="m", params={},
                    output_node="video", created_at=T0 + timedelta(seconds=int(job_id[1:])), updated_at=T0,
                    priority=priority, target=target, checkpoint=checkpoint)


@given(targets=st.lists(st.sampled_from([None, "provider:a", "provider:b"]), min_size=1, max_size=12),
       slots=st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(0, 3)))
def test_targeted_jobs_run_on_their_provider_only_and_providers_take_nothing_else(targets, slots):
    jobs = [job(f"j{i}", target=target, checkpoint=None if target else "ck") for i, target in enumerate(targets)]
    servers = [ServerState("gpu", slots[0]), ServerState("provider:a", slots[1], dedicated=True),
               ServerState("provider:b", slots[2], dedicated=True)]
    plan = plan_dispatch(jobs, servers, {}, now=T0)
    by_id = {j.id: j for j in jobs}
    for assignment in plan:
        wanted = by_id[assignment.job_id].target
        assert assignment.server_id == (wanted or "gpu")
    for server, free in zip(servers, slots, strict=True):
        assigned = sum(a.server_id == server.id for a in plan)
        assert assigned == min(free, sum((j.target or "gpu") == server.id for j in jobs)), "no slot idles, none spills"


def test_a_targeted_job_waits_only_for_its_provider():
    gpu, provider = ServerState("gpu", 1, frozenset({"ck"})), ServerState("provider:a", 1, dedicated=True)
    assert waiting_reason(job("j1", target="provider:a"), [gpu, provider]) is None
    assert "video provider takes no work" in waiting_reason(job("j1", target="provider:a"), [gpu])
    comfy = QueueJob(id="j2", project_id="p", clip_id="c", kind=ContentKind.IMAGE, model="m", params={},
                     output_node="9", created_at=T0, updated_at=T0, required_models=("ck",))
    assert waiting_reason(comfy, [provider]).startswith("no ComfyUI server is available")
    assert math.isclose(AspectRatio.WIDE.ratio, 16 / 9)
