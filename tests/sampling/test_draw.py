"""The draw: N per salesperson at random, the same again from the same seed whatever the order
of the rows; one customer once; recently asked customers left out."""

import random
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from sampling.customer_list import Purchase
from sampling.draw import draw


def purchase(row, customer, salesperson, day=1):
    return Purchase(
        row=row,
        email=f"{customer}@example.com",
        phone="",
        salesperson_id=salesperson,
        purchased_on=date(2026, 11, day),
    )


LIST = [purchase(n, f"c{n}", 1 + n % 3) for n in range(2, 62)]


def picks(result):
    return {person: sorted(p.customer for p in chosen) for person, chosen in result.chosen.items()}


def never(_purchase):
    return False


def test_it_draws_n_per_salesperson():
    result = draw(LIST, per_salesperson=4, seed=7, asked_recently=never)
    assert {person: len(chosen) for person, chosen in result.chosen.items()} == {1: 4, 2: 4, 3: 4}
    assert result.drawn == 12 and result.customers == 60


def test_the_same_seed_gives_the_same_customers_in_any_row_order():
    first = draw(LIST, per_salesperson=4, seed=7, asked_recently=never)
    shuffled = LIST[:]
    random.Random(3).shuffle(shuffled)
    assert picks(draw(shuffled, per_salesperson=4, seed=7, asked_recently=never)) == picks(first)
    assert picks(draw(LIST, per_salesperson=4, seed=8, asked_recently=never)) != picks(first)


def test_one_salespersons_draw_does_not_depend_on_the_others():
    alone = [p for p in LIST if p.salesperson_id == 2]
    together = draw(LIST, per_salesperson=3, seed=11, asked_recently=never)
    assert (
        picks(draw(alone, per_salesperson=3, seed=11, asked_recently=never))[2]
        == picks(together)[2]
    )


def test_a_customer_on_several_rows_counts_once_for_their_latest_purchase():
    rows = [purchase(2, "same", 1, day=3), purchase(3, "same", 2, day=9), purchase(4, "x", 1)]
    result = draw(rows, per_salesperson=5, seed=1, asked_recently=never)
    assert result.customers == 2
    assert picks(result) == {1: ["x@example.com"], 2: ["same@example.com"]}


def test_recently_asked_customers_are_left_out_and_counted():
    result = draw(
        LIST[:6], per_salesperson=5, seed=1, asked_recently=lambda p: p.customer.startswith("c2")
    )
    assert result.asked_recently == 1 and result.drawn == 5
    assert "c2@example.com" not in {p.customer for chosen in result.chosen.values() for p in chosen}


def test_fewer_candidates_than_n_are_all_drawn():
    result = draw(LIST[:2], per_salesperson=10, seed=5, asked_recently=never)
    assert result.drawn == 2


@given(seed=st.integers(min_value=0, max_value=10**15), n=st.integers(min_value=1, max_value=25))
def test_every_pick_comes_from_the_salespersons_own_customers(seed, n):
    result = draw(LIST, per_salesperson=n, seed=seed, asked_recently=never)
    for person, chosen in result.chosen.items():
        assert len(chosen) == min(n, 20)
        assert len({p.customer for p in chosen}) == len(chosen)
        assert all(p.salesperson_id == person for p in chosen)
