from __future__ import annotations

import argparse
import threading

from problemspace.cli.database import migrate_if_needed
from problemspace.evidence.mail import MAX_MESSAGE_BYTES
from problemspace.evidence.mail_server import controller

HELP = "receive customer emails over SMTP as evidence, at <workspace>@<domain>"
DESCRIPTION = (
    "Listen for email and turn each message into evidence of the workspace it is addressed to "
    "(the part before @ is the workspace's slug: payments-team@in.yourcompany.com). Have your "
    "mail server forward, say, feedback@yourcompany.com to that address on this receiver, or "
    "forward customer emails to it yourselves: the customer of a "
    "forwarded email is the contact and whoever forwarded it is recorded as relaying it. "
    "Greetings, signatures and quoted replies are left out; an email listing several requests "
    f"gives one item each. Messages over {MAX_MESSAGE_BYTES // (1024 * 1024)} MB, unknown "
    "addresses and unreadable messages are refused with the reason, and nothing of them is "
    "stored. Listens on 127.0.0.1 unless --host says otherwise; put TLS and spam filtering in "
    "front of it (your mail server) before exposing it."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=2525, help="port (default: 2525)")
    parser.add_argument(
        "--domain",
        default="",
        help="accept only addresses at this domain, e.g. in.example.com (default: any)",
    )


def run(args: argparse.Namespace) -> int:
    migrate_if_needed()
    receiver = controller(args.host, args.port, args.domain)
    receiver.start()
    where = f"<workspace>@{args.domain}" if args.domain else "<workspace>@<any domain>"
    print(f"Receiving email for {where} on {args.host}:{args.port}. Press Ctrl+C to stop.")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        receiver.stop()
    return 0
