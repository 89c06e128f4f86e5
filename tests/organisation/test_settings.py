from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from asiakaskunto.settings import DEVELOPMENT_SECRET_KEY, check_secret_key, parse_database_url


def test_it_defaults_to_a_sqlite_file_in_the_project_folder():
    config = parse_database_url(None, base_dir=Path("/srv/app"))
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == "/srv/app/db.sqlite3"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_it_reads_an_absolute_sqlite_path():
    assert parse_database_url("sqlite:////tmp/x.db")["NAME"] == "/tmp/x.db"


def test_it_switches_to_postgresql_with_a_postgres_url():
    config = parse_database_url("postgres://alice:s%40cret@db.example:6543/asiakas?sslmode=require")
    assert config["ENGINE"] == "asiakaskunto.db.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"]) == ("asiakas", "alice", "s@cret")
    assert (config["HOST"], config["PORT"]) == ("db.example", "6543")
    assert config["OPTIONS"] == {"sslmode": "require"}
    assert config["CONN_HEALTH_CHECKS"] is True


def test_it_accepts_the_postgresql_scheme_too():
    assert (
        parse_database_url("postgresql://root@127.0.0.1/test")["ENGINE"]
        == "asiakaskunto.db.postgresql"
    )


def test_it_rejects_an_unknown_scheme():
    with pytest.raises(ImproperlyConfigured):
        parse_database_url("mysql://root@localhost/x")


def test_it_refuses_the_development_secret_when_debug_is_off():
    with pytest.raises(ImproperlyConfigured):
        check_secret_key(DEVELOPMENT_SECRET_KEY, debug=False)
    with pytest.raises(ImproperlyConfigured):
        check_secret_key("", debug=False)


def test_it_allows_the_development_secret_in_debug_and_a_real_one_in_production():
    assert check_secret_key(DEVELOPMENT_SECRET_KEY, debug=True) == DEVELOPMENT_SECRET_KEY
    strong = "Yb3Jm9QzT1vXr7Lk2PdW8sFh5NcG0aUe4RyK6tBn-iO_pVwHqZxE3MjLgD9fA2sCu"
    assert check_secret_key(strong, debug=False) == strong


def test_production_settings_pass_the_deploy_check(tmp_path):
    """With the README's deploy environment, ``manage.py check --deploy`` reports no warnings."""
    import os
    import subprocess
    import sys

    env = {
        **{key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "false",
        "SECRET_KEY": "Yb3Jm9QzT1vXr7Lk2PdW8sFh5NcG0aUe4RyK6tBn-iO_pVwHqZxE3MjLgD9fA2sCu",
        "ALLOWED_HOSTS": "asiakaskunto.example",
        "SITE_URL": "https://asiakaskunto.example",
        "DATABASE_URL": f"sqlite:///{tmp_path}/deploy.db",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.example",
        # The README's deploy section sets these too.
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "BEHIND_PROXY": "true",
        "FORWARDED_ALLOW_IPS": "127.0.0.1",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_default_cache_keeps_what_a_busy_survey_writes(db):
    """The shared cache without REDIS_URL must not throw away a repeat guard, or the link just
    read, when thousands of answers have each written a guard of their own."""
    from django.core.cache import caches

    from asiakaskunto import settings as project_settings

    if project_settings.REDIS_URL:
        pytest.skip("the project runs on Redis here")
    cache = caches["shared"]
    cache.add("guard:first-answer", 1, timeout=60)
    for n in range(2000):
        cache.add(f"guard:{n}", 1, timeout=60)
    assert cache.get("guard:first-answer") == 1
    assert cache.get("guard:0") == 1


@pytest.mark.parametrize(
    "weak",
    [
        "django-insecure-" + "q8#Lx2!vR9@pT4$wN7%zK1^mB6&cF3*hJ5(dG0)yS" * 2,
        "Zq9!vT3#pL8@wX2$mN5%rB7^",  # random but short
        "ab" * 40,  # long, two different characters
        "abcde" * 12,  # long, five different characters, one piece repeated
        "Zq9!vT3#pL8@wX2$" * 5,  # a random piece repeated
    ],
)
def test_it_refuses_a_weak_secret_when_debug_is_off(weak):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        check_secret_key(weak, debug=False)
    assert check_secret_key(weak, debug=True) == weak


def test_it_accepts_a_key_made_as_the_readme_says():
    import secrets

    for _ in range(20):
        key = secrets.token_urlsafe(50)
        assert check_secret_key(key, debug=False) == key
