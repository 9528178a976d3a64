from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
from typing import Any

from django.db import connections

from problemspace.cli.database import migrate_if_needed
from problemspace.cli.errors import UserError
from problemspace.web.storage import collect_if_changed

HELP = "run the web app (with gunicorn, a production web server)"
DESCRIPTION = (
    "Bring the database up to date, collect the static files and serve problemspace with "
    "gunicorn, a production web server. Put a TLS-terminating proxy in front of it to serve "
    "people beyond this machine."
)

# More processes than this only add memory: each one holds a copy of the application, and the
# database (SQLite in particular) is the bottleneck long before the CPUs are.
MAX_DEFAULT_WORKERS = 8
# Addresses that mean "every interface": recognised to print a reachable URL and a warning.
ALL_INTERFACES = frozenset({"0.0.0.0", "::", ""})  # noqa: S104


def default_workers() -> int:
    """One worker per core the process may use, plus one, with two threads each.

    Pages are CPU-bound (rendering, not waiting on the database), so more concurrent requests
    than cores only make each one slower: on two cores under 20 clients, 5 workers x 4 threads
    gave a server time p95 of 100-470 ms and 3 x 2 gave 40-85 ms at the same throughput
    (docs/benchmarks.md). The second thread covers the waits on a remote PostgreSQL.
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(2, min(cores + 1, MAX_DEFAULT_WORKERS))


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this machine only; 0.0.0.0 for all)",
    )
    parser.add_argument("--port", type=_positive, default=8000, help="port (default: 8000)")
    parser.add_argument(
        "--workers",
        type=_positive,
        default=None,
        help=f"worker processes (default: cores + 1, at most {MAX_DEFAULT_WORKERS})",
    )
    parser.add_argument(
        "--threads", type=_positive, default=2, help="threads per worker process (default: 2)"
    )
    parser.add_argument(
        "--no-jobs",
        action="store_true",
        help="do not run background jobs here (when `problemspace worker` runs elsewhere)",
    )


def _check_port_is_free(host: str, port: int) -> None:
    # gunicorn would retry for several seconds and then exit with a traceback-like log line;
    # checking first gives a sentence that says what to do.
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise UserError(
                f"Cannot listen on {host} port {port}: {exc.strerror or exc}. "
                "Another program may be using it; choose another port with --port."
            ) from None


def public_url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ALL_INTERFACES else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


def _gunicorn_application(options: dict[str, Any]) -> Any:
    # Imported here so the rest of the CLI starts without loading gunicorn.
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            from problemspace.wsgi import application

            return application

    return Server()


def run(args: argparse.Namespace) -> int:
    migrate_if_needed()
    collect_if_changed()
    _check_port_is_free(args.host, args.port)
    # The workers are forked from this process: they must not inherit its open connections.
    connections.close_all()
    workers = args.workers or default_workers()
    print(f"problemspace is running at {public_url(args.host, args.port)}", flush=True)
    if args.host in ALL_INTERFACES:
        print(
            "Listening on every interface: set PROBLEMSPACE_ALLOWED_HOSTS to the names people "
            "use to reach this machine.",
            flush=True,
        )
    print("Press Ctrl+C to stop.", flush=True)
    server = _gunicorn_application(
        {
            "bind": f"[{args.host}]:{args.port}"
            if ":" in args.host
            else f"{args.host}:{args.port}",
            "workers": workers,
            "worker_class": "gthread",
            "threads": args.threads,
            "accesslog": "-",
            "errorlog": "-",
            "loglevel": "warning",
            "proc_name": "problemspace",
            # gunicorn's control socket sits at one path per user (~/.gunicorn/gunicorn.ctl), so
            # two servers on one machine would take it from each other; problemspace is
            # stopped and reloaded by signals instead.
            "control_socket_disable": True,
        }
    )
    sys.stdout.flush()
    jobs = None if args.no_jobs else _start_job_worker()
    try:
        server.run()  # returns only by SystemExit, when gunicorn shuts down
    finally:
        if jobs is not None:
            _stop(jobs)
    return 0


def _start_job_worker() -> subprocess.Popen[bytes]:
    """The background-job worker, as a child process that ends with the server."""
    return subprocess.Popen(
        [sys.executable, "-m", "problemspace", "worker"],
        start_new_session=True,
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    # The worker finishes the job in hand on SIGTERM; a job cut short by SIGKILL rolls back.
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
