"""Customer survey answers per second under gunicorn on PostgreSQL.

Creates a throw-away database, migrates it, makes an organisation with a standing team link,
starts gunicorn (BENCH_WORKERS sync workers, DEBUG off) on a free port of 127.0.0.1, and lets
concurrent clients answer the survey for BENCH_SECONDS at each of the BENCH_CONCURRENCY levels.
Prints answers/s, p50 and p99 latency of the POSTs, errors, and rows stored vs acknowledged
(counted in the database after each level; they must be equal, with no errors).

Load generator: wrk when it is installed (`apt-get install wrk`; BENCH_LOADGEN=python forces the
fallback). The script GETs the form once for a CSRF cookie and token; wrk (2 threads, one
connection per client) then POSTs distinct answers with them through bench/survey_post.lua,
which counts the acknowledged answers (302 to /s/thanks/) and everything else as errors, and
lets the POSTs in flight finish when the window closes. Without wrk, Python threads with
http.client do the same (each GETs its own token first); they share the 2 cores with the server
and understate it.

Also printed: the CPU time per acknowledged answer of the app (gunicorn and its workers) and of
PostgreSQL (all its processes), read from /proc. Latency on this shared 2-core machine moves by
up to 30 % from run to run with the host's speed (a plain Python loop varies as much); the CPU
per answer tells a change in the code from a change in the machine.

Without BENCH_REDIS_URL the shared cache (link stamps, rate counters) is a table in the
benchmark's database (one query per read, two per increment) and the default cache each worker's
memory; with it both are Redis (every cache operation is then a round trip).

Where the time went (2026-12-01, wrk, 10 s per level): the server is CPU-bound, so with clients
that post back to back the latency is about clients / throughput. Storing an answer through the
ORM (four INSERTs in a transaction), building the survey form's fields and a SELECT 1 health
check per request cost about 11 ms of CPU per answer (~170 answers/s). Now: one SQL statement
on PostgreSQL (surveys/one_statement.py) without a transaction around it, the form's fields
built once per process, a health check that reads the socket (asiakaskunto/db/postgresql),
three cache operations instead of seven: about 3-4 ms of app CPU and 1.1-1.5 ms of database
CPU per answer, 350-460 answers/s. Then (second session of 2026-12-01): a standing link built
once per process under a stamp in the cache instead of unpickled per request, the heap of each
server process frozen after start (asiakaskunto/wsgi.py; full collections had taken 110-145 ms,
in every worker at the same moment): about 2.0-2.5 ms of app CPU and 0.8-1.0 ms of database
CPU, 550-650 answers/s.

At 32 clients the p99 stayed at 115-140 ms while the p50 fell from about 60 to 45-55 ms: the
answers completed per 50 ms drop to a third for 50-150 ms every one to three seconds, with every
worker runnable. The cause is the host: a fixed 0.2 ms computation, repeated every 10 ms by a
SCHED_FIFO process (no other process of this machine can delay it), takes 2-3 ms in about 3 % of the
samples, on an idle machine as under the load, and in every dip. With 32 answers queued, each
such slow spell adds its length to all of them. Ruled out by measurement as well: the garbage
collector (frozen; logged), PostgreSQL (its log showed no statement over 25 ms; synchronous_commit
off changed nothing; fdatasync p99 5 ms under the load; autovacuum is off here), the load
generator (wrk at nice -10, with one thread or without its delay() gave the same), gunicorn 27's
lingering close after each response (util.close_graceful, 0.6 ms on average; a plain close gave
the same), the in-memory cache (Redis as the cache gave the same).

Workers (BENCH_WORKERS, default 4): 2, 3 and 4 sync workers tie within the run-to-run noise at
32 clients (2026-12-01; earlier, with the slower path, 6 was worse); 4 stays the default.
BENCH_GUNICORN_ARGS adds arguments to gunicorn: gthread workers with keep-alive
("--worker-class gthread --threads 2 --keep-alive 5") were worse, p99 170-300 ms at 16 clients
against 66-84 ms for sync workers (threads of one process take turns unevenly at the GIL);
with one thread and keep-alive, p99 119 ms at 16 clients and 194 ms at 32 (each connection stays
with the worker that accepted it, and some workers get more of them).

    DATABASE_ADMIN_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/bench_surveys.py
"""

import http.client
import os
import re
import shutil
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
LEVELS = [int(n) for n in os.environ.get("BENCH_CONCURRENCY", "4,8,16,32").split(",")]
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
WRK = None if os.environ.get("BENCH_LOADGEN") == "python" else shutil.which("wrk")
LUA_SCRIPT = ROOT / "bench" / "survey_post.lua"
DRAIN_SECONDS = 3  # wrk runs this much longer than the window; POSTs in flight finish in it
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


def run_level_threads(port, path, concurrency, seconds, run):
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


