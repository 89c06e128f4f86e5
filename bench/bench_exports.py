"""Benchmark of the exports on PostgreSQL: the grades table of every salesperson (CSV and
Excel) and the raw answers (CSV; Excel for one month, as Excel is capped), downloaded through
Django's test client as leadership.

    python bench/bench_exports.py                          # 1,000,000 answers, 2,000 people
    python bench/bench_exports.py --answers 100000 --people 200
    BENCH_PG=postgres://postgres@127.0.0.1:5432/postgres python bench/bench_exports.py

Builds a throw-away database (named bench_exports_<pid>) next to the one BENCH_PG points at,
migrates it, bulk-loads the organisation, teams, salespeople, submissions and answers with
COPY (the answers from bench_scoring's generator), runs the exports, and drops the database
at the end. Prints numbers; it is not a timed test.

Targets: the grades export of 2,000 salespeople ≤ 5 s (CSV and Excel, grades computed from
the database: cache cleared first); the answers CSV streams, so its peak memory should not
grow with the number of rows (compare the one-month and the full-period export).
Memory is the growth of the process's peak RSS (VmHWM, reset before each export through
/proc/self/clear_refs) — what the operating system would have to give a worker.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import io
import os
import secrets
import sys
import time
import tracemalloc
import warnings
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import numpy as np
import pandas as pd
import psycopg2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

END = datetime(2026, 11, 1, tzinfo=UTC) - timedelta(microseconds=1)


def load_generator():
    spec = importlib.util.spec_from_file_location(
        "bench_scoring", ROOT / "bench" / "bench_scoring.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@contextmanager
def throwaway_database(server_url: str):
    """CREATE a fresh database on the server, yield its URL, DROP it at the end."""
    name = f"bench_exports_{os.getpid()}"
    parts = urlsplit(server_url)
    admin = psycopg2.connect(server_url)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        from django.db import connections

        connections.close_all()
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
        print(f"dropped the database {name}")


def copy(cursor, table: str, frame: pd.DataFrame) -> None:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, header=False, na_rep="\\N")
    buffer.seek(0)
    columns = ", ".join(f'"{c}"' for c in frame.columns)
    cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer)
    cursor.execute(
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
    )


def load(answers: pd.DataFrame, *, people: int, teams: int) -> None:
    """The generated answers into the core tables with COPY, in one transaction."""
    from django.db import connection, transaction

    from asiakaskunto.models import Organisation, Question
    from asiakaskunto.questions import create_default_bank

    now = pd.Timestamp.now(tz="UTC")
    subs = answers.drop_duplicates("submission")
    with transaction.atomic(), connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # the psycopg2 cursor: copy_expert
        copy(
            cursor,
            "asiakaskunto_organisation",
            pd.DataFrame(
                {
                    "id": [1],
                    "name": ["Bench Oy"],
                    "target_level": ["ERINOMAINEN"],
                    "survey_csat": [True],
                    "survey_ces": [True],
                    "survey_free_text": [True],
                    "created_at": [now],
                }
            ),
        )
        copy(
            cursor,
            "asiakaskunto_team",
            pd.DataFrame(
                {
                    "id": np.arange(1, teams + 1),
                    "organisation_id": 1,
                    "name": [f"Tiimi {i:03d}" for i in range(1, teams + 1)],
                }
            ),
        )
        # The organisation's own question bank (COPY sends no signal), and the yes/partly/no
        # mystery-shop question the generator also asks, which the default bank lacks.
        create_default_bank(Organisation.objects.get(pk=1))
        Question.objects.get_or_create(
            organisation_id=1,
            code="MYS4",
            defaults={
                "method": "MYSTERY_SHOP",
                "area": "KNOWLEDGE",
                "scale": "YES_PARTLY_NO",
                "text_fi": "Osasiko myyjä kertoa takuuehdot?",
                "text_en": "Could the salesperson explain the warranty?",
                "position": 99,
            },
        )
        question_id = dict(Question.objects.filter(organisation_id=1).values_list("code", "id"))
        # A salesperson's team: the one of their latest submission (the generator's).
        latest = subs.dropna(subset=["salesperson"]).sort_values("answered_at")
        team_of = latest.groupby("salesperson")["team"].last()
        ids = np.arange(1, people + 1)
        copy(
            cursor,
            "asiakaskunto_salesperson",
            pd.DataFrame(
                {
                    "id": ids,
                    "organisation_id": 1,
                    "team_id": team_of.reindex(ids).fillna(1).astype(int).to_numpy(),
                    "name": [f"Myyjä {i:04d}" for i in ids],
                    "user_id": None,
                    "active": True,
                    "created_at": now,
                }
            ),
        )
        copy(
            cursor,
            "asiakaskunto_submission",
            pd.DataFrame(
                {
                    "id": subs["submission"].to_numpy(),
                    "organisation_id": 1,
                    "method": subs["method"].to_numpy(),
                    "salesperson_id": subs["salesperson"].astype("Int64").array,
                    "team_id": subs["team"].to_numpy(),
                    "answered_at": subs["answered_at"].to_numpy(),
                    "created_at": now,
                }
            ),
        )
        copy(
            cursor,
            "asiakaskunto_answer",
            pd.DataFrame(
                {
                    "id": np.arange(1, len(answers) + 1),
                    "submission_id": answers["submission"].to_numpy(),
                    "question_id": answers["question"].map(question_id).to_numpy(),
                    "method": answers["method"].to_numpy(),
                    "area": answers["area"].to_numpy(),
                    "metric": answers["metric"].to_numpy(),
                    "scale": answers["scale"].to_numpy(),
                    "value": answers["value"].astype(int).to_numpy(),
                    "why": answers["why"].to_numpy(),
                }
            ),
        )
    with connection.cursor() as cursor:
        # As a database in use would be: hint bits set, statistics fresh (outside the transaction).
        cursor.execute("VACUUM ANALYZE")


def peak_rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def current_rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def reset_peak() -> None:
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")  # resets VmHWM to the current RSS
    except OSError:
        pass


def measure(client, name: str, params: dict, *, clear_cache: bool = True, trace: bool = False):
    """Download one export; return (seconds, bytes, lines, peak memory growth MiB): the growth
    of the peak RSS, or with `trace` the tracemalloc peak of Python's allocations (slower, but
    it also sees memory that the process reuses without growing)."""
    from django.core.cache import cache
    from django.urls import reverse

    if clear_cache:
        cache.clear()
    gc.collect()
    reset_peak()
    base = current_rss_mib()
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    response = client.get(reverse(f"reports:{name}"), params, secure=True)  # HTTPS redirect on
    assert response.status_code == 200, response.status_code
    size = lines = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        lines += chunk.count(b"\n")
    response.close()
    seconds = time.perf_counter() - start
    if trace:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return seconds, size, lines, peak / 2**20
    return seconds, size, lines, peak_rss_mib() - base


def breakdown(organisation) -> None:
    """Where a cold grades export spends its time: reading the window's answers from the
    database into the engine's table (reports.services.load_answers), and grading them."""
    from reports.scoring import grade
    from reports.services import load_answers, scoring_settings_for

    as_of = datetime(2026, 10, 31, 23, 59, 59, 999999, tzinfo=UTC)
    settings = scoring_settings_for(organisation)
    start = time.perf_counter()
    frame = load_answers(
        organisation, start=as_of - timedelta(days=settings.window_days), end=as_of
    )
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    grades = grade(frame, settings=settings, as_of=as_of)
    graded = time.perf_counter() - start
    print(
        f"grades as of {as_of:%Y-%m-%d}: load_answers {loaded:.2f} s for {len(frame):,} answers "
        f"in the window, grade {graded:.2f} s for {len(grades.people):,} people"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--people", type=int, default=2_000)
    parser.add_argument("--teams", type=int, default=None, help="default: people / 20")
    parser.add_argument("--skip-answers-xlsx", action="store_true")
    args = parser.parse_args()
    teams = args.teams or max(1, args.people // 20)
    server = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres")

    with throwaway_database(server) as url:
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asiakaskunto.settings")
        os.environ["DEBUG"] = "0"  # no query log; production-like
        os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
        os.environ["ALLOWED_HOSTS"] = "testserver"
        os.environ["TIME_ZONE"] = "UTC"
        # No collectstatic here: pages name their static files without the manifest.
        os.environ["STATICFILES_STORAGE"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
        warnings.filterwarnings("ignore", "No directory at")  # no collectstatic here
        import django

        django.setup()
        from django.core.management import call_command
        from django.test import Client

        from asiakaskunto.models import Answer, Organisation, Profile, Role

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        generator = load_generator()
        answers = generator.generate(args.answers, args.people, teams, END)
        load(answers, people=args.people, teams=teams)
        n_answers = len(answers)
        del answers
        gc.collect()
        print(
            f"loaded {n_answers:,} answers, {args.people:,} salespeople, {teams} teams "
            f"with COPY in {time.perf_counter() - started:.1f} s"
        )

        from django.contrib.auth import get_user_model

        leader = get_user_model().objects.create_user("bench-leader", password=None)
        Profile.objects.create(
            user=leader, organisation=Organisation.objects.get(), role=Role.LEADERSHIP
        )
        client = Client()
        client.force_login(leader)

        period = {"start_date": "2024-11-01", "end_date": "2026-10-31"}
        month = {"start_date": "2026-10-01", "end_date": "2026-10-31"}
        in_month = Answer.objects.filter(
            submission__answered_at__gte=datetime(2026, 10, 1, tzinfo=UTC)
        ).count()

        breakdown(Organisation.objects.get())
        # A running server has served pages before: load the views, templates and catalogues
        # once (the exports page, no export), so that the first export is not charged for it.
        assert client.get("/reports/exports/", secure=True).status_code == 200
        for name in ("export_grades_csv", "export_grades_xlsx"):
            cold = measure(client, name, period)
            warm = measure(client, name, period, clear_cache=False)
            print(
                f"{name}: {cold[0]:.2f} s with the grades computed (target ≤ 5 s), "
                f"{warm[0]:.2f} s with them cached; {cold[1] / 2**10:.0f} KiB, "
                f"peak RSS +{cold[3]:.0f} MiB"
            )

        for label, params, rows in (
            ("one month", month, in_month),
            ("two years", period, n_answers),
        ):
            seconds, size, lines, memory = measure(client, "export_answers_csv", params)
            traced = measure(client, "export_answers_csv", params, trace=True)[3]
            print(
                f"export_answers_csv, {label}: {rows:,} answers in {seconds:.2f} s "
                f"({rows / max(seconds, 1e-9):,.0f} rows/s), {size / 2**20:.0f} MiB, "
                f"{lines - 1:,} lines; peak RSS +{memory:.0f} MiB, Python allocations peak "
                f"{traced:.1f} MiB (tracemalloc, separate run)"
            )
        if not args.skip_answers_xlsx:
            from reports.exports import XLSX_MAX_ANSWERS

            if in_month <= XLSX_MAX_ANSWERS:
                seconds, size, _, memory = measure(client, "export_answers_xlsx", month)
                print(
                    f"export_answers_xlsx, one month: {in_month:,} answers in {seconds:.2f} s "
                    f"({in_month / max(seconds, 1e-9):,.0f} rows/s), {size / 2**20:.1f} MiB, "
                    f"peak RSS +{memory:.0f} MiB (Excel is limited to {XLSX_MAX_ANSWERS:,} answers)"
                )


if __name__ == "__main__":
    main()
