"""The web workspace under load: 20 concurrent clients against `problemspace serve`, 1,000,000
evidence items.

For each database: a fresh database filled by a real `problemspace import` of the benchmark
CSV (bench/import/make_csv.py), problems over all of it (problems_fixture.py: each item in the
problem of the phrase it starts with, scored by the real scoring code), a signed-in viewer,
and the production server (gunicorn, default workers, no job worker). Then wrk, a separate
process, keeps 20 connections busy on one page at a time for a fixed duration and reports
latency percentiles as the client saw them (queueing included) and the server's own time per
request (its Server-Timing header). Pages: the dashboard, the inbox (first and deep pages,
each filter, words that match much and nothing), the problems list, the largest problem's
page, search, and an account.

    .venv/bin/python bench/web/load.py [--rows N] [--databases sqlite,postgres]
                                       [--seconds 15] [--clients 20] [--pages 'dashboard;...']

Needs wrk (`apt-get install wrk`). Only ever targets 127.0.0.1.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "import"))


from make_csv import write_csv

from common import OUT, PYTHON, fresh_postgres, machine, save, table

HERE = Path(__file__).resolve().parent
PASSWORD = "bench-load-password-9f3a"  # noqa: S105 (a throwaway local benchmark user)
EMAIL = "bench@example.org"
# The evidence spans the year up to today, so the dashboard's recent weeks are full.
END = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
# 90% of the way down that year, newest first.
DEEP = END - timedelta(days=0.9 * 365)
DEEP_CURSOR = f"{int(DEEP.timestamp() * 1_000_000)}.999999999999"
DATE_RANGE = f"from={(END - timedelta(days=40)):%Y-%m-%d}&to={(END - timedelta(days=10)):%Y-%m-%d}"


def scenarios(account_id: str, account_name: str, problem_id: str) -> dict[str, str]:
    """Page name -> path, under the workspace."""
    deep = urllib.parse.urlencode({"after": DEEP_CURSOR})
    inbox = "inbox/?"
    return {
        "dashboard": "",
        "inbox, first page": "inbox/",
        "inbox, deep page": inbox + deep,
        "inbox, channel + provenance, first": inbox + "channel=interview&provenance=relayed",
        "inbox, channel + provenance, deep": inbox + "channel=interview&provenance=relayed&" + deep,
        "inbox, segment, first": inbox + "segment=Enterprise",
        "inbox, segment, deep": inbox + "segment=Enterprise&" + deep,
        "inbox, date range": inbox + DATE_RANGE,
        "inbox, account": inbox + urllib.parse.urlencode({"account": account_name}),
        "inbox, words in most items": inbox + "text=netsuite",
        "inbox, words in no item": inbox + "text=zeppelin",
        "problems list": "problems/",
        "problem page (largest)": f"problems/{problem_id}/",
        "problem page, deep": f"problems/{problem_id}/?" + deep,
        "search, common words": "search/?q=netsuite+duplicate+vendors",
        "search, no match": "search/?q=zeppelin",
        "account page": f"accounts/{account_id}/",
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def prepare(database: str, csv_path: Path) -> dict[str, str]:
    home = tempfile.mkdtemp(prefix=f"psload-{database}-")
    url = fresh_postgres("problemspace_load") if database == "postgres" else ""
    env = {**os.environ, "PROBLEMSPACE_HOME": home, "DATABASE_URL": url}
    cli = [str(PYTHON), "-m", "problemspace"]
    subprocess.run([*cli, "init", "--workspace", "Bench"], env=env, check=True)
    print(f"  importing {csv_path.name} ...", flush=True)
    subprocess.run(
        [*cli, "import", str(csv_path), "--channel", "support"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    subprocess.run([str(PYTHON), str(HERE / "problems_fixture.py"), "bench"], env=env, check=True)
    if database == "postgres":
        # A database a million rows were just loaded into is settled by autovacuum over the
        # next minutes: statistics (without them the planner reads every vector to find a
        # few), the text index's pending entries, the visibility map. Measuring meanwhile
        # would measure autovacuum, so the benchmark settles it first.
        import psycopg

        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("VACUUM ANALYZE")
    subprocess.run(
        [*cli, "createuser", EMAIL, "-w", "bench", "--role", "viewer", "--password-stdin"],
        env=env,
        input=PASSWORD + "\n",
        text=True,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return env


def sign_in(base: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, "no CSRF token on the sign-in page"
    form = urllib.parse.urlencode(
        {"username": EMAIL, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)}
    ).encode()
    request = urllib.request.Request(  # noqa: S310 (127.0.0.1 only)
        f"{base}/login/", data=form, headers={"Referer": base}
    )
    opener.open(request).read()
    cookies = {cookie.name: cookie.value for cookie in jar}
    assert "sessionid" in cookies, "sign-in failed"
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def fetch(url: str, cookie: str) -> str:
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310
    with urllib.request.urlopen(request) as response:  # noqa: S310 (127.0.0.1 only)
        assert response.status == 200, f"{url}: {response.status}"
        assert "/login/" not in response.url, f"{url}: not signed in"
        return str(response.read().decode())


def wrk(url: str, cookie: str, seconds: int, clients: int) -> dict[str, float]:
    result = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{clients}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(HERE / "report.lua"),
            "-H",
            f"Cookie: {cookie}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(x for x in result.stdout.splitlines() if x.startswith("JSON "))
    return dict(json.loads(line[5:]))


def largest_problem(env: dict[str, str]) -> str:
    script = (
        "from django.db.models import Count;"
        "from problemspace.problems.models import Problem;"
        "print(Problem.objects.annotate(n=Count('links')).order_by('-n').first().pk)"
    )
    result = subprocess.run(
        [str(PYTHON), "-m", "problemspace", "manage", "shell", "-c", script],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def bench_database(
    database: str,
    csv_path: Path,
    seconds: int,
    clients: int,
    serve_args: list[str],
    pages: list[str],
) -> list[dict]:
    env = prepare(database, csv_path)
    port = free_port()
    # The server's errors, kept for when a page fails (the access log is left out).
    log = (Path(env["PROBLEMSPACE_HOME"]) / "server-errors.log").open("w")
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            str(PYTHON),
            "-m",
            "problemspace",
            "serve",
            "--port",
            str(port),
            "--no-jobs",
            *serve_args,
        ],
        env={**env, "PROBLEMSPACE_LOG_LEVEL": "ERROR"},
        stdout=subprocess.DEVNULL,
        stderr=log,
        start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/login/", timeout=1).read()  # noqa: S310
                break
            except OSError:
                time.sleep(0.3)
        cookie = sign_in(base)
        accounts = fetch(f"{base}/w/bench/accounts/", cookie)
        found = re.search(r'href="/w/bench/accounts/(\d+)/"[^>]*>([^<]+)<', accounts)
        assert found, "no account link on the accounts page"
        account_id, account_name = found.group(1), found.group(2).strip()
        problem_id = largest_problem(env)
        results = []
        for name, page in scenarios(account_id, account_name, problem_id).items():
            if pages and name not in pages:
                continue
            path = f"/w/bench/{page}"
            fetch(base + path, cookie)
            if name.startswith("search"):
                # Each server process loads the embedding model on its first search: a
                # start-up cost, not the page's.
                wrk(base + path, cookie, 5, clients)
            print(f"  {name} ...", flush=True)
            figures = wrk(base + path, cookie, seconds, clients)
            results.append({"database": database, "page": name, "path": path, **figures})
        return results
    except Exception:
        log.flush()
        print(Path(log.name).read_text()[-5000:], file=sys.stderr)
        raise
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            # Requests wrk left hanging (a page slower than its timeout) hold gunicorn's
            # graceful stop; the figures are already taken.
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, help="passed to serve (default: its own)")
    parser.add_argument("--threads", type=int, help="passed to serve (default: its own)")
    parser.add_argument(
        "--pages", default="", help="only these pages (names separated by semicolons)"
    )
    args = parser.parse_args()
    serve_args = []
    if args.workers:
        serve_args += ["--workers", str(args.workers)]
    if args.threads:
        serve_args += ["--threads", str(args.threads)]
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    OUT.mkdir(parents=True, exist_ok=True)
    csv_path = OUT / f"web-evidence-{args.rows}-{END:%Y%m%d}.csv"
    if not csv_path.exists():
        print(f"writing {csv_path} ...", flush=True)
        write_csv(csv_path, args.rows, end=END)
    results = []
    for database in args.databases.split(","):
        print(f"{database}: {args.rows:,} evidence items", flush=True)
        pages = [p.strip() for p in args.pages.split(";") if p.strip()]
        results += bench_database(database, csv_path, args.seconds, args.clients, serve_args, pages)
    print()
    print(
        table(
            ["database", "page", "req/s", "p50 ms", "p95 ms", "p99 ms", "server p95", "errors"],
            [
                [
                    r["database"],
                    r["page"],
                    f"{r['requests'] / r['seconds']:.0f}",
                    f"{r['p50_ms']:.0f}",
                    f"{r['p95_ms']:.0f}",
                    f"{r['p99_ms']:.0f}",
                    f"{r['server_p95_ms']:.0f}",
                    str(r["errors"]),
                ]
                for r in results
            ],
        )
    )
    path = save(
        "web-load",
        {
            "machine": machine(),
            "rows": args.rows,
            "clients": args.clients,
            "serve_args": serve_args,
            "results": results,
        },
    )
    print(f"\nwritten to {path}")


if __name__ == "__main__":
    main()