def form_credentials(port, path):
    """One GET of the form: its CSRF cookie, token and the first salesperson's id."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        cookie = response.getheader("Set-Cookie", "").split(";", 1)[0]
    finally:
        connection.close()
    token = TOKEN_RE.search(body).group(1).decode()
    salesperson = re.search(rb'<option value="(\d+)"', body).group(1).decode()
    return cookie, token, salesperson


def wait_until_answering(port, path, seconds=120.0):
    """Until the form answers 200: the port opens before the workers have imported the app,
    which takes over 10 s on a busy machine (the load generators' own timeouts are short)."""
    deadline = time.monotonic() + seconds
    last = None
    while time.monotonic() < deadline:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=seconds)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                return
            last = response.status
        except (OSError, http.client.HTTPException) as error:
            last = error
        finally:
            connection.close()
        time.sleep(0.5)
    raise RuntimeError(f"the survey form did not answer 200 in {seconds:.0f} s: {last!r}")


def cpu_seconds(server_pid: int) -> tuple[float, float]:
    """CPU time used so far by the app (gunicorn and its workers) and by PostgreSQL (every
    process named postgres), from /proc; (0, 0) where there is no /proc."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    app = database = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        pid = int(stat.parent.name)
        name = text[text.index("(") + 1 : text.rindex(")")]
        fields = text[text.rindex(")") + 2 :].split()
        used = (int(fields[11]) + int(fields[12])) / tick  # utime + stime
        if pid == server_pid or int(fields[1]) == server_pid:
            app += used
        elif name == "postgres" or name.startswith("postgres:"):
            database += used
    return app, database


def run_level_wrk(port, path, concurrency, seconds, run):
    cookie, token, salesperson = form_credentials(port, path)
    env = {
        **os.environ,
        "BENCH_PATH": path,
        "BENCH_HOST": f"127.0.0.1:{port}",
        "BENCH_COOKIE": cookie,
        "BENCH_TOKEN": token,
        "BENCH_SALESPERSON": salesperson,
        "BENCH_RUN": str(run),
        "BENCH_SECONDS": str(seconds),
    }
    threads = min(2, concurrency)
    output = subprocess.run(
        [
            WRK, "-t", str(threads), "-c", str(concurrency),
            "-d", f"{seconds + DRAIN_SECONDS:.0f}s", "--timeout", "2s",
            "-s", str(LUA_SCRIPT), f"http://127.0.0.1:{port}{path}",
        ],
        env=env,
        check=True,
        text=True,
        capture_output=True,
    ).stdout  # fmt: skip
    if os.environ.get("BENCH_DEBUG"):
        print(output)
    match = re.search(r"^BENCH_RESULT (.*)$", output, re.MULTILINE)
    if not match:
        raise RuntimeError("wrk printed no BENCH_RESULT line:\n" + output)
    result = {key: float(value) for key, value in (p.split("=") for p in match.group(1).split())}
    # A POST sent but never answered is neither acknowledged nor an error in the Lua counts.
    # wrk builds one request more than it sends (it checks the script's request() at start).
    unanswered = max(0, int(result["sent"] - result["responses"]) - 1)
    return {
        "rate": result["acknowledged"] / result["elapsed_s"],
        "p50": result["p50_us"] / 1000,
        "p99": result["p99_us"] / 1000,
        "acknowledged": int(result["acknowledged"]),
        "errors": int(result["errors"] + result["socket_errors"]) + unanswered,
    }


run_level = run_level_wrk if WRK else run_level_threads


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
        # The shared cache of a deployment with several app processes (default: each
        # worker's own memory, as with a single app server).
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", ""),
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
                "--log-level", "warning", *os.environ.get("BENCH_GUNICORN_ARGS", "").split(),
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
        wait_until_answering(port, path)
        run_level(port, path, 2, 1.0, "warm")  # warm up the workers and their connections
        baseline = [
            int(n) for n in manage(env, "shell", "-v0", "-c", COUNT, capture=True).stdout.split()
        ]
        generator = (
            f"wrk ({WRK}, 2 threads)"
            if WRK
            else "Python threads (wrk not found or BENCH_LOADGEN=python)"
        )
        print(
            f"gunicorn {WORKERS} sync workers, PostgreSQL, {SECONDS:.0f} s per level, "
            f"load from {generator}"
        )
        print(
            f"{'clients':>7} {'answers/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'acknowledged':>13} {'stored':>7}"
            f" {'app CPU ms':>11} {'db CPU ms':>10}"
        )
        total_ack = 0
        for level in LEVELS:
            cpu_before = cpu_seconds(server.pid)
            figures = run_level(port, path, level, SECONDS, level)
            cpu_after = cpu_seconds(server.pid)
            answered = max(1, figures["acknowledged"])
            app_ms, db_ms = (
                (after - before) * 1000 / answered
                for before, after in zip(cpu_before, cpu_after, strict=True)
            )
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
                f" {app_ms:>11.2f} {db_ms:>10.2f}"
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
