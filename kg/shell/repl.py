"""The shell itself: the prompt loop on a terminal, the same commands read from a script, and
everything they share (running queries on a worker thread, printing results, the pager)."""

from __future__ import annotations

import contextlib
import io
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from kg.errors import EXIT_OK, KgError, QuerySyntaxError, StoreError, UpdateRefused, UsageError, printable
from kg.shell.buffer import is_command, split_script
from kg.shell.commands import Quit, dispatch
from kg.shell.formatting import Painter, footer, result_lines, table_lines
from kg.shell.metadata import GraphMetadata, MetadataRefresher
from kg.shell.style import colors_for
from kg.store import (
    OxigraphStore,
    QueryResult,
    Store,
    check_syntax,
    default_location,
    is_destructive,
    is_update,
    open_store,
)

if TYPE_CHECKING:
    from prompt_toolkit.formatted_text import StyleAndTextTuples

    from kg.queryrun import ProcessContext

T = TypeVar("T")
ASK_ABOVE_ROWS = 1000  # on a terminal, ask before printing more rows than this
LABEL_BATCH = 500


class Cancelled(Exception):
    """Ctrl-C while a query ran."""


def history_path() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(base) / "kg" / "history"


class Shell:
    """State of one shell: the store, settings, the last query and result, and the output."""

    def __init__(
        self,
        location: str | None = None,
        *,
        allow_update: bool = False,
        allow_service: bool = False,
        color: bool = True,
        fmt: str = "table",
        interactive: bool = False,
        out: TextIO | None = None,
        err: TextIO | None = None,
        pt_input: Any = None,
        pt_output: Any = None,
        width: int | None = None,
        history: Path | None = None,
        terminal: bool | None = None,
    ) -> None:
        self.location = location or default_location()
        self.allow_update = allow_update
        self.allow_service = allow_service
        self.interactive = interactive
        self.format = fmt
        self.labels = True
        self.timing = True
        self.expanded = "auto"  # \x: one record per block on, off, or when a table is too wide
        self.output_file: Path | None = None  # set by `\o FILE`: every result goes there until `\o`
        self.next_text = ""
        self.last_query: str | None = None
        self.including: list[str] = []  # files being run by \i, innermost last (a file may not include itself)
        self.last_result: QueryResult | None = None
        self._query_context: ProcessContext | None = None  # where the shell's query processes come from
        self._context_lock = threading.Lock()
        self.last_count: int | None = None
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.color = color
        self.painter = Painter(colors_for(self.out, color))
        self.err_painter = Painter(colors_for(self.err, color))
        self.pt_input, self.pt_output = pt_input, pt_output
        self.width = width
        self.history = history
        # Whether a person reads the output: then long results need a yes before they print.
        self.terminal = interactive and self._is_tty(self.out) if terminal is None else terminal
        self.prompt_session: Any = None
        self.metadata = GraphMetadata()
        self.refresher = MetadataRefresher()
        self.store: Store | None = None
        self.open_store()

    # --- the store --------------------------------------------------------------------------------

    def open_store(self) -> None:
        self.store = open_store(self.location, read_only=not self.allow_update)
        if isinstance(self.store, OxigraphStore) and self._query_context is None:
            # The process queries run in starts while the user types the first one.
            threading.Thread(target=self._query_processes, name="kg-forkserver", daemon=True).start()

    def _query_processes(self) -> ProcessContext:
        from kg.queryrun import shell_context

        with self._context_lock:
            if self._query_context is None:
                self._query_context = shell_context()
            return self._query_context

    def close_store(self) -> None:
        self.refresher.wait()
        if self.store is not None:
            self.store.close()
            self.store = None

    def close(self) -> None:
        self.close_store()

    def refresh_metadata(self) -> None:
        def done(meta: GraphMetadata) -> None:
            self.metadata = meta

        self.refresher.refresh(self.store, done)

    # --- running things ---------------------------------------------------------------------------

    def execute(self, text: str) -> None:
        """Run one query or backslash command."""
        if is_command(text):
            dispatch(self, text)
        else:
            self.run_query(text)

    def run_query(self, text: str, record: str | None = None) -> None:
        self.last_query = record or text
        if is_update(text):
            self._run_update(text)
            return
        from kg.queryrun import check_services
        from kg.sparqlparse import parse

        check_services(parse(text).services, self.allow_service)
        store = self.require_store()
        if isinstance(store, OxigraphStore):
            result, elapsed = self._in_child(text)
        else:
            result, elapsed = self._in_worker(lambda: store.query(text))
        self.last_result = result
        self.show_result(result, elapsed=elapsed)

    def _in_child(self, text: str) -> tuple[QueryResult, float]:
        """Run a query on the embedded store in a child process: Ctrl-C kills it, and the work
        stops (a thread would run on to the end)."""
        from kg.queryrun import run_in_child

        check_syntax(text)  # here, with the caret, before any process starts
        try:
            context = self._query_processes()
            start = time.perf_counter()
            result = run_in_child(self.location, text, context)
        except KeyboardInterrupt:
            raise Cancelled() from None
        return result, time.perf_counter() - start

    def _run_update(self, text: str) -> None:
        if not self.allow_update:
            raise UpdateRefused("SPARQL Update is refused: start the shell with --allow-update to change the store")
        from kg.queryrun import check_services
        from kg.sparqlparse import parse

        check_services(parse(text).services, self.allow_service)
        if is_destructive(text) and self.interactive and not self.confirm("This update removes or overwrites data. Run it?"):
            self.notice("not run")
            return
        store = self.require_store()
        _, elapsed = self._in_worker(lambda: store.update(text))
        self.notice("update done" + (f" · {elapsed:.3f} s" if self.timing else ""))
        self.refresh_metadata()

    def require_store(self) -> Store:
        """The open store (KgError once it is closed)."""
        if self.store is None:
            raise KgError("the store is closed")
        return self.store

    def _in_worker(self, work: Callable[[], T]) -> tuple[T, float]:
        """Run `work` on a thread so Ctrl-C returns to the prompt at once; the abandoned query
        finishes on its own and its result is dropped."""
        box: dict[str, Any] = {}
        done = threading.Event()

        def run() -> None:
            start = time.perf_counter()
            try:
                box["value"] = work()
            except KgError as e:
                box["error"] = e.with_traceback(None)
            except Exception as e:
                # Store-level failures (a SERVICE that cannot be reached, a result that breaks
                # while it streams) become one-line errors. The traceback is dropped here, on
                # this thread: it holds pyoxigraph objects that must not die on another one.
                box["error"] = StoreError(f"query failed: {' '.join(str(e).split()) or type(e).__name__}")
            box["elapsed"] = time.perf_counter() - start
            done.set()

        try:
            threading.Thread(target=run, name="kg-query", daemon=True).start()
            while not done.wait(0.05):
                pass
        except KeyboardInterrupt:
            raise Cancelled() from None
        if "error" in box:
            raise box["error"]
        return box["value"], box["elapsed"]

    def run_statements(self, text: str, source: str = "<stdin>") -> int:
        """Run a script's queries and commands in order; the exit status is the worst seen
        (0 ok, 1 a failed query, 2 a syntax or usage error). Later statements still run."""
        status = EXIT_OK
        for st in split_script(text):
            try:
                self.execute(st.text)
            except Quit:
                break
            except KgError as e:
                self.report(e, where=f"{source}:{st.line + ((e.line or 1) - 1 if isinstance(e, QuerySyntaxError) else 0)}")
                status = max(status, e.exit_code)
            except Cancelled:
                raise KeyboardInterrupt() from None
        return status

    # --- output -----------------------------------------------------------------------------------

    def term_width(self) -> int | None:
        if self.width is not None:
            return self.width
        if self._is_tty(self.out):
            return shutil.get_terminal_size().columns
        return None

    @staticmethod
    def _is_tty(stream: TextIO) -> bool:
        try:
            return stream.isatty()
        except (AttributeError, ValueError):
            return False

    def emit(self, text: str, highlight: bool = False) -> None:
        """Print text for the user, through a pager when it is taller than the terminal and
        nothing has been typed ahead: the pager reads the keyboard, and would take what was
        typed for the next prompt as its own commands. A wide line alone never opens it."""
        if highlight and self.painter.enabled:
            text = _highlight(text)
        if not text.endswith("\n"):
            text += "\n"
        if self.interactive and self._is_tty(self.out) and not self._fits(text) and not _typed_ahead():
            if self._page(text):
                return
        self.out.write(text)
        self.out.flush()

    def _fits(self, text: str) -> bool:
        size = shutil.get_terminal_size()
        return text.count("\n") < size.lines - 2

    def _page(self, text: str) -> bool:
        pager = os.environ.get("PAGER") or "less -SRFX"
        try:
            proc = subprocess.Popen(shlex.split(pager), stdin=subprocess.PIPE, text=True)
            assert proc.stdin is not None
            try:
                proc.stdin.write(text)
                proc.stdin.close()
            except BrokenPipeError:
                pass
            proc.wait()
            return True
        except (OSError, ValueError):
            return False

    def notice(self, text: str) -> None:
        """A short status line: on screen in the shell, on stderr in scripts (stdout stays data)."""
        if self.interactive:
            self.out.write(self.painter.dim(text) + "\n")
            self.out.flush()
        else:
            self.err.write(text + "\n")
            self.err.flush()

    def report(self, error: BaseException, where: str = "") -> None:
        prefix = f"{where}: " if where else ""
        stream = self.out if self.interactive else self.err
        paint = self.painter if self.interactive else self.err_painter
        stream.write(paint.error(printable(f"{prefix}{error}")) + "\n")
        caret = error.caret() if isinstance(error, QuerySyntaxError) else ""
        if caret:
            stream.write(caret + "\n")
        stream.flush()

    def emit_rows(self, headers: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
        self.emit("\n".join(table_lines(headers, rows, width=self.term_width(), painter=self.painter)))

    def display_iri(self, iri: object) -> str:
        from kg.shell.metadata import readable_name

        label = self.metadata.labels().get(str(iri)) if self.labels else None
        return f"{label} ({readable_name(str(iri))})" if label else readable_name(str(iri))

    def show_result(
        self,
        result: QueryResult,
        *,
        elapsed: float | None = None,
        title: str | None = None,
        labels: bool | None = None,
    ) -> None:
        """Print a result in the current format, to the screen or to the file named by `\\o`."""
        self.last_count = len(result)
        if self.output_file is not None:
            self._write_file(result, self.output_file)
            return
        from kg import results

        # a graph-only format (\\format ntriples) leaves SELECT and ASK results as tables
        fmt = "table" if result.kind != "graph" and self.format in results.GRAPH_ONLY_FORMATS else self.format
        if title and fmt == "table":
            self.out.write(self.painter.header(title) + "\n")
        if result.kind == "graph":
            buf = io.StringIO()
            results.write(result, buf, fmt)
            self.emit(buf.getvalue().rstrip("\n"), highlight=results.graph_format(fmt) == "turtle")
            if fmt == "table":
                self._footer(len(result.triples), elapsed, "triple")
            return
        if fmt != "table":
            buf = io.StringIO()
            results.write(result, buf, fmt)
            self.out.write(buf.getvalue())
            self.out.flush()
            return
        limit = None
        count = len(result.rows)
        if result.kind == "select" and count > ASK_ABOVE_ROWS and self.terminal:
            if not self.confirm(f"The result has {count:,} rows. Print them all?"):
                limit = ASK_ABOVE_ROWS
        use_labels = self.labels if labels is None else labels
        label_map = self.label_map(result, limit) if use_labels and result.kind == "select" else None
        lines = result_lines(result, width=self.term_width(), labels=label_map, painter=self.painter, limit=limit,
                             expanded=self.expanded)
        self.emit("\n".join(lines))
        if result.kind == "select":
            if limit is not None:
                self.notice(f"(the first {limit:,} of {count:,} rows; \\o FILE writes them all)")
            self._footer(count, elapsed)

    def _footer(self, count: int, elapsed: float | None, noun: str = "row") -> None:
        self.out.write(self.painter.dim(footer(count, elapsed if self.timing else None, noun)) + "\n")
        self.out.flush()

    def send_output_to(self, path: Path | None, force: bool = False) -> None:
        """`\\o FILE`: from now on results go to FILE, which is created empty here (an existing
        file is replaced only with `force`); `\\o` alone: back to the screen."""
        from kg.outfile import check_writable

        if path is None:
            self.output_file = None
            return
        check_writable(path, force)
        try:
            with open(path, "w" if force else "x", encoding="utf-8"):
                pass
        except FileExistsError:
            raise UsageError(f"{path} exists (use --force to overwrite it)") from None
        except OSError as e:
            raise UsageError(f"cannot write {path}: {(e.strerror or str(e)).lower()}") from None
        self.output_file = path

    def _write_file(self, result: QueryResult, path: Path) -> None:
        """Add a result to the `\\o` file, whole: a table's values are never cut in a file."""
        from kg import results

        try:
            with open(path, "a", encoding="utf-8", newline="") as f:
                fmt = self.format
                if result.kind != "graph" and fmt in results.GRAPH_ONLY_FORMATS:
                    fmt = "table"
                if fmt == "table" and result.kind == "select":
                    label_map = self.label_map(result) if self.labels else None
                    f.write("\n".join(result_lines(result, width=None, labels=label_map, max_cell=None,
                                                   expanded="on" if self.expanded == "on" else "off")) + "\n")
                else:
                    results.write(result, f, fmt)
        except OSError as e:
            raise UsageError(f"cannot write {path}: {(e.strerror or str(e)).lower()}") from None
        noun = "triple" if result.kind == "graph" else "row"
        self.notice(f"wrote {footer(len(result), None, noun)} to {path}")

    def label_map(self, result: QueryResult, limit: int | None = None) -> dict[str, str]:
        """rdfs:label of the IRIs in the result, looked up in the store."""
        from rdflib import URIRef

        rows = result.rows if limit is None else result.rows[:limit]
        iris = sorted({str(t) for row in rows for t in row if isinstance(t, URIRef)})
        labels: dict[str, str] = {}
        store = self.require_store()
        for i in range(0, len(iris), LABEL_BATCH):
            values = " ".join(f"<{iri}>" for iri in iris[i : i + LABEL_BATCH] if ">" not in iri and " " not in iri)
            if not values:
                continue
            found = store.query(
                f"SELECT ?s (SAMPLE(?l) AS ?label) WHERE {{ VALUES ?s {{ {values} }} ?s rdfs:label ?l }} GROUP BY ?s"
            )
            labels.update({str(s): str(label) for s, label in found.rows if label is not None})
        return labels

    def last_result_iris(self) -> list[Any]:
        from rdflib import URIRef

        result = self.last_result
        if result is None:
            return []
        terms = [t for row in result.rows for t in row] if result.kind == "select" else [
            t for triple in result.triples for t in (triple[0], triple[2])
        ]
        seen: dict[str, Any] = {}
        for t in terms:
            if isinstance(t, URIRef):
                seen.setdefault(str(t), t)
        return list(seen.values())

    # --- talking to the user ----------------------------------------------------------------------

    def confirm(self, question: str) -> bool:
        if not self.interactive:
            return True
        from prompt_toolkit import PromptSession

        session: PromptSession[str] = PromptSession(input=self.pt_input, output=self.pt_output)
        try:
            answer = session.prompt(f"{question} [y/N] ")
        except (EOFError, KeyboardInterrupt):
            return False
        return answer.strip().lower() in ("y", "yes")

    def edit(self, text: str) -> str:
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        with tempfile.NamedTemporaryFile("w", suffix=".rq", delete=False, encoding="utf-8") as f:
            f.write(text)
            name = f.name
        try:
            subprocess.call([*shlex.split(editor), name])
            return Path(name).read_text(encoding="utf-8")
        except OSError as e:
            raise UsageError(f"cannot start the editor '{editor}': {e.strerror or e}") from None
        finally:
            os.unlink(name)

    def toolbar(self) -> StyleAndTextTuples:
        rows = "–" if self.last_count is None else f"{self.last_count:,}"
        mode = "updates allowed" if self.allow_update else "read-only"
        busy = " · loading completions" if self.refresher.busy() else ""
        problem = f" · {self.refresher.error}" if self.refresher.error else ""
        return [
            ("class:bottom-toolbar", f" {self.location} · "),
            ("class:bottom-toolbar.key", f"{rows} rows"),
            ("class:bottom-toolbar", f" · {self.format} · timing {'on' if self.timing else 'off'}"),
            ("class:bottom-toolbar", f" · labels {'on' if self.labels else 'off'} · expanded {self.expanded}"),
            ("class:bottom-toolbar", f" · {mode}{busy}{problem} "),
        ]

    # --- the prompt loop --------------------------------------------------------------------------

    def session(self) -> Any:
        from prompt_toolkit import PromptSession
        from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
        from prompt_toolkit.history import FileHistory, History, InMemoryHistory
        from prompt_toolkit.lexers import PygmentsLexer
        from prompt_toolkit.output import ColorDepth
        from pygments.lexers.rdf import SparqlLexer

        from kg.shell.completer import SparqlCompleter
        from kg.shell.keys import shell_bindings
        from kg.shell.style import prompt_style

        history: History
        path = self.history or history_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch(exist_ok=True)
            history = FileHistory(str(path))
        except OSError:
            history = InMemoryHistory()

        def continuation(width: int, line_number: int, wrap_count: int) -> StyleAndTextTuples:
            return [("class:continuation", "...> ".rjust(width))]

        return PromptSession(
            message=[("class:prompt", "kg> ")],
            multiline=True,
            prompt_continuation=continuation,
            lexer=PygmentsLexer(SparqlLexer) if self.color else None,
            completer=SparqlCompleter(lambda: self.metadata),
            complete_in_thread=True,
            complete_while_typing=True,
            auto_suggest=AutoSuggestFromHistory(),
            history=history,
            search_ignore_case=True,
            key_bindings=shell_bindings(),
            bottom_toolbar=self.toolbar,
            style=prompt_style(self.color),
            include_default_pygments_style=False,
            color_depth=None if self.color else ColorDepth.MONOCHROME,
            enable_open_in_editor=False,  # Ctrl-X Ctrl-E is the shell's own (kg.shell.keys)
            tempfile_suffix=".rq",
            input=self.pt_input,
            output=self.pt_output,
        )

    def run_interactive(self) -> int:
        session = self.prompt_session = self.session()
        self.refresh_metadata()
        mode = "updates allowed" if self.allow_update else "read-only"
        self.out.write(self.painter.dim(f"kg shell · {self.location} ({mode}) · \\? for help · Ctrl-D to leave") + "\n")
        while True:
            try:
                text = session.prompt(default=self.next_text)
            except KeyboardInterrupt:
                self.next_text = ""
                continue
            except EOFError:
                break
            self.next_text = ""
            if not text.strip():
                continue
            try:
                self.execute(text.rstrip().strip("\n"))
            except Quit:
                break
            except (Cancelled, KeyboardInterrupt):
                self.notice("cancelled")
            except KgError as e:
                self.report(e)
            except Exception as e:  # keep the shell alive whatever a store or command does
                self.report(KgError(f"{type(e).__name__}: {e}"))
        self.close()
        return EXIT_OK


def _typed_ahead() -> bool:
    """Whether keys wait unread on the terminal (typed while a query ran). Between prompts the
    terminal is in canonical mode, which hides a line not yet ended by Enter: canonical mode is
    turned off for the moment of the look, which keeps what is buffered."""
    import select
    import termios

    try:
        fd = sys.stdin.fileno()
        if not os.isatty(fd):
            return False
        saved = termios.tcgetattr(fd)
    except (OSError, ValueError, termios.error):
        return False
    raw = list(saved)
    raw[3] &= ~termios.ICANON
    raw[6] = list(saved[6])
    raw[6][termios.VMIN], raw[6][termios.VTIME] = 0, 0
    try:
        termios.tcsetattr(fd, termios.TCSANOW, raw)
        ready, _, _ = select.select([fd], [], [], 0)
        return bool(ready)
    except (OSError, termios.error):
        return False
    finally:
        with contextlib.suppress(OSError, termios.error):
            termios.tcsetattr(fd, termios.TCSANOW, saved)


def _highlight(text: str) -> str:
    from pygments import highlight
    from pygments.formatters import TerminalFormatter
    from pygments.lexers.rdf import SparqlLexer, TurtleLexer

    lexer = TurtleLexer() if text.lstrip().startswith("@prefix") else SparqlLexer()
    return highlight(text, lexer, TerminalFormatter()).rstrip("\n")
