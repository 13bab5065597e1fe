"""`kg shell`: an interactive SPARQL shell over the store (in the manner of pgcli and litecli).

Only the standard library is imported here: prompt_toolkit, rdflib and the store load when the
shell runs. Its options are parsed in kg.cli.
"""

from __future__ import annotations

import sys


def run_shell(location: str | None, *, allow_update: bool = False, allow_service: bool = False,
              no_color: bool = False, fmt: str = "table") -> int:
    """The shell on the store at `location`: interactive on a terminal; otherwise it runs the
    queries and commands read from stdin and returns 0, 1 if a query failed, or 2 on a syntax error."""
    from kg.shell.repl import Shell
    from kg.shell.style import color_wanted

    interactive = sys.stdin.isatty()
    shell = Shell(
        location,
        allow_update=allow_update,
        allow_service=allow_service,
        color=color_wanted(no_color),
        fmt=fmt,
        interactive=interactive,
    )
    try:
        if interactive:
            return shell.run_interactive()
        return shell.run_statements(sys.stdin.read(), source="<stdin>")
    finally:
        shell.close()
