"""`problemspace demo`: build the demo workspace and say how to sign in to it."""

from __future__ import annotations

import argparse
import importlib
import time
from datetime import datetime

from django.conf import settings

from problemspace.cli.database import migrate_if_needed
from problemspace.cli.errors import UserError
from problemspace.demo import story
from problemspace.demo.build import DemoError, build_demo, existing_demo, set_demo_password
from problemspace.demo.credentials import demo_password, password_path
from problemspace.demo.plan import DEFAULT_SEED
from problemspace.demo.summary import Summary, summarise
from problemspace.problems.models import SynthesisRun
from problemspace.problems.queries import ranked_problems
from problemspace.problems.services import synthesize_workspace
from problemspace.synthesis.embedding import MODEL_MISSING_NOTE, default_embedder, model_installed
from problemspace.workspaces.models import Workspace

HELP = "build a demo workspace with a year of realistic customer evidence"
DESCRIPTION = (
    "Build the workspace 'Demo: Ledgerly' (slug: demo): a fictional accounts-payable product "
    "with 40 customer accounts, about 120 contacts and about 1,500 customer signals from the "
    "past year (tickets, calls, interviews, surveys, reviews), some heard first-hand and some "
    "relayed by sales and support. When the demo already exists it is left as it is; --reset "
    "throws it away, with anything you added to it, and builds it again. The sign-in details "
    "are printed every time; the password is generated once and kept in "
    "$PROBLEMSPACE_HOME/demo-password."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        help=f"build a different but equally believable demo (default: {DEFAULT_SEED})",
    )
    parser.add_argument(
        "--reset", action="store_true", help="delete the existing demo workspace and rebuild it"
    )
    parser.add_argument(
        "--serve", action="store_true", help="start the web app afterwards (problemspace serve)"
    )
    parser.add_argument(
        "--no-synthesize",
        action="store_true",
        help="leave the evidence ungrouped (by default a new demo is synthesized into problems)",
    )
    parser.add_argument("--host", help="with --serve: the address to listen on")
    parser.add_argument("--port", type=int, help="with --serve: the port to listen on")


def run(args: argparse.Namespace) -> int:
    migrate_if_needed()
    password = demo_password(settings.HOME)
    try:
        workspace = existing_demo()
        if workspace is not None and not args.reset:
            set_demo_password(password)
            print(
                f"The demo workspace {workspace.name!r} is already there; it was left as it is "
                "(add --reset to rebuild it from scratch)."
            )
        else:
            started = time.perf_counter()
            workspace = build_demo(args.seed, password=password)
            elapsed = time.perf_counter() - started
            print(
                f"Built the demo workspace {workspace.name!r} (slug: {workspace.slug}) "
                f"in {elapsed:.1f} s from seed {args.seed}."
            )
    except DemoError as exc:
        raise UserError(str(exc)) from None
    _print_summary(summarise(workspace))
    if not args.no_synthesize and not SynthesisRun.objects.filter(workspace=workspace).exists():
        _synthesize(workspace)
    _print_sign_in(args, password)
    if args.serve:
        return _serve(args)
    return 0


def _print_summary(summary: Summary) -> None:
    print()
    print(
        f"{story.PRODUCT} is a fictional accounts-payable product. What its customers said "
        "over the past year:"
    )
    if summary.first and summary.last:
        span = f"{_day(summary.first)} to {_day(summary.last)}"
        print(f"  {summary.evidence:,} evidence items, {span}")
    for label, count in summary.by_channel:
        print(f"    {label:<16}{count:>6,}")
    first_hand = 1 - summary.relayed_share
    print(
        f"  {first_hand:.0%} heard first-hand, {summary.relayed_share:.0%} relayed by sales, "
        "support and customer success"
    )
    segments = ", ".join(f"{count} {segment}" for segment, count in summary.by_segment)
    print(f"  {summary.accounts} accounts: {segments}")
    print(f"  {summary.contacts} contacts, {summary.members} team members")
    print()
    print("  Worth a look: which problem do the most customers have, and which one is only")
    print("  the loudest this fortnight?")


def _synthesize(workspace: Workspace) -> None:
    """Group the new demo into problems, so the first page a newcomer opens has them."""
    print()
    if model_installed():
        print(
            "Loading the language model (the first time on this machine it is made ready for "
            "its CPU: about 20 s)…"
        )
    else:
        # Said before anything else: what follows is the product at its worst.
        print(f"Note: {MODEL_MISSING_NOTE}")
    started = time.perf_counter()
    embedder, _ = default_embedder()
    print(f"  {embedder.model_id} ready in {time.perf_counter() - started:.0f} s.")
    print("Grouping the evidence into customer problems…")
    started = time.perf_counter()
    run = synthesize_workspace(workspace, embedder=embedder)
    counts = run.counts
    print(
        f"  {counts.get('problems', 0)} problems in {time.perf_counter() - started:.0f} s; "
        f"kept apart from them: {counts.get('praise', 0)} groups of praise (what customers "
        f"value) and {counts.get('set_aside', 0)} items with nothing said. "
        "The five most widely felt problems:"
    )
    for number, problem in enumerate(ranked_problems(workspace, limit=5), start=1):
        print(f"  {number}. {problem.title}")
        print(f"     {problem.explanation}")
    for note in run.notes:
        print(f"  Note: {note}")


def _day(moment: datetime) -> str:
    return f"{moment.day} {moment:%b %Y}"  # no %-d: it is not portable


def _print_sign_in(args: argparse.Namespace, password: str) -> None:
    owner = story.OWNER
    if args.serve and (args.host or args.port):
        host = args.host if args.host not in (None, "", "0.0.0.0", "::") else "127.0.0.1"  # noqa: S104
        host = f"[{host}]" if ":" in host else host
        url = f"http://{host}:{args.port or 8000}/"
    else:
        url = settings.SITE_URL.rstrip("/") + "/"
    print()
    how = "" if args.serve else " after starting the web app with `problemspace serve`"
    print(f"Sign in at {url}{how}:")
    print(f"  email     {owner.email}")
    print(f"  password  {password}")
    print(
        f"  ({owner.name}, {owner.title}; the password is kept in {password_path(settings.HOME)})"
    )
    print("Other demo members, same password, to see what each role sees:")
    for person in story.MEMBERS:
        if person is not owner:
            print(f"  {person.email:<34}{person.role:<13}{person.name}, {person.title}")


def _serve(args: argparse.Namespace) -> int:
    """Run `problemspace serve` as if it had been typed, with --host and --port passed on."""
    try:
        serve = importlib.import_module("problemspace.cli.commands.serve")
    except ModuleNotFoundError as exc:
        if exc.name != "problemspace.cli.commands.serve":
            raise
        raise UserError(
            "This version of problemspace has no `serve` command, so --serve cannot start the "
            "web app. The demo is built; start the web app another way."
        ) from None
    parser = argparse.ArgumentParser(prog="problemspace serve")
    serve.add_arguments(parser)
    serve_args = parser.parse_args([])
    if args.host is not None:
        serve_args.host = args.host
    if args.port is not None:
        serve_args.port = args.port
    result: int | None = serve.run(serve_args)
    return result or 0
