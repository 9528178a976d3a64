"""The `problemspace` command."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import textwrap
from collections.abc import Sequence
from types import ModuleType

from problemspace import __version__
from problemspace.cli.commands import COMMANDS
from problemspace.cli.errors import UserError
from problemspace.lib.env import ConfigurationError

EXIT_USER_ERROR = 2


def _command_module(name: str) -> ModuleType:
    # `import` is a keyword, so its module is import_.py; export-tracker's is export_tracker.py.
    module_name = f"{name}_" if name == "import" else name.replace("-", "_")
    return importlib.import_module(f"problemspace.cli.commands.{module_name}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="problemspace",
        description="A customer-discovery workbench: evidence in, customer problems out.",
    )
    parser.add_argument("--version", action="version", version=f"problemspace {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        module = _command_module(name)
        sub = subparsers.add_parser(
            name, help=module.HELP, description=getattr(module, "DESCRIPTION", module.HELP)
        )
        module.add_arguments(sub)
        sub.set_defaults(_module=module)
    return parser


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "problemspace.settings")
    import django

    django.setup()


def fail(message: str) -> int:
    width = 100
    paragraph = textwrap.fill(" ".join(message.split()), width=width)
    print(f"problemspace: {paragraph}", file=sys.stderr)
    return EXIT_USER_ERROR


def main(argv: Sequence[str] | None = None) -> int:
    try:
        # Django first: command modules import models at the top, like any Django module.
        setup_django()
    except ConfigurationError as exc:
        return fail(str(exc))
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result: int | None = args._module.run(args)
    except (UserError, ConfigurationError) as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        print("\nproblemspace: interrupted; nothing half-written was kept.", file=sys.stderr)
        return 130
    return result or 0
