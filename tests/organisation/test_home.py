"""Each role's home page, with every app's panel, in a bounded number of queries."""

import pytest
from django.urls import reverse

from tests.factories import SalespersonFactory


@pytest.mark.parametrize("who", ["leader", "manager_a", "seller_a_user", "admin"])
def test_the_home_page_needs_the_same_queries_for_3_or_30_salespeople(
    org, client_for, who, django_assert_max_num_queries
):
    client = client_for(getattr(org, who))
    client.get(reverse("home"))  # warm caches (question bank, grades)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("home")).status_code == 200
    SalespersonFactory.create_batch(27, team=org.team_a)
    with django_assert_max_num_queries(len(few) + 1):  # +1: the cache of grades is new
        assert client.get(reverse("home")).status_code == 200
