"""Benchmark of the leadership dashboard on PostgreSQL: a script that prints numbers.

    python bench/bench_dashboard.py                          # 1,000,000 answers, 2,000 people
    python bench/bench_dashboard.py --answers 100000 --people 200

Creates a throw-away PostgreSQL database (``--db-url``, default postgres@127.0.0.1), migrates
it, bulk-loads the generated answers of bench_scoring.py with COPY (organisation, teams,
salespeople, submissions, answers), then measures with Django's test client logged in as
leadership: the page's server time with the cache empty (cold) and filled (warm; target
≤ 300 ms), its SQL queries, its weight (HTML, and the figures' JSON inside it; target ≤ 1.5 MB
for 2,000 salespeople), ``load_answers`` for all rows (seconds and MB) and ``grades_for`` cold.
Drops the database at the end (``--keep`` keeps it).
"""

from __future__ import annotations

import argparse
import io
import os
import re
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"
DB_NAME = "asiakaskunto_bench_dashboard"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--people", type=int, default=2_000)
    parser.add_argument("--teams", type=int, default=None, help="default: people / 20")
    parser.add_argument("--server", default=DEFAULT_SERVER, help="PostgreSQL server URL")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--warm-runs", type=int, default=5)
    return parser.parse_args()


def recreate_database(server: str, name: str, *, drop_only: bool = False) -> None:
    import psycopg2

    connection = psycopg2.connect(f"{server}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def copy_frame(cursor, table: str, frame) -> None:
    """COPY a DataFrame into a table (CSV; NULL written as \\N, empty strings stay empty)."""
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, header=False, na_rep="\\N")
    buffer.seek(0)
    columns = ", ".join(frame.columns)
    cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer)


def load(n_answers: int, n_people: int, n_teams: int):
    """Generate and bulk-load the data; return (organisation, leadership user)."""
    import numpy as np
    import pandas as pd
    from bench_scoring import generate
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from asiakaskunto.models import Organisation, Profile, Question, Role, Salesperson, Team

    end = timezone.now()
    started = time.perf_counter()
    answers = generate(n_answers, n_people, n_teams, end)
    print(f"generated {len(answers):,} answers in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    organisation = Organisation.objects.create(name="Bench Oy")
    user = get_user_model().objects.create_user("bench-leader", password="bench-password-1")
    Profile.objects.create(user=user, organisation=organisation, role=Role.LEADERSHIP)
    # The generator's extra yes/partly/no mystery-shop question, absent from the default bank.
    Question.objects.get_or_create(
        code="MYS4",
        defaults={
            "method": "MYSTERY_SHOP",
            "area": "KNOWLEDGE",
            "scale": "YES_PARTLY_NO",
            "text_fi": "Osasiko myyjä kertoa takuuehdot?",
            "text_en": "Could the salesperson explain the warranty terms?",
            "position": 99,
        },
    )
    teams = Team.objects.bulk_create(
        Team(organisation=organisation, name=f"Tiimi {i + 1:03d}") for i in range(n_teams)
    )
    team_ids = np.array([t.pk for t in teams])
    # A salesperson's current team: the team of their latest answer (the generator's mover).
    latest = answers.sort_values("answered_at").groupby("salesperson")["team"].last()
    people = Salesperson.objects.bulk_create(
        Salesperson(
            organisation=organisation,
            team=teams[int(latest.get(i + 1, 1)) - 1],
            name=f"Myyjä {i + 1:04d}",
        )
        for i in range(n_people)
    )
    people_ids = np.array([p.pk for p in people])
    question_ids = dict(Question.objects.values_list("code", "pk"))

    first = answers.drop_duplicates("submission")
    with connection.cursor() as cursor:
        id_base = 0
        submissions = pd.DataFrame(
            {
                "id": first["submission"].to_numpy() + id_base,
                "organisation_id": organisation.pk,
                "method": first["method"].to_numpy(),
                "salesperson_id": salesperson_ids(first["salesperson"], people_ids),
                "team_id": team_ids[first["team"].to_numpy() - 1],
                "answered_at": first["answered_at"].to_numpy(),
                "created_at": first["answered_at"].to_numpy(),
            }
        )
        submissions["answered_at"] = pd.to_datetime(submissions["answered_at"], utc=True)
        submissions["created_at"] = submissions["answered_at"]
        with transaction.atomic():
            copy_frame(cursor, "asiakaskunto_submission", submissions)
            rows = pd.DataFrame(
                {
                    "submission_id": answers["submission"].to_numpy() + id_base,
                    "question_id": answers["question"].map(question_ids).to_numpy(),
                    "method": answers["method"].to_numpy(),
                    "area": answers["area"].to_numpy(),
                    "metric": answers["metric"].to_numpy(),
                    "scale": answers["scale"].to_numpy(),
                    "value": answers["value"].to_numpy().astype(int),
                    "why": answers["why"].to_numpy(),
                }
            )
            copy_frame(cursor, "asiakaskunto_answer", rows)
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('asiakaskunto_submission', 'id'), "
            "(SELECT MAX(id) FROM asiakaskunto_submission))"
        )
        cursor.execute("ANALYZE")
    print(
        f"loaded {len(submissions):,} submissions and {len(rows):,} answers of {n_people:,} "
        f"salespeople in {n_teams} teams with COPY in {time.perf_counter() - started:.1f} s"
    )
    return organisation, user


