from hypothesis import given
from hypothesis import strategies as st

from domain.ordering import clamp_position, inserted, moved, positions, removed

ids = st.lists(st.text(min_size=1, max_size=4), unique=True, max_size=20)


@given(ids, st.text(min_size=1, max_size=4), st.one_of(st.none(), st.integers(-50, 50)))
def test_insert_keeps_every_item_once_and_places_the_new_one(sequence, item, position):
    result = inserted(sequence, item, position)
    assert sorted(result) == sorted({*sequence, item})
    expected_slot = clamp_position(position, len([x for x in sequence if x != item]))
    assert result.index(item) == expected_slot


@given(ids.filter(bool), st.data())
def test_move_is_a_permutation_that_puts_the_item_where_asked(sequence, data):
    item = data.draw(st.sampled_from(sequence))
    position = data.draw(st.integers(0, len(sequence) - 1))
    result = moved(sequence, item, position)
    assert sorted(result) == sorted(sequence)
    assert result.index(item) == position


@given(ids.filter(bool), st.data())
def test_remove_keeps_the_relative_order_of_the_others(sequence, data):
    item = data.draw(st.sampled_from(sequence))
    result = removed(sequence, item)
    assert result == [x for x in sequence if x != item]


@given(ids)
def test_positions_are_exactly_zero_to_n_minus_one(sequence):
    assert sorted(positions(sequence).values()) == list(range(len(sequence)))
