"""The shell's backslash commands, in one registry.

Each command is a function registered with `@command(...)`; `\\?` and completion are generated
from the registry, so a command is documented and completed the moment it exists. Handlers get the
shell and the text after the command's name, and print through the shell, so pager, `\\o` and
timing treat them like queries.
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.errors import KgError, UpdateRefused, UsageError

if TYPE_CHECKING:
    from kg.shell.repl import Shell

Handler = Callable[["Shell", str], None]


@dataclass(frozen=True)
class Command:
    name: str
    usage: str
    help: str
    handler: Handler
    aliases: tuple[str, ...] = ()
    # What each argument is, for completion: query, param, file, entity, class, choice:a|b.
    # A trailing "..." repeats the last kind.
    complete: tuple[str, ...] = ()


COMMANDS: dict[str, Command] = {}  # by name and by alias


class Quit(Exception):
    """Raised by `\\q` to leave the shell."""


def command(
    name: str, usage: str, help: str, *, aliases: tuple[str, ...] = (), complete: tuple[str, ...] = ()
) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        cmd = Command(name, usage, help, handler, aliases, complete)
        for key in (name, *aliases):
            COMMANDS[key] = cmd
        return handler

    return register


def unique_commands() -> list[Command]:
    seen: dict[str, Command] = {}
    for cmd in COMMANDS.values():
        seen.setdefault(cmd.name, cmd)
    return list(seen.values())


def split_command(line: str) -> tuple[str, str]:
    """`\\name rest` → (`\\name`, `rest`)."""
    line = line.strip()
    m = re.match(r"(\\[^\s]*)\s*(.*)", line, re.S)
    if not m:
        raise UsageError(f"not a command: {line}")
    return m.group(1), m.group(2).strip()


def dispatch(shell: Shell, line: str) -> None:
    name, rest = split_command(line)
    cmd = COMMANDS.get(name)
    if cmd is None:
        from kg.suggest import hint

        raise UsageError(f"unknown command {name}{hint(name, COMMANDS)}; \\? lists the commands")
    cmd.handler(shell, rest)


def words(rest: str) -> list[str]:
    try:
        return shlex.split(rest)
    except ValueError as e:
        raise UsageError(f"cannot read the arguments: {e}") from None


def _on_off(value: str, current: bool, what: str) -> bool:
    value = value.strip().lower()
    if not value:
        return not current
    if value in ("on", "true", "yes", "1"):
        return True
    if value in ("off", "false", "no", "0"):
        return False
    raise UsageError(f"{what} takes on or off, not '{value}'")


def _entity_text(rest: str) -> str:
    text = rest.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1]
    if not text:
        raise UsageError("name an entity: a label (Leon Panetta), a prefixed name (kgid:...) or an <IRI>")
    if re.fullmatch(r"[A-Za-z][\w.-]*:\S*", text):
        # A prefixed name as completion inserts it (kgid:person\/leon-panetta): drop SPARQL's escapes.
        text = re.sub(r"\\([_~.\-!$&'()*+,;=/?#@%])", r"\1", text)
    return text


# --- help and settings ----------------------------------------------------------------------------


@command("\\?", "\\? [COMMAND]", "list the commands, or show one command's help", aliases=("\\help", "\\h"))
def help_command(shell: Shell, rest: str) -> None:
    if rest.strip():
        name = rest.strip()
        name = name if name.startswith("\\") else "\\" + name
        cmd = COMMANDS.get(name)
        if cmd is None:
            from kg.suggest import hint

            raise UsageError(f"unknown command {name}{hint(name, COMMANDS)}; \\? lists the commands")
        also = f"  (also {', '.join(cmd.aliases)})" if cmd.aliases else ""
        shell.emit(f"{cmd.usage}\n    {cmd.help}{also}")
        return
    cmds = sorted(unique_commands(), key=lambda c: c.name)
    width = max(len(c.usage) for c in cmds)
    lines = [f"{c.usage.ljust(width)}  {c.help}" for c in cmds]
    lines.append("")
    lines.append("Enter runs a query once it is complete; Alt-Enter adds a line; an empty line runs what")
    lines.append("was typed. Tab completes; Ctrl-R searches the history; Ctrl-X Ctrl-E (or \\e) opens $EDITOR")
    lines.append("and brings the query back to the prompt for review;")
    lines.append("Ctrl-C cancels a running query or clears the line; Ctrl-D leaves.")
    shell.emit("\n".join(lines))


@command("\\q", "\\q", "leave the shell", aliases=("\\quit",))
def quit_command(shell: Shell, rest: str) -> None:
    raise Quit()


@command("\\format", "\\format FORMAT",
         "how results print: table, csv, tsv, json, xml; for graphs also turtle, ntriples, rdfxml, jsonld",
         complete=("choice:table|csv|tsv|json|xml|turtle|ntriples|rdfxml|jsonld",))
def format_command(shell: Shell, rest: str) -> None:
    from kg.results import FORMATS, GRAPH_ONLY_FORMATS

    fmt = rest.strip().lower()
    if not fmt:
        shell.emit(f"format: {shell.format}")
        return
    if fmt not in FORMATS:
        raise UsageError(f"unknown format '{fmt}' (choose one of {', '.join(FORMATS)})")
    shell.format = fmt
    shell.notice(f"format: {fmt}" + (" (graphs; SELECT and ASK results print as tables)"
                                      if fmt in GRAPH_ONLY_FORMATS else ""))


@command("\\labels", "\\labels [on|off]", "show labels instead of prefixed names in tables", complete=("choice:on|off",))
def labels_command(shell: Shell, rest: str) -> None:
    shell.labels = _on_off(rest, shell.labels, "\\labels")
    shell.notice(f"labels: {'on' if shell.labels else 'off'}")


@command("\\x", "\\x [on|off|auto]",
         "expanded display: one record per block (on), tables only (off), records when too wide (auto)",
         complete=("choice:on|off|auto",))
def expanded_command(shell: Shell, rest: str) -> None:
    value = rest.strip().lower()
    if value == "auto":
        shell.expanded = "auto"
    elif not value:
        shell.expanded = "off" if shell.expanded == "on" else "on"  # a toggle, as in psql
    elif value in ("on", "off"):
        shell.expanded = value
    else:
        raise UsageError(f"\\x takes on, off or auto, not '{value}'")
    shell.notice(f"expanded display: {shell.expanded}")


@command("\\timing", "\\timing [on|off]", "show how long each query took", complete=("choice:on|off",))
def timing_command(shell: Shell, rest: str) -> None:
    shell.timing = _on_off(rest, shell.timing, "\\timing")
    shell.notice(f"timing: {'on' if shell.timing else 'off'}")


@command("\\o", "\\o [--force] [FILE]",
         "send every result to FILE until \\o alone (an existing FILE only with --force)", complete=("file",))
def output_command(shell: Shell, rest: str) -> None:
    from pathlib import Path

    args = words(rest)
    force = "--force" in args or "-f" in args
    names = [a for a in args if a not in ("--force", "-f")]
    if len(names) > 1 or (force and not names):
        raise UsageError("\\o takes one file name (and --force to replace it), or nothing to write to the screen")
    if not names:
        was = shell.output_file
        shell.send_output_to(None)
        shell.notice(f"results go to the screen{f' ({was} is closed)' if was else ''}")
        return
    shell.send_output_to(Path(names[0]), force)
    shell.notice(f"results go to {names[0]} until \\o")


@command("\\prefixes", "\\prefixes", "the prefixes declared for every query")
def prefixes_command(shell: Shell, rest: str) -> None:
    from kg.ontology import PREFIXES

    width = max(len(p) for p in PREFIXES) + 1
    shell.emit("\n".join(f"PREFIX {(p + ':').ljust(width)} <{iri}>" for p, iri in PREFIXES.items()))


@command("\\refresh", "\\refresh", "see what was built since the shell opened, and reload the completion data")
def refresh_command(shell: Shell, rest: str) -> None:
    if not shell.allow_update:
        # a read-only shell reads a snapshot of the store taken when it was opened: take a new one
        shell.close_store()
        shell.open_store()
    shell.refresh_metadata()
    shell.notice("store reopened; completion data is being reloaded in the background"
                 if not shell.allow_update else "completion data is being reloaded in the background")


@command("\\e", "\\e [FILE]", "edit the last query (or FILE) in $EDITOR, then review it at the prompt",
         complete=("file",))
def edit_command(shell: Shell, rest: str) -> None:
    from pathlib import Path

    args = words(rest)
    text = shell.last_query or ""
    if args:
        try:
            text = Path(args[0]).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise UsageError(f"cannot read {args[0]}: {e}") from None
    shell.next_text = shell.edit(text).rstrip("\n")


@command("\\i", "\\i FILE", "run the queries and commands in FILE", complete=("file",))
def include_command(shell: Shell, rest: str) -> None:

    from kg.sparqlparse import MAX_QUERY_CHARS

    args = words(rest)
    if len(args) != 1:
        raise UsageError("\\i takes one file")
    limit = 20 * MAX_QUERY_CHARS  # a script of many queries, never a device that never ends
    try:
        real = os.path.realpath(args[0])
        with open(args[0], encoding="utf-8") as f:
            text = f.read(limit + 1)
    except (OSError, UnicodeDecodeError) as e:
        raise UsageError(f"cannot read {args[0]}: {getattr(e, 'strerror', None) or e}") from None
    if len(text) > limit:
        raise UsageError(f"cannot read {args[0]}: longer than {limit:,} characters")
    including = shell.including
    if real in including:
        raise UsageError(f"{args[0]} includes itself (through \\i)")
    including.append(real)
    try:
        status = shell.run_statements(text, source=args[0])
    finally:
        including.pop()
    if status:
        raise KgError(f"{args[0]} did not run cleanly", exit_code=status)


# --- saved queries --------------------------------------------------------------------------------


@command("\\n", "\\n [NAME [param=value ...]]", "list the saved queries, or run one with parameters",
         complete=("query", "param..."))
def named_command(shell: Shell, rest: str) -> None:
    from kg import saved

    args = words(rest)
    if not args:
        rows = []
        for q in saved.all_queries().values():
            params = " ".join(f"{p.name}=<{p.type}>" + ("?" if p.optional else "") for p in q.params)
            rows.append((q.name, q.description or q.title, params, "" if q.builtin else "yours"))
        if not rows:
            shell.emit("no saved queries (save the last query with \\ns NAME)")
            return
        shell.emit_rows(("name", "description", "parameters", "origin"), rows)
        return
    from kg.suggest import check_saved_name

    check_saved_name(args[0], "\\n")
    query = saved.get(args[0])
    text = saved.bind(query, saved.parse_assignments(args[1:]))
    shell.run_query(text, record=text)


@command("\\np", "\\np NAME", "print a saved query", complete=("query",))
def named_print_command(shell: Shell, rest: str) -> None:
    from kg import saved

    args = words(rest)
    if len(args) != 1:
        raise UsageError("\\np takes the name of a saved query")
    from kg.suggest import check_saved_name

    check_saved_name(args[0], "\\n")
    q = saved.get(args[0])
    shell.emit(q.text.rstrip("\n"), highlight=True)


@command("\\ns", "\\ns NAME [DESCRIPTION]", "save the last query under NAME", complete=("query",))
def named_save_command(shell: Shell, rest: str) -> None:
    from kg import saved

    name, _, description = rest.strip().partition(" ")
    if not name:
        raise UsageError("\\ns takes a name: \\ns NAME [description]")
    if not shell.last_query:
        raise UsageError("there is no query to save yet: run one first")
    path = saved.save(name, shell.last_query, description.strip().strip("\"'"))
    shell.notice(f"saved as {name} ({path})")
    shell.refresh_metadata()


@command("\\nd", "\\nd NAME", "delete one of your saved queries", complete=("query",))
def named_delete_command(shell: Shell, rest: str) -> None:
    from kg import saved

    args = words(rest)
    if len(args) != 1:
        raise UsageError("\\nd takes the name of a saved query")
    saved.delete(args[0])
    shell.notice(f"deleted {args[0]}")
    shell.refresh_metadata()


# --- the graph ------------------------------------------------------------------------------------


@command("\\describe", "\\describe ENTITY", "every triple about an entity (label, prefixed name or IRI)",
         complete=("entity",))
def describe_command(shell: Shell, rest: str) -> None:
    from kg import describe
    from kg.shell.metadata import readable_name

    store = shell.require_store()
    iri = describe.resolve_entity(store, _entity_text(rest))
    # The label is read here, not from the shell's metadata, which may still be loading.
    label = describe.labels(store, [str(iri)]).get(str(iri)) if shell.labels else None
    title = f"{label} ({readable_name(str(iri))})" if label else shell.display_iri(iri)
    shell.show_result(describe.describe(store, iri), title=title)


@command("\\d", "\\d [CLASS|ENTITY]",
         "the classes with their counts; a class's properties with counts (as \\d TABLE); an entity: \\describe",
         complete=("class-or-entity",))
def d_command(shell: Shell, rest: str) -> None:
    from kg.shell import classes

    store = shell.require_store()
    text = _entity_text(rest) if rest.strip() else ""
    if not text:
        shell.show_result(store.query(STATS_CLASSES), title="classes", labels=False)
        return
    cls = classes.resolve_class(store, text)
    if cls is None:
        try:
            describe_command(shell, rest)
        except UsageError as e:
            if not str(e).startswith("no entity labelled"):
                raise
            raise UsageError(f"no class or entity named '{text}' (\\d lists the classes)") from None
        return
    summary = classes.describe_class(store, cls)
    shell.emit(summary.title)
    shell.emit("\n".join(summary.lines(width=shell.term_width(), painter=shell.painter)))


@command("\\why", "\\why", "the sentences behind the entities of the last result")
def why_command(shell: Shell, rest: str) -> None:
    from kg import describe

    iris = shell.last_result_iris()
    if not iris:
        raise UsageError("the last result names no entities: run a query first")
    shell.show_result(describe.evidence(shell.require_store(), iris))


def _looks_like_query(text: str) -> bool:
    return "{" in text or bool(
        re.match(r"(?is)\s*(select|ask|construct|prefix|base)\b", text) or re.match(r"(?is)\s*describe\s+[?<*$]", text)
    )


@command("\\explain", "\\explain [ENTITY|QUERY]",
         "with an entity: its facts and the sentences they come from; with a query, or alone: the algebra",
         complete=("entity",))
def explain_command(shell: Shell, rest: str) -> None:
    if not rest.strip() or _looks_like_query(rest):
        algebra_command(shell, rest)
        return
    from kg import describe

    shell.emit(describe.explain_text(shell.require_store(), _entity_text(rest)))


@command("\\conflicts", "\\conflicts", "where articles disagree: an official's country, an event's date, with the sentences")
def conflicts_command(shell: Shell, rest: str) -> None:
    from kg.resolve import conflicts_text

    shell.emit(conflicts_text(shell.require_store()))


@command("\\algebra", "\\algebra [QUERY]", "the SPARQL algebra of a query (default: the last one)")
def algebra_command(shell: Shell, rest: str) -> None:
    from kg.shell.algebra import algebra_text

    text = rest.strip() or shell.last_query
    if not text:
        raise UsageError("there is no query yet: run one, or give one: \\algebra SELECT ...")
    shell.emit(algebra_text(text))


STATS_CLASSES = """SELECT ?class (COUNT(DISTINCT ?s) AS ?instances)
WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?instances) ?class"""
STATS_ARTICLES = """SELECT ?article ?title ?entities ?triples WHERE {
  { SELECT ?article (COUNT(*) AS ?triples) WHERE { GRAPH ?article { ?s ?p ?o } } GROUP BY ?article }
  OPTIONAL { SELECT ?article (SAMPLE(?t) AS ?heading) WHERE { GRAPH ?article { ?article dct:title ?t } }
             GROUP BY ?article }
  OPTIONAL { SELECT ?article (COUNT(DISTINCT ?e) AS ?entities) WHERE { GRAPH ?article { ?e kg:mentionedIn ?article } }
             GROUP BY ?article }
  BIND(COALESCE(?heading, IF(?article = kgid:graph, "(the knowledge graph: every fact once, the default graph)", ""))
       AS ?title)
} ORDER BY ?article"""


@command("\\stats", "\\stats", "how many entities of each class, and what each article holds")
def stats_command(shell: Shell, rest: str) -> None:
    shell.show_result(shell.require_store().query(STATS_CLASSES), title="per class", labels=False)
    shell.show_result(shell.require_store().query(STATS_ARTICLES), title="per article", labels=False)


@command("\\load", "\\load PATH ...", "build articles (files or folders) into the store, then reload completions",
         complete=("file...",))
def load_command(shell: Shell, rest: str) -> None:
    paths = words(rest)
    if not paths:
        raise UsageError("\\load takes article files or folders")
    if not shell.allow_update:
        raise UpdateRefused("\\load writes to the store: start the shell with --allow-update to build into it")
    from kg.build import build_paths

    shell.close_store()
    try:
        report = build_paths(shell.location, paths, progress=shell.interactive)
    finally:
        shell.open_store()
    for path, problem in report.failed:
        shell.report(KgError(f"{path}: {problem}"))
    shell.notice(report.summary(shell.location))
    shell.refresh_metadata()


# --- drawings and graph analysis ------------------------------------------------------------------


@command("\\export", "\\export FILE [options]", "draw the last result, or the graph, with Graphviz",
         complete=("file",))
def export_command(shell: Shell, rest: str) -> None:
    from kg.cli import shell_export

    shell.emit(shell_export(shell.require_store(), words(rest), shell.last_query, shell.last_result))


@command("\\path", "\\path A B", "how two entities are connected", complete=("node", "node"))
def path_command(shell: Shell, rest: str) -> None:
    from kg.cli import shell_path

    shell.emit(shell_path(shell.require_store(), words(rest)))


@command("\\central", "\\central [--class C]", "entities ranked by centrality",
         complete=("choice:--class", "node-class"))
def central_command(shell: Shell, rest: str) -> None:
    from kg.cli import shell_central

    shell.emit(shell_central(shell.require_store(), words(rest)))


@command("\\groups", "\\groups", "connected groups of entities")
def groups_command(shell: Shell, rest: str) -> None:
    from kg.cli import shell_groups

    shell.emit(shell_groups(shell.require_store(), words(rest)))
