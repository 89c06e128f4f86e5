"""The random draw: N customers per salesperson from a list of purchases, repeatable from its
seed. Pure Python (no database, no clock): the same purchases, seed and exclusions always give
the same customers, whatever the order of the rows in the file."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .customer_list import Purchase


@dataclass
class Draw:
    """What the draw chose: {salesperson id: [purchases]}, and what it counted."""

    chosen: dict[int, list[Purchase]] = field(default_factory=dict)
    customers: int = 0  # different customers in the list
    asked_recently: int = 0  # left out: asked within the period

    @property
    def drawn(self) -> int:
        return sum(len(picks) for picks in self.chosen.values())


def draw(
    purchases: Iterable[Purchase],
    *,
    per_salesperson: int,
    seed: int,
    asked_recently: Callable[[Purchase], bool],
) -> Draw:
    """Up to ``per_salesperson`` customers at random for each salesperson.

    - A customer is their e-mail, else their phone. A customer on several rows counts once, for
      the salesperson of their latest purchase (the earliest row of that day on a tie), so
      nobody is asked twice by one batch.
    - Customers for whom ``asked_recently`` holds are left out (and counted).
    - Each salesperson's candidates are put in one fixed order (by customer), and drawn with
      ``random.Random(f"{seed}-{salesperson id}")``: the draw for one salesperson does not
      depend on anyone else's, nor on the order of the file.
    """
    latest: dict[str, Purchase] = {}
    for purchase in purchases:
        known = latest.get(purchase.customer)
        if known is None or (purchase.purchased_on, -purchase.row) > (
            known.purchased_on,
            -known.row,
        ):
            latest[purchase.customer] = purchase
    result = Draw(customers=len(latest))
    candidates: dict[int, list[Purchase]] = {}
    for customer in sorted(latest):
        purchase = latest[customer]
        if asked_recently(purchase):
            result.asked_recently += 1
            continue
        candidates.setdefault(purchase.salesperson_id, []).append(purchase)
    for salesperson_id in sorted(candidates):
        pool = candidates[salesperson_id]
        rng = random.Random(f"{seed}-{salesperson_id}")
        result.chosen[salesperson_id] = rng.sample(pool, min(per_salesperson, len(pool)))
    return result
