"""One module per sub-command. Each defines HELP, `add_arguments(parser)` and `run(args)`.

A command parses its arguments and calls a service function; the work itself lives in the
domain apps so the web pages and the API can call the same code.
"""

# Order is the order `problemspace --help` lists them in.
COMMANDS = [
    "init",
    "demo",
    "import",
    "mail-in",
    "export",
    "export-tracker",
    "evidence",
    "search",
    "synthesize",
    "problems",
    "interviews",
    "exposure",
    "assumptions",
    "roadmap",
    "brief",
    "recruiting",
    "portal",
    "reminders",
    "webhooks",
    "serve",
    "worker",
    "workspaces",
    "createuser",
    "manage",
]
