"""Customer survey answers per second under gunicorn on PostgreSQL.

Creates a throw-away database, migrates it, makes an organisation with a standing team link,
starts gunicorn (4 sync workers, DEBUG off) on a free port of 127.0.0.1, and lets concurrent
clients (threads with http.client) answer the survey for a bounded time at a few concurrency
levels. Each client first GETs the form for its CSRF cookie and token, then POSTs answers.
Prints answers/s, p50 and p99 latency of the POSTs, errors, and rows stored vs acknowledged.

    DATABASE_ADMIN_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/bench_surveys.py
"""

import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parent.parent
ADMIN_URL = os.environ.get("DATABASE_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
LEVELS = [int(n) for n in os.environ.get("BENCH_CONCURRENCY", "4,8,16").split(",")]
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
TOKEN_RE = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def psql(sql: str):
    import psycopg2

    parsed = urlparse(ADMIN_URL)
    connection = psycopg2.connect(
        host=parsed.hostname,
        port=parsed.port or 5432,
        user=parsed.username,
        password=parsed.password or None,
        dbname=parsed.path.lstrip("/") or "postgres",
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql)
    connection.close()


def database_url(name: str) -> str:
    parsed = urlparse(ADMIN_URL)
    return parsed._replace(path="/" + name).geturl()


def manage(env, *args, capture=False):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        capture_output=capture,
    )


SETUP = """
from asiakaskunto.models import Organisation, Salesperson, Team
from surveys.models import SurveyLink
org = Organisation.objects.create(name="Bench Oy")
team = Team.objects.create(organisation=org, name="Bench team")
for n in range(8):
    Salesperson.objects.create(organisation=org, team=team, name=f"Myyjä {n}")
print(SurveyLink.objects.create(organisation=org, team=team).token)
"""

COUNT = """
from asiakaskunto.models import Submission
from surveys.models import SurveyResponse
print(Submission.objects.count(), SurveyResponse.objects.count())
"""


def answer_data(client_id: int, n: int, salesperson: str) -> dict:
    # Distinct answers per post, so that the identical-repeat guard never refuses one.
    return {
        "salesperson": salesperson,
        "q_CUS1": str(1 + n % 5),
        "q_CUS2": str(1 + (n + client_id) % 5),
        "q_CUS3": str(n % 11),
        "why_CUS3": f"Vastaus {client_id}-{n}",
        "q_CSAT": "4",
        "q_CES": "5",
        "consent": "on",
    }


def client_loop(port, path, client_id, deadline, results):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    latencies, acknowledged, errors = [], 0, 0
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        cookie = response.getheader("Set-Cookie", "").split(";", 1)[0]
        token = TOKEN_RE.search(body).group(1).decode()
        salesperson = re.search(rb'<option value="(\d+)"', body).group(1).decode()
        n = 0
        while time.perf_counter() < deadline:
            n += 1
            payload = urlencode(
                {"csrfmiddlewaretoken": token, **answer_data(client_id, n, salesperson)}
            )
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookie,
                "Referer": f"http://127.0.0.1:{port}{path}",
            }
            started = time.perf_counter()
            try:
                connection.request("POST", path, payload, headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                errors += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                continue
            latencies.append(time.perf_counter() - started)
            if response.status == 302 and "/s/thanks/" in response.getheader("Location", ""):
                acknowledged += 1
            else:
                errors += 1
    finally:
        connection.close()
        results.append((latencies, acknowledged, errors))


def run_level(port, path, concurrency, seconds):
    results = []
    deadline = time.perf_counter() + seconds
    threads = [
        threading.Thread(target=client_loop, args=(port, path, i, deadline, results))
        for i in range(concurrency)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies = sorted(lat for lats, _a, _e in results for lat in lats)
    acknowledged = sum(a for _l, a, _e in results)
    errors = sum(e for _l, _a, e in results)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else 0
    return {
        "rate": acknowledged / elapsed,
        "p50": statistics.median(latencies) * 1000 if latencies else 0,
        "p99": p99 * 1000,
        "acknowledged": acknowledged,
        "errors": errors,
    }


def main():
    name = f"bench_surveys_{uuid.uuid4().hex[:8]}"
    psql(f'CREATE DATABASE "{name}"')
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(name),
        "DEBUG": "false",
        "SECRET_KEY": "bench-" + uuid.uuid4().hex * 2,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SESSION_COOKIE_SECURE": "false",
        "SURVEY_RATE_LIMIT": "0",  # every client comes from 127.0.0.1
        "STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "LOG_LEVEL": "ERROR",
    }
    server = None
    try:
        manage(env, "migrate", "--no-input", "-v0")
        token = (
            manage(env, "shell", "-v0", "-c", SETUP, capture=True).stdout.strip().splitlines()[-1]
        )
        server = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "asiakaskunto.wsgi",
                "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}",
                "--log-level", "warning",
            ],
            cwd=ROOT,
            env=env,
        )  # fmt: skip
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        path = f"/s/{token}/?lang=fi"
        run_level(port, path, 2, 1.0)  # warm up the workers and their connections
        baseline = [
            int(n) for n in manage(env, "shell", "-v0", "-c", COUNT, capture=True).stdout.split()
        ]
        print(f"gunicorn {WORKERS} sync workers, PostgreSQL, {SECONDS:.0f} s per level")
        print(
            f"{'clients':>7} {'answers/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'acknowledged':>13} {'stored':>7}"
        )
        total_ack = 0
        for level in LEVELS:
            figures = run_level(port, path, level, SECONDS)
            total_ack += figures["acknowledged"]
            submissions, responses = [
                int(n)
                for n in manage(env, "shell", "-v0", "-c", COUNT, capture=True).stdout.split()
            ]
            stored = submissions - baseline[0]
            baseline = [submissions, responses]
            print(
                f"{level:>7} {figures['rate']:>10.0f} {figures['p50']:>8.1f} {figures['p99']:>8.1f} "
                f"{figures['errors']:>7} {figures['acknowledged']:>13} {stored:>7}"
                + (
                    ""
                    if stored == figures["acknowledged"] and submissions == responses
                    else "  MISMATCH"
                )
            )
    finally:
        if server:
            server.terminate()
            server.wait(timeout=10)
        psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