def salesperson_ids(generated, people_ids):
    """The database ids of the generated salespeople 1…n (NA: a survey through a team link)."""
    import pandas as pd

    out = pd.array([pd.NA] * len(generated), dtype="Int64")
    known = generated.notna().to_numpy()
    out[known] = people_ids[generated[known].astype("int64").to_numpy() - 1]
    return out


def figure_bytes(html: str) -> int:
    return sum(
        len(m.encode())
        for m in re.findall(
            r'<script id="chart-[^"]*" type="application/json">(.*?)</script>', html, re.S
        )
    )


def measure(organisation, user, warm_runs: int) -> None:
    from datetime import timedelta

    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from reports.services import grades_for, load_answers

    # The database read into the engine's table: every answer of the two years.
    now = timezone.now()
    timings = []
    for _ in range(2):
        started = time.perf_counter()
        frame = load_answers(organisation, start=now - timedelta(days=800), end=now)
        timings.append(time.perf_counter() - started)
    megabytes = frame.memory_usage(deep=True).sum() / 2**20
    print(
        f"load_answers: {len(frame):,} rows in {timings[0]:.2f} s first, {min(timings):.2f} s "
        f"best of 2; the table holds {megabytes:.0f} MiB (pandas, deep)"
    )
    del frame

    cache.clear()
    started = time.perf_counter()
    grades = grades_for(organisation)
    print(
        f"grades_for cold (365-day window read + grade): {time.perf_counter() - started:.2f} s; "
        f"{len(grades.people):,} people, {len(grades.teams)} teams graded"
    )

    client = Client()
    client.force_login(user)
    url = "/reports/"

    def get(path):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path)
            elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.status_code
        return elapsed, len(queries), response.content.decode()

    import reports.services as services

    reads = []
    read_answers = services.load_answers
    services.load_answers = lambda *args, **kwargs: reads.append(1) or read_answers(*args, **kwargs)
    cache.clear()
    cold, cold_queries, html = get(url)
    print(
        f"dashboard cold (cache empty): {cold * 1000:.0f} ms, {cold_queries} SQL queries in "
        f"Django's log, plus {len(reads)} read(s) of the answers with COPY that the log does not "
        "see (shared by the grades now, at the previous month's end and the 12-month trend)"
    )
    services.load_answers = read_answers
    warm = [get(url) for _ in range(warm_runs)]
    times = [w[0] * 1000 for w in warm]
    print(
        f"dashboard warm: median {statistics.median(times):.0f} ms, best {min(times):.0f} ms "
        f"of {warm_runs} (target ≤ 300 ms), {warm[-1][1]} SQL queries"
    )
    print(
        f"dashboard page weight: {len(html.encode()) / 1024:.0f} KiB HTML, of which "
        f"{figure_bytes(html) / 1024:.0f} KiB figures' JSON (target ≤ 1.5 MB); plotly.js is a "
        "separate cached static file"
    )
    for label, path in (
        ("24-month trend", f"{url}?months=24"),
        ("sorted by name, page 20", f"{url}?sort=name&page=20"),
        ("one team", f"{url}teams/{grades.teams and next(iter(grades.teams))}/"),
    ):
        get(path)  # fill the cache for this variant
        elapsed, queries, page = get(path)
        print(
            f"  {label}: warm {elapsed * 1000:.0f} ms, {queries} queries, "
            f"{len(page.encode()) / 1024:.0f} KiB"
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10
    print(f"process max RSS: {rss:.0f} MiB")


def main() -> None:
    args = parse_args()
    teams = args.teams or max(1, args.people // 20)
    os.environ["DATABASE_URL"] = f"{args.server}/{DB_NAME}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asiakaskunto.settings")
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ.pop("REDIS_URL", None)  # the local-memory cache, as in development
    recreate_database(args.server, DB_NAME)
    try:
        import django

        django.setup()
        from django.core.management import call_command

        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        print(f"migrated {DB_NAME} in {time.perf_counter() - started:.1f} s")
        organisation, user = load(args.answers, args.people, teams)
        measure(organisation, user, args.warm_runs)
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            recreate_database(args.server, DB_NAME, drop_only=True)
            print(f"dropped {DB_NAME}")


if __name__ == "__main__":
    main()
