from __future__ import annotations

import argparse

from django.core.management import execute_from_command_line

HELP = "run a Django management command (migrate, shell, dbshell, check...)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("args", nargs=argparse.REMAINDER, help="the command and its options")


def run(args: argparse.Namespace) -> int:
    execute_from_command_line(["problemspace manage", *args.args])
    return 0
