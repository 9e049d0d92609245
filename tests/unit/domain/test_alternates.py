from attrs import define
from hypothesis import given
from hypothesis import strategies as st

from domain.alternates import next_alternate_number, promoted, renumbered


@define(frozen=True)
class Take:
    id: str
    alternate_number: int
    parent_id: str | None = "parent"


numbers = st.lists(st.integers(1, 1000), unique=True, max_size=15)


def takes(values: list[int]) -> list[Take]:
    return [Take(id=f"t{n}", alternate_number=n) for n in values]


@given(numbers)
def test_renumbering_gives_one_to_k_in_the_same_relative_order(values):
    items = takes(values)
    changed = {item.id: item for item in renumbered(items)}
    final = sorted((changed.get(item.id, item) for item in items), key=lambda item: item.alternate_number)
    assert [item.alternate_number for item in final] == list(range(1, len(items) + 1))
    assert [item.id for item in final] == [item.id for item in sorted(items, key=lambda i: i.alternate_number)]


@given(numbers)
def test_next_number_is_above_every_sibling(values):
    assert next_alternate_number(takes(values)) == max(values, default=0) + 1


@given(numbers.filter(bool))
def test_promotion_makes_the_first_alternate_the_parent_of_the_others(values):
    result = promoted(takes(values), parent_field="parent_id")
    heir, *adopted = result
    assert heir.id == f"t{min(values)}"
    assert (heir.parent_id, heir.alternate_number) == (None, 0)
    assert all(item.parent_id == heir.id for item in adopted)
    assert [item.alternate_number for item in adopted] == list(range(1, len(values)))


def test_promoting_nothing_changes_nothing():
    assert promoted([], parent_field="parent_id") == []
