"""The Listing port, on the fake and on Mongo: every listing a repository or the job store hands out pages
through one order, ties by id (each page is the slice of the whole at its skip and limit), and counts what it
lists."""

from application.ports.job_store import JobFilter
from domain.queue_job import JobStatus
from tests.contract.test_job_store import _catalogue
from tests.contract.test_named_finders import ids, stored, workflow
from tests.contract.test_repository import project

PAGES = [(skip, limit) for skip in range(8) for limit in (1, 2, 3, None)]


async def assert_pages_slice_the_whole(listing, expected: list[str]) -> None:
    assert ids(await listing.items()) == expected
    assert await listing.total() == len(expected)
    for skip, limit in PAGES:
        end = None if limit is None else skip + limit
        assert ids(await listing.items(skip=skip, limit=limit)) == expected[skip:end], (skip, limit)


async def test_repository_listings_page_through_their_order_and_count_it(backend):
    await stored(backend, projects=[project(f"p{n}", minutes=n % 3) for n in range(6)],
                 workflows=[workflow(f"w{n}", f"flow {5 - n}") for n in range(5)])
    async with backend.new_uow() as uow:
        await assert_pages_slice_the_whole(uow.projects.listed(), ["p2", "p5", "p1", "p4", "p0", "p3"])
        await assert_pages_slice_the_whole(uow.workflows.listed(), ["w4", "w3", "w2", "w1", "w0"])


async def test_an_empty_listing_has_no_pages_and_counts_nothing(backend):
    async with backend.new_uow() as uow:
        await assert_pages_slice_the_whole(uow.projects.listed(), [])
        await assert_pages_slice_the_whole(uow.characters.listed("nobody"), [])


async def test_job_listings_page_through_their_filter_newest_first(job_store):
    await _catalogue(job_store)
    await assert_pages_slice_the_whole(job_store.listed(JobFilter()), ["f", "d", "b", "c", "a", "e"])
    await assert_pages_slice_the_whole(job_store.listed(JobFilter(project_id="p1")), ["f", "b", "c", "a"])
    await assert_pages_slice_the_whole(job_store.listed(JobFilter(status=JobStatus.PENDING)), ["d", "a"])
