"""The QueueSettings port: queue-wide switches every API instance sees alike, in memory as on Mongo."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


async def test_nothing_is_paused_at_first(queue_settings):
    switches = queue_settings()
    assert await switches.paused() is False
    assert await switches.paused_servers() == frozenset()


async def test_pausing_the_queue_round_trips_and_is_seen_by_every_instance(queue_settings):
    writer, reader = queue_settings(), queue_settings()
    await writer.set_paused(True)
    assert await reader.paused() is True
    await writer.set_paused(True)
    assert await reader.paused() is True
    await reader.set_paused(False)
    assert await writer.paused() is False
    assert await writer.paused_servers() == frozenset()


async def test_paused_servers_form_a_set_apart_from_the_queue_switch(queue_settings):
    writer, reader = queue_settings(), queue_settings()
    await writer.set_server_paused("s1", True)
    await writer.set_server_paused("s2", True)
    await writer.set_server_paused("s1", True)
    assert await reader.paused_servers() == frozenset({"s1", "s2"})
    assert await reader.paused() is False
    await reader.set_server_paused("s1", False)
    await reader.set_server_paused("never-paused", False)
    await writer.set_paused(True)
    assert await writer.paused_servers() == frozenset({"s2"})
    await writer.set_paused(False)
    assert await reader.paused_servers() == frozenset({"s2"})


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(switches=st.lists(st.tuples(st.sampled_from(["s1", "s2", "s3"]), st.booleans()), max_size=12))
async def test_paused_servers_match_a_set_for_any_sequence_of_switches(queue_settings, switches):
    store, model = queue_settings(), set()
    for server_id in ("s1", "s2", "s3"):
        await store.set_server_paused(server_id, False)
    for server_id, paused in switches:
        await store.set_server_paused(server_id, paused)
        (model.add if paused else model.discard)(server_id)
    assert await store.paused_servers() == frozenset(model)
