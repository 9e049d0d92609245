"""The DispatchLease port: one API instance schedules at a time, in memory as on Mongo."""

import asyncio

SHORT = 0.3  # seconds: long enough for a few round trips, short enough to wait out


async def test_one_owner_holds_the_lease_and_extends_it_while_others_are_refused(dispatch_leases):
    first, second = dispatch_leases(), dispatch_leases()
    assert await first.hold("api-1", seconds=30)
    assert not await second.hold("api-2", seconds=30)
    assert await first.hold("api-1", seconds=30)
    assert await second.hold("api-1", seconds=30)  # the owner, not the instance, holds it
    assert not await first.hold("api-2", seconds=30)


async def test_of_several_owners_asking_at_once_exactly_one_gets_the_lease(dispatch_leases):
    owners = [f"api-{n}" for n in range(5)]
    held = await asyncio.gather(*(dispatch_leases().hold(owner, seconds=30) for owner in owners))
    assert held.count(True) == 1
    winner = owners[held.index(True)]
    assert await dispatch_leases().hold(winner, seconds=30)
    assert not any([await dispatch_leases().hold(owner, seconds=30) for owner in owners if owner != winner])


async def test_another_owner_takes_the_lease_once_it_expires(dispatch_leases):
    lease = dispatch_leases()
    assert await lease.hold("api-1", seconds=SHORT)
    await asyncio.sleep(SHORT + 0.1)
    assert await dispatch_leases().hold("api-2", seconds=30)
    assert not await lease.hold("api-1", seconds=30)


async def test_extending_the_lease_pushes_its_expiry_back(dispatch_leases):
    lease = dispatch_leases()
    assert await lease.hold("api-1", seconds=2 * SHORT)
    await asyncio.sleep(SHORT)
    assert await lease.hold("api-1", seconds=2 * SHORT)
    await asyncio.sleep(SHORT + 0.1)  # past the first term, within the second
    assert not await dispatch_leases().hold("api-2", seconds=30)


async def test_a_released_lease_is_free_at_once_and_only_its_holder_releases_it(dispatch_leases):
    lease = dispatch_leases()
    assert await lease.hold("api-1", seconds=30)
    await dispatch_leases().release("api-2")
    assert not await lease.hold("api-2", seconds=30)
    await dispatch_leases().release("api-1")
    assert await lease.hold("api-2", seconds=30)
    assert not await lease.hold("api-1", seconds=30)
    await lease.release("api-2")
    await lease.release("api-2")  # releasing twice, or a lease never held, is harmless
    assert await lease.hold("api-1", seconds=30)
