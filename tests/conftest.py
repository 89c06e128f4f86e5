"""The shared cast every test can use: one organisation, two teams with a manager each,
leadership, a salesperson with a login in each team, and an admin."""

import os
from types import SimpleNamespace

import pytest

from asiakaskunto.models import Role
from tests.factories import (
    OrganisationFactory,
    SalespersonFactory,
    TeamFactory,
    UserFactory,
    make_user,
)


def pytest_configure(config):
    from django.conf import settings

    # A fast hasher: the tests create many users, and real hashing is slow by design.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path_factory):
    """Uploaded files (evidence photos) of a test land in a folder of their own."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture
def org(db):
    organisation = OrganisationFactory(name="Testikauppa Oy")
    leader = make_user(organisation, Role.LEADERSHIP, username="leader")
    manager_a = make_user(organisation, Role.MANAGER, username="manager_a")
    manager_b = make_user(organisation, Role.MANAGER, username="manager_b")
    team_a = TeamFactory(organisation=organisation, name="Team A", managers=[manager_a])
    team_b = TeamFactory(organisation=organisation, name="Team B", managers=[manager_b])
    seller_a_user = make_user(organisation, Role.SALESPERSON, username="seller_a")
    seller_b_user = make_user(organisation, Role.SALESPERSON, username="seller_b")
    seller_a = SalespersonFactory(team=team_a, name="Aino Seller", user=seller_a_user)
    seller_b = SalespersonFactory(team=team_b, name="Bertta Seller", user=seller_b_user)
    colleague_a = SalespersonFactory(team=team_a, name="Cecilia Colleague")
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    return SimpleNamespace(
        organisation=organisation,
        leader=leader,
        manager_a=manager_a,
        manager_b=manager_b,
        team_a=team_a,
        team_b=team_b,
        seller_a_user=seller_a_user,
        seller_b_user=seller_b_user,
        seller_a=seller_a,
        seller_b=seller_b,
        colleague_a=colleague_a,
        admin=admin,
    )


@pytest.fixture
def client_for(client):
    """``client_for(user)``: the test client logged in as that user (None: anonymous)."""

    def login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return login


@pytest.fixture(autouse=True)
def _finnish_and_fresh_cache(request, settings):
    settings.LANGUAGE_CODE = "fi"
    from django.core.cache import caches
    from django.core.cache.backends.db import BaseDatabaseCache

    for alias in settings.CACHES:
        if isinstance(caches[alias], BaseDatabaseCache):
            if not _uses_database(request):
                continue  # a table: nothing to clear without a database
            request.getfixturevalue("db")
        caches[alias].clear()
        # The database cache culls on every CULL_EVERY-th write of the process: start each
        # test at zero, so that whether a cull (two more queries) falls inside a test's query
        # count does not depend on the tests that ran before it.
        if hasattr(caches[alias], "_writes"):
            caches[alias]._writes = 0


def _uses_database(request) -> bool:
    return request.node.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db", "django_db_setup"} & set(request.fixturenames)
    )


# Browser tests: Debian's chromium, never a downloaded browser.
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def screenshot_dir():
    from pathlib import Path

    path = Path(os.environ.get("SCREENSHOT_DIR", "artifacts/screenshots"))
    path.mkdir(parents=True, exist_ok=True)
    return path
