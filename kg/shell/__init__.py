"""`kg shell`: an interactive SPARQL shell over the store (in the manner of pgcli and litecli).

Only the standard library and light kg modules are imported here: the CLI imports this package
at start-up, and prompt_toolkit, rdflib and the store load only when the shell runs.
"""

from __future__ import annotations

import argparse
import sys

FORMATS = ("table", "csv", "tsv", "json")


def add_arguments(name: str, parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--allow-update",
        action="store_true",
        help="open the store writable and run SPARQL Update (DROP, CLEAR and DELETE ask first)",
    )
    parser.add_argument("--allow-service", action="store_true",
                        help="let SERVICE in queries send requests to other servers (refused otherwise)")
    parser.add_argument("--no-color", action="store_true", help="no colours (also when NO_COLOR is set)")
    parser.add_argument("--format", default="table", choices=FORMATS, help="how results are printed (default table)")
    parser.description = (
        "Interactive SPARQL shell. On a terminal: completion, history, $EDITOR, backslash commands "
        "(\\? lists them). With piped input (kg shell < queries.rq) it runs the queries and commands "
        "and exits 0, 1 if a query failed, or 2 on a syntax error."
    )


def run_shell(args: argparse.Namespace) -> int:
    from kg.shell.repl import Shell
    from kg.shell.style import color_wanted

    interactive = sys.stdin.isatty()
    shell = Shell(
        args.store,
        allow_update=args.allow_update,
        allow_service=args.allow_service,
        color=color_wanted(args.no_color),
        fmt=args.format,
        interactive=interactive,
    )
    try:
        if interactive:
            return shell.run_interactive()
        return shell.run_statements(sys.stdin.read(), source="<stdin>")
    finally:
        shell.close()
