"""A SPARQL 1.1 endpoint as the store: the SPARQL 1.1 Protocol for queries and updates, and the
Graph Store Protocol (when the server has one) for pushing whole graphs.

Configuration comes from the environment, never from the command line:

- the location (`--store URL` or `$KG_STORE`) is the query endpoint, e.g. `http://host:8890/sparql`;
- `$KG_UPDATE_URL`: a separate update endpoint (default: the query endpoint);
- `$KG_GSP_URL`: the Graph Store Protocol endpoint (default: guessed for Virtuoso, Fuseki and
  Oxigraph server from the query URL; `none` to push graphs with SPARQL Update only);
- `$KG_USER` and `$KG_PASSWORD`, or the host's entry in `~/.netrc`: credentials (HTTP Basic or Digest);
- `$KG_HTTP_TIMEOUT`: seconds to wait for a server answer when no query timeout is given (default 300).

The server must present the union of the named graphs as the default graph (see the README for
Fuseki, GraphDB, Oxigraph server and Neptune; Virtuoso does so out of the box).
"""

from __future__ import annotations

import http.client
import io
import json
import math
import netrc
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterable, Iterator, Sequence

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.errors import QuerySyntaxError, ResultTooLarge, StoreError, UpdateRefused, UsageError
from kg.ontology import KNOWLEDGE_GRAPH, PREFIXES
from kg.sparqlparse import MAX_QUERY_CHARS, Parsed, parse
from kg.store import (
    STRINGS_IRIS_COMMENTS,
    UPDATE_REFUSED,
    ArticleGraph,
    Dataset,
    Quad,
    QueryResult,
    Store,
    Term,
    Triple,
    has_dataset_clause,
    orphans_of,
    retract_facts,
    syntax_error,
)

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
STAGING_PREFIX = "urn:kg:staging:"

# Graphs a server keeps for itself; they are not part of the knowledge graph (dumps skip them).
_SYSTEM_GRAPHS = re.compile(
    r"^(?:http://www\.openlinksw\.com/|http://www\.w3\.org/ns/ldp#$|http://localuriqaserver/|"
    + re.escape(STAGING_PREFIX)
    + ")"
)

# Characters that could end an IRI early in SPARQL or N-Triples text (and so inject statements).
_IRI_FORBIDDEN = re.compile(r'[<>"\\\x00-\x1f]')

_RETRIES = 3
_BACKOFF = 0.5  # seconds, doubled after each attempt
# Triples per request. Virtuoso 7 refuses an INSERT DATA of more than about 1,000 triples ("generated
# SQL text has exceeded 10000 lines"); graphs above this go through a staging graph.
_BATCH = 500


class _Retryable(Exception):
    """A connection-level failure worth trying again."""


def _env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and 0 < seconds <= 1e6):
        raise UsageError(f"${name} must be a number of seconds above 0 and at most 1e6, not {value!r}")
    return seconds


def guess_graph_store(query_url: str) -> str | None:
    """The Graph Store Protocol endpoint of well-known servers, guessed from their query endpoint URL."""
    parts = urllib.parse.urlsplit(query_url)
    path = parts.path.rstrip("/")

    def at(new_path: str) -> str:
        return urllib.parse.urlunsplit(parts._replace(path=new_path, query="", fragment=""))

    if (parts.hostname or "").endswith(".neptune.amazonaws.com") and path == "/sparql":
        return at("/sparql/gsp/")
    if re.search(r"/repositories/[^/]+$", path):  # GraphDB, RDF4J
        return at(path + "/rdf-graphs/service")
    m = re.fullmatch(r"(/[^/]+)/(?:sparql|query)", path)
    if m:  # Fuseki: /dataset/sparql or /dataset/query
        return at(m.group(1) + "/data")
    if path == "/sparql-auth":  # Virtuoso, authenticated
        return at("/sparql-graph-crud-auth")
    if path == "/sparql":  # Virtuoso
        return at("/sparql-graph-crud")
    if path == "/query":  # Oxigraph server
        return at("/store")
    return None


class EndpointStore(Store):
    """The `Store` interface over HTTP: one named graph per article, queried as their union."""

    def __init__(
        self,
        location: str,
        *,
        update_url: str | None = None,
        graph_store_url: str | None = None,
        batch_size: int = _BATCH,
    ) -> None:
        try:
            parts = urllib.parse.urlsplit(location)
            parts.port  # noqa: B018 - a bad port raises here, not later in the middle of a request
        except ValueError as e:
            raise UsageError(f"not a SPARQL endpoint URL: {location} ({e})") from None
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise UsageError(f"not a SPARQL endpoint URL: {location}")
        if parts.username or parts.password:
            raise UsageError(
                "credentials do not go in the store URL: set KG_USER and KG_PASSWORD or use ~/.netrc"
            )
        self.location = location
        self.update_url = update_url or os.environ.get("KG_UPDATE_URL") or location
        gsp = graph_store_url if graph_store_url is not None else os.environ.get("KG_GSP_URL")
        # A guessed endpoint that turns out not to exist is dropped for SPARQL Update; a given one must work.
        self._graph_store_guessed = gsp is None
        if gsp is None:
            gsp = guess_graph_store(location)
        self.graph_store_url = None if not gsp or gsp.lower() == "none" else gsp
        self.batch_size = max(1, batch_size)
        self.http_timeout = _env_float("KG_HTTP_TIMEOUT", 300.0)
        self._credentials = _credentials(parts.hostname)
        self._opener = self._build_opener()
        self._virtuoso: bool | None = None  # learnt from the first answer's Server header
        self._staging_cleaned = False

    # --- HTTP ---------------------------------------------------------------------------------

    def _build_opener(self) -> urllib.request.OpenerDirector:
        handlers: list[urllib.request.BaseHandler] = []
        if self._credentials:
            user, password = self._credentials
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in {self.location, self.update_url, self.graph_store_url}:
                if url:
                    manager.add_password(None, url, user, password)
            handlers += [urllib.request.HTTPBasicAuthHandler(manager), urllib.request.HTTPDigestAuthHandler(manager)]
        return urllib.request.build_opener(*handlers)

    def _send(
        self,
        method: str,
        url: str,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        timeout: float | None = None,
        idempotent: bool = True,
        what: str = "request",
    ) -> tuple[bytes, dict[str, str]]:
        """One HTTP exchange with bounded retries; returns the body and the response headers.

        Connection failures are retried with backoff: every kind for idempotent requests, only
        refused connections (the request never reached the server) for updates.
        """
        delay = _BACKOFF
        for attempt in range(_RETRIES + 1):
            try:
                return self._exchange(method, url, body, headers or {}, timeout, idempotent, what)
            except _Retryable as e:
                if attempt == _RETRIES:
                    raise StoreError(f"cannot reach {_short(url)} after {_RETRIES + 1} attempts: {e}") from None
                time.sleep(delay)
                delay *= 2
        raise AssertionError("unreachable")

    def _exchange(
        self,
        method: str,
        url: str,
        body: bytes | None,
        headers: dict[str, str],
        timeout: float | None,
        idempotent: bool,
        what: str,
    ) -> tuple[bytes, dict[str, str]]:
        request = urllib.request.Request(url, data=body, headers=headers, method=method)
        wait = timeout if timeout is not None else self.http_timeout
        try:
            with self._opener.open(request, timeout=wait) as response:
                headers = {k.lower(): v for k, v in response.headers.items()}
                if self._virtuoso is None:
                    self._virtuoso = "virtuoso" in headers.get("server", "").lower()
                return response.read(), headers
        except urllib.error.HTTPError as e:
            detail = _server_message(e.read() if e.fp else b"")
            if e.code in (502, 503, 504) and idempotent:
                raise _Retryable(f"HTTP {e.code}") from None
            raise _http_error(e.code, url, what, detail, bool(self._credentials)) from None
        except TimeoutError:
            if timeout is not None:
                raise StoreError(f"the {what} timed out after {timeout:g} s at {_short(url)}") from None
            raise StoreError(
                f"{_short(url)} did not answer within {wait:g} s (set $KG_HTTP_TIMEOUT to wait longer)"
            ) from None
        except urllib.error.URLError as e:
            reason = e.reason
            if isinstance(reason, TimeoutError):
                raise StoreError(f"the {what} timed out after {wait:g} s at {_short(url)}") from None
            if isinstance(reason, ConnectionRefusedError) or idempotent:
                raise _Retryable(str(reason)) from None
            raise StoreError(f"connection to {_short(url)} failed during the {what}: {reason}") from None
        except ConnectionRefusedError as e:
            raise _Retryable(str(e)) from None
        except (ConnectionError, http.client.HTTPException, OSError) as e:
            if idempotent:
                raise _Retryable(str(e) or type(e).__name__) from None
            raise StoreError(f"connection to {_short(url)} failed during the {what}: {e}") from None

    def _post_form(
        self, url: str, fields: dict[str, str | list[str]], accept: str, **kw: object
    ) -> tuple[bytes, dict[str, str]]:
        body = urllib.parse.urlencode(fields, doseq=True).encode("utf-8")
        headers = {"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8", "Accept": accept}
        return self._send("POST", url, body=body, headers=headers, **kw)  # type: ignore[arg-type]

    # --- queries ------------------------------------------------------------------------------

    def query(self, sparql: str, *, timeout: float | None = None, max_rows: int | None = None,
              dataset: Dataset | None = None) -> QueryResult:
        result = self._query(sparql, timeout, paging=False, dataset=dataset)
        if max_rows is not None and len(result) > max_rows:
            raise ResultTooLarge(max_rows)
        return result

    def _query(self, sparql: str, timeout: float | None, *, paging: bool, dataset: Dataset | None = None) -> QueryResult:
        """Run a query; `paging` callers handle a server's row cap themselves."""
        # Only a text the query grammar reads as a query goes out: a server may run an update
        # sent as a query (Virtuoso does), so the grammar is the read-only guard.
        parsed = parse(sparql)
        if parsed.kind == "update":
            raise UpdateRefused(UPDATE_REFUSED)
        if parsed.kind is None and not _oxigraph_reads_as_query(sparql):
            # SPARQL 1.2 and extensions Oxigraph's query grammar knows (HASLANG) are queries too.
            raise _unreadable(sparql, parsed)
        text, added_lines = with_prefixes(sparql)
        graph_result = parsed.form in ("construct", "describe")
        accept = (
            "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
            if graph_result
            else "application/sparql-results+json"
        )
        fields: dict[str, str | list[str]] = {"query": text, **_dataset_fields(sparql, dataset)}
        if timeout is not None:
            if self._virtuoso is None:
                self._probe()
            if self._virtuoso:
                # Virtuoso stops a query after this many milliseconds (and flags the partial answer,
                # refused below); without it the server goes on computing after the client gave up.
                fields["timeout"] = str(max(1, int(timeout * 1000)))
        try:
            body, headers = self._post_form(self.location, fields, accept, timeout=timeout, what="query")
        except _ServerRefused as e:
            raise _query_error(e.detail, sparql, added_lines) from None
        if headers.get("x-sql-state") == "S1TAT":
            # Virtuoso's "anytime" answer: a partial result after its time limit. Never pass it off as whole.
            limit = f" after {timeout:g} s" if timeout is not None else " at the server's time limit"
            raise StoreError(f"the query timed out{limit} (the server sent a partial result, not shown)")
        content_type = headers.get("content-type", "").split(";")[0].strip().lower()
        if graph_result:
            return QueryResult("graph", triples=_parse_triples(body, content_type))
        if content_type not in ("application/sparql-results+json", "application/json"):
            raise StoreError(f"{_short(self.location)} answered a query with {content_type or 'no content type'}, not SPARQL JSON results")
        result = _parse_results(body)
        cap = headers.get("x-sparql-maxrows", "")
        if (not paging and cap.isdigit() and len(result.rows) >= int(cap) and not _limited_to(sparql, int(cap))
                and not self._nothing_beyond(sparql, int(cap), timeout)):
            # Virtuoso cuts results at its ResultSetMaxRows and only says so in this header.
            raise StoreError(
                f"the server cut the result off at {cap} rows (its result row limit): page through it "
                "with LIMIT and OFFSET, or raise the limit on the server (Virtuoso: ResultSetMaxRows)"
            )
        return result

    def _nothing_beyond(self, sparql: str, cap: int, timeout: float | None) -> bool:
        """Whether a result of exactly `cap` rows is whole: the same query from row `cap` on is
        empty. Asked only when the text takes an appended LIMIT and OFFSET (it has no outer LIMIT,
        OFFSET or VALUES of its own)."""
        if not parse(sparql).open_ended:
            return False
        rest = self._query(f"{sparql}\nLIMIT 1 OFFSET {cap}", timeout, paging=True)
        return not rest.rows

    def _probe(self) -> None:
        """One trivial query, to learn which server this is."""
        self._post_form(self.location, {"query": "ASK {}"}, "application/sparql-results+json", what="query")

    def update(self, sparql: str) -> None:
        text, added_lines = with_prefixes(sparql)
        try:
            self._update_raw(text)
        except _ServerRefused as e:
            raise _query_error(e.detail, sparql, added_lines) from None

    def _update_raw(self, text: str) -> None:
        self._post_form(self.update_url, {"update": text}, "*/*", idempotent=False, what="update")

    # --- graphs -------------------------------------------------------------------------------

    def replace_graph(self, graph: str, triples: Iterable[Triple]) -> None:
        """Make `graph` hold exactly `triples`: a failure leaves the old graph or the new one, never half.

        A graph that fits in one batch goes in one update request (`DROP SILENT GRAPH; INSERT DATA`),
        which a SPARQL 1.1 server commits or rolls back as a whole. A larger one is loaded into a
        staging graph (Graph Store Protocol where available, else SPARQL Update in batches) and one
        update request then moves it over the old graph; a failure before that leaves the old graph
        untouched and the staging graph is dropped. (Virtuoso commits each request as a whole, but
        its SPARQL readers are not isolated from a request in progress: a query running during the
        move can count a graph half replaced.)
        """
        self.drop_leftover_staging()
        target = _iri(graph)
        batches = list(_batches(list(triples), self.batch_size))
        if not batches:
            self.drop_graph(graph)
            return
        if len(batches) == 1:
            self._refused_as_store_error(
                f"{retract_facts(graph)}DROP SILENT GRAPH {target} ;\n{_insert(target, batches[0])}", graph)
            return
        staging = f"{STAGING_PREFIX}{uuid.uuid4()}"
        try:
            for i, batch in enumerate(batches):
                if self.graph_store_url and self._graph_store_write("PUT" if i == 0 else "POST", staging, batch, graph):
                    continue
                self._refused_as_store_error(_insert(f"<{staging}>", batch), graph)
            self._refused_as_store_error(f"{retract_facts(graph)}MOVE <{staging}> TO {target}", graph)
        except BaseException:
            try:
                self._update_raw(f"DROP SILENT GRAPH <{staging}>")
            except StoreError:
                pass
            raise

    def drop_leftover_staging(self) -> None:
        """Drop the staging graphs an earlier push left behind (its connection was lost before it
        could clean up): on a server whose default graph is the union of all graphs, every query
        would count their triples again. Done once, before this store's first write."""
        if self._staging_cleaned:
            return
        self._staging_cleaned = True
        result = self._query(
            f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{STAGING_PREFIX}")) }}',
            None, paging=False,
        )
        for (g,) in result.rows:
            if isinstance(g, URIRef) and str(g).startswith(STAGING_PREFIX):
                self._update_raw(f"DROP SILENT GRAPH {_iri(str(g))}")

    def merge_graph(self, graph: str, triples: Iterable[Triple]) -> None:
        self.drop_leftover_staging()
        target = _iri(graph)
        for batch in _batches(list(triples), self.batch_size):
            if self.graph_store_url and self._graph_store_write("POST", graph, batch, graph):
                continue
            self._refused_as_store_error(_insert(target, batch), graph)

    def write_articles(self, articles: Sequence[ArticleGraph]) -> None:
        """Each article in one update request when it fits (its old facts taken out of the knowledge
        graph, its graph replaced and its share of the knowledge graph merged together), else its
        graph replaced and then its share merged. The graphs of earlier versions of its file go
        after it is written."""
        self.drop_leftover_staging()
        shared = _iri(KNOWLEDGE_GRAPH)
        for article in articles:
            target = _iri(article.iri)
            if len(article) <= self.batch_size:
                parts = [f"{retract_facts(article.iri)}DROP SILENT GRAPH {target}"]
                parts += [_insert(target, text) for text in _batches(article.triples, self.batch_size)]
                parts += [_insert(shared, text) for text in _batches(article.shared, self.batch_size)]
                self._refused_as_store_error(" ;\n".join(parts), article.iri)
            else:
                self.replace_graph(article.iri, article.triples)
                self.merge_graph(KNOWLEDGE_GRAPH, article.shared)
            for old in article.replaces:
                self.drop_graph(old)

    def _refused_as_store_error(self, text: str, graph: str) -> None:
        try:
            self._update_raw(text)
        except _ServerRefused as e:
            raise StoreError(f"the server refused graph <{graph}>: {e.detail}") from None

    def _graph_store_write(self, method: str, graph: str, ntriples: str, target: str) -> bool:
        """Upload through the Graph Store Protocol; False if a guessed endpoint turned out not to exist."""
        assert self.graph_store_url is not None
        sep = "&" if "?" in self.graph_store_url else "?"
        url = f"{self.graph_store_url}{sep}{urllib.parse.urlencode({'graph': graph})}"
        try:
            self._send(
                method,
                url,
                body=ntriples.encode("utf-8"),
                headers={"Content-Type": "application/n-triples; charset=UTF-8"},
                idempotent=method == "PUT",
                what="graph upload",
            )
        except _ServerRefused as e:
            raise StoreError(f"the server refused graph <{target}>: {e.detail}") from None
        except _NoGraphStore:
            if not self._graph_store_guessed:
                raise
            self.graph_store_url = None
            return False
        return True

    def drop_graph(self, graph: str) -> None:
        # One request: the article's facts and the descriptions only it needed go with its graph.
        self._update_raw(f"{retract_facts(graph)}{orphans_of(graph)} ;\nDROP SILENT GRAPH {_iri(graph)}")

    def graphs(self) -> dict[str, int]:
        """The knowledge graph's named graphs with their triple counts (server-internal graphs left out)."""
        result = self._query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", None, paging=False
        )
        counts: dict[str, int] = {}
        for g, n in result.rows:
            if isinstance(g, URIRef) and not _SYSTEM_GRAPHS.match(str(g)):
                counts[str(g)] = int(n)  # type: ignore[arg-type]
        return counts

    def select_all(self, sparql: str, order: str) -> list[tuple[Term | None, ...]]:
        """Every row of a SELECT, read in pages in the `order` given: a short page is taken as the
        server's cap and paging goes on from there until a page is empty."""
        rows: list[tuple[Term | None, ...]] = []
        page = 10000
        while True:
            result = self._query(f"{sparql}\nORDER BY {order} LIMIT {page} OFFSET {len(rows)}", None, paging=True)
            if not result.rows:
                return rows
            rows += result.rows
            page = min(page, len(result.rows))

    def quads(self) -> Iterator[Quad]:
        """Every quad of the article graphs, read in pages.

        Servers cap result sizes (Virtuoso's ResultSetMaxRows, 10,000 by default) without saying so;
        a short page is taken as the cap and paging goes on from there, and the total is checked
        against the graph's count so a truncated read is an error, not a smaller dump.
        """
        for graph, expected in sorted(self.graphs().items()):
            got = 0
            page = 10000
            while got < expected:
                result = self._query(
                    f"SELECT ?s ?p ?o WHERE {{ GRAPH {_iri(graph)} {{ ?s ?p ?o }} }} "
                    f"ORDER BY ?s ?p ?o LIMIT {page} OFFSET {got}",
                    None,
                    paging=True,
                )
                if not result.rows:
                    break
                g = URIRef(graph)
                for s, p, o in result.rows:
                    yield (s, p, o, g)  # type: ignore[misc]
                got += len(result.rows)
                page = min(page, len(result.rows))
            if got < expected:
                raise StoreError(f"read only {got} of {expected} triples of graph <{graph}> from {_short(self.location)}")


# --- query text -----------------------------------------------------------------------------------

_GRAPH_NAME = re.compile(r"(?i)\bGRAPH\s+(?:<([^<>\s]*)>|([A-Za-z][\w.-]*)?:([\w.-]*)|([?$]))")


def _dataset_fields(sparql: str, dataset: Dataset | None = None) -> dict[str, str | list[str]]:
    """The protocol's dataset for a query that names none: the knowledge graph as the default graph
    (a set; a server's union of all graphs repeats a triple once per graph holding it), every graph
    as a named graph. Servers take "every graph" from no named-graph-uri at all (Virtuoso,
    Oxigraph), but Virtuoso then finds nothing in `GRAPH <name>`: a query naming its graphs, and
    none by a variable, lists them. A `dataset` given goes as it is."""
    if dataset is not None and (dataset.default or dataset.named):
        given: dict[str, str | list[str]] = {}
        if dataset.default:
            given["default-graph-uri"] = list(dataset.default)
        if dataset.named:
            given["named-graph-uri"] = list(dataset.named)
        return given
    if has_dataset_clause(sparql):
        return {}
    fields: dict[str, str | list[str]] = {"default-graph-uri": KNOWLEDGE_GRAPH}
    named: list[str] = []
    for iri, prefix, local, variable in _GRAPH_NAME.findall(STRINGS_IRIS_COMMENTS.sub(_keep_iris, sparql)):
        if variable:
            return fields
        if iri:
            named.append(iri)
        elif PREFIXES.get(prefix or ""):
            named.append(PREFIXES[prefix or ""] + local)
    if named:
        fields["named-graph-uri"] = sorted(set(named))
    return fields


def _keep_iris(match: re.Match[str]) -> str:
    """Blank out strings and comments, keep IRIs (graph names)."""
    return match.group(0) if match.group(0).startswith("<") else " "


def _limited_to(sparql: str, rows: int) -> bool:
    """Whether the query's own outermost LIMIT asks for at most `rows` rows (read from its parse:
    a pattern over the text can take exponential time on a hostile one)."""
    limit = parse(sparql).limit
    return limit is not None and limit <= rows


def with_prefixes(sparql: str) -> tuple[str, int]:
    """The query with the project's PREFIX declarations it lacks, on one added line.

    Which prefixes the text declares is read from its parse, never searched for in the text (a
    string literal may hold "prefix kg:"). Returns the text and the number of lines added before
    the user's first line (0 or 1), so a position the server reports can be mapped back to the
    user's text.
    """
    declared = set(parse(sparql).prefixes)
    missing = [f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items() if p not in declared]
    if not missing:
        return sparql, 0
    return " ".join(missing) + "\n" + sparql, 1


class _NoGraphStore(StoreError):
    """The Graph Store Protocol endpoint does not exist or does not take uploads."""


class _ServerRefused(StoreError):
    """HTTP 400: the server refused the request text (syntax or a value it cannot store)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


_LINE = re.compile(r"(?i)\bline (\d+)(?:, column (\d+))?")


def _query_error(detail: str, sparql: str, added_lines: int) -> KgErrorType:
    """A server's 400 answer as a query error positioned in the user's text where possible.

    Oxigraph parses the query locally first: if it finds an error, its message and position are the
    same ones the embedded store gives. Otherwise the server's message is used, with its line number
    shifted back over the prefix line this module added.
    """
    local = _local_syntax_error(sparql)
    if local is not None:
        return local
    m = _LINE.search(detail)
    message = " ".join(detail.split())
    if m and added_lines:
        line = int(m.group(1)) - added_lines
        lines = sparql.splitlines()
        if 1 <= line <= len(lines):
            column = int(m.group(2)) if m.group(2) else None
            token = re.search(r"at '([^']+)'", detail)
            if column is None and token and token.group(1) in lines[line - 1]:
                # Virtuoso names the token, not the column: find it on that line.
                column = lines[line - 1].index(token.group(1)) + 1
            message = message[: m.start()] + f"line {line}" + message[m.end():]
            return QuerySyntaxError(f"the server refused the query: {_clip(message)}", sparql, line, column)
    return QuerySyntaxError(f"the server refused the query: {_clip(message)}", sparql)


KgErrorType = QuerySyntaxError | StoreError


def _unreadable(sparql: str, parsed: Parsed) -> QuerySyntaxError:
    """A text the grammar reads as neither a query nor an update: never sent. Oxigraph's message
    (the one the embedded store gives) when it has one, else the grammar's, at its position."""
    local = _local_syntax_error(sparql) if len(sparql) <= MAX_QUERY_CHARS else None
    if local is not None:
        return local
    line = column = None
    if parsed.offset >= 0:
        before = sparql[: parsed.offset]
        line = before.count("\n") + 1
        column = parsed.offset - (before.rfind("\n") + 1) + 1
    return QuerySyntaxError(parsed.error, sparql, line, column)


def _oxigraph_reads_as_query(sparql: str) -> bool:
    """Whether Oxigraph's query grammar accepts the text. Its parser cannot be called without
    evaluating on an (empty) store, so texts naming SERVICE are not tried: that would reach out."""
    import pyoxigraph as ox

    if len(sparql) > MAX_QUERY_CHARS or re.search(r"(?i)service", sparql):
        return False
    try:
        ox.Store().query(sparql, prefixes=PREFIXES)
    except SyntaxError:
        return False
    except Exception:  # noqa: BLE001 - it parsed; evaluating on an empty store is not the question
        return True
    return True


def _local_syntax_error(sparql: str) -> QuerySyntaxError | None:
    import pyoxigraph as ox

    parsed = parse(sparql)
    if parsed.services or "load" in parsed.operations:
        return None  # checking it here would evaluate it, and these reach out to the network
    try:
        if parsed.kind == "update":
            ox.Store().update(sparql, prefixes=PREFIXES)
        else:
            ox.Store().query(sparql, prefixes=PREFIXES)
    except SyntaxError as e:
        return syntax_error(str(e), sparql)
    except Exception:  # noqa: BLE001 - anything but a syntax error is the server's business
        return None
    return None


def _clip(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


# --- terms ----------------------------------------------------------------------------------------


def _iri(value: str) -> str:
    if _IRI_FORBIDDEN.search(value):
        raise StoreError(f"invalid IRI {value!r}: it contains a character IRIs cannot hold")
    return f"<{value}>"


def _bnode_label(value: str) -> str:
    """A blank node label that N-Triples, SPARQL and Turtle all accept."""
    label = re.sub(r"[^A-Za-z0-9_]", "_", value)
    return label if label[:1].isalpha() else "b" + label


def nt_term(term: Node) -> str:
    """A term in N-Triples syntax (also valid in SPARQL INSERT DATA)."""
    if isinstance(term, URIRef):
        return _iri(str(term))
    if isinstance(term, BNode):
        return "_:" + _bnode_label(str(term))
    if isinstance(term, Literal):
        text = (
            str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        )
        if term.language:
            return f'"{text}"@{term.language}'
        if term.datatype is not None and str(term.datatype) != _XSD_STRING:
            return f'"{text}"^^{_iri(str(term.datatype))}'
        return f'"{text}"'
    raise StoreError(f"unsupported RDF term: {term!r}")


def _batches(triples: list[Triple], size: int) -> Iterator[str]:
    """N-Triples text in chunks of about `size` triples.

    Blank node labels only mean the same node within one request, so all triples that share a
    blank node (directly or through a chain) go into the same chunk.
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    groups: dict[str | int, list[Triple]] = {}
    for s, _p, o in triples:
        nodes = [str(t) for t in (s, o) if isinstance(t, BNode)]
        for other in nodes[1:]:
            parent[find(other)] = find(nodes[0])
    for i, (s, p, o) in enumerate(triples):
        bnode = next((str(t) for t in (s, o) if isinstance(t, BNode)), None)
        key: str | int = find(bnode) if bnode is not None else i
        groups.setdefault(key, []).append((s, p, o))
    chunk: list[str] = []
    for group in groups.values():
        if chunk and len(chunk) + len(group) > size:
            yield "".join(chunk)
            chunk = []
        chunk.extend(f"{nt_term(s)} {nt_term(p)} {nt_term(o)} .\n" for s, p, o in group)
    if chunk:
        yield "".join(chunk)


def _insert(graph: str, ntriples: str) -> str:
    """An update adding N-Triples text to a graph.

    Virtuoso refuses blank nodes in INSERT DATA ("not allowed in a constant clause"), so a batch
    with blank nodes becomes a template instantiated once (`INSERT {...} WHERE {}`), which every
    SPARQL 1.1 server reads the same way: one fresh node per label.
    """
    if "_:" in ntriples and re.search(r"(?m)(?:^|\s)_:", _strip_literals(ntriples)):
        return f"INSERT {{ GRAPH {graph} {{\n{ntriples}}} }} WHERE {{}}"
    return f"INSERT DATA {{ GRAPH {graph} {{\n{ntriples}}} }}"


def _strip_literals(text: str) -> str:
    return re.sub(r'"(?:[^"\\]|\\.)*"', '""', text)


def _json_term(value: object) -> Term | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("value", ""), str):
        raise StoreError(f"the server sent a result term that is not a SPARQL JSON term: {_clip(repr(value), 120)}")
    kind = value.get("type")
    text = value.get("value", "")
    if kind == "uri":
        return URIRef(text)
    if kind == "bnode":
        return BNode(_bnode_label(text))
    if kind in ("literal", "typed-literal"):
        lang = value.get("xml:lang")
        if lang and isinstance(lang, str):
            return Literal(text, lang=lang)
        datatype = value.get("datatype")
        if datatype and isinstance(datatype, str) and datatype != _XSD_STRING:
            return Literal(text, datatype=URIRef(datatype))
        return Literal(text)
    raise StoreError(f"unsupported term in the server's results: {_clip(repr(value), 120)}")


def _parse_results(body: bytes) -> QueryResult:
    """SPARQL JSON results, checked for shape: a server's odd answer is one error, never a crash."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as e:
        raise StoreError(f"the server sent results that are not JSON: {e}") from None
    except RecursionError:
        raise StoreError("the server sent results nested too deeply to be SPARQL JSON results") from None
    if not isinstance(data, dict):
        raise StoreError(f"the server sent JSON that is not SPARQL results (a {type(data).__name__})")
    if "boolean" in data:
        return QueryResult("ask", boolean=bool(data["boolean"]))
    head, results = data.get("head"), data.get("results")
    names = head.get("vars") if isinstance(head, dict) else None
    bindings = results.get("bindings") if isinstance(results, dict) else None
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names) or not isinstance(bindings, list):
        raise StoreError("the server sent JSON that is not SPARQL results (no head.vars or results.bindings list)")
    rows = []
    for binding in bindings:
        if not isinstance(binding, dict):
            raise StoreError(f"the server sent a result row that is not an object: {_clip(repr(binding), 120)}")
        rows.append(tuple(_json_term(binding.get(n)) for n in names))
    return QueryResult("select", vars=names, rows=rows)


_RDF_FORMATS = {
    "application/n-triples": "nt",
    "text/plain": "nt",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "text/rdf+n3": "turtle",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}


def _parse_triples(body: bytes, content_type: str) -> list[Triple]:
    fmt = _RDF_FORMATS.get(content_type)
    if fmt is None:
        raise StoreError(f"the server answered a graph query with {content_type or 'no content type'}")
    graph = Graph()
    try:
        graph.parse(io.BytesIO(body), format=fmt)
    except Exception as e:  # noqa: BLE001 - rdflib parsers raise many kinds
        raise StoreError(f"cannot read the server's {content_type} answer: {e}") from None
    triples: list[Triple] = []
    for s, p, o in graph:
        triples.append(tuple(BNode(_bnode_label(str(t))) if isinstance(t, BNode) else t for t in (s, p, o)))  # type: ignore[arg-type]
    return triples


# --- errors and credentials -----------------------------------------------------------------------


def _short(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(query="", fragment=""))


def _server_message(body: bytes) -> str:
    """The useful part of an error page: Virtuoso and Fuseki send text, some servers HTML."""
    text = body.decode("utf-8", errors="replace")
    m = re.search(r"<xmp>(.*?)</xmp>", text, re.S)
    if m:
        text = m.group(1)
    text = re.sub(r"<[^>]+>", " ", text)
    # Virtuoso echoes the whole query after its message.
    text = re.split(r"\n\s*SPARQL (?:query|request):", text)[0]
    return _clip(" ".join(text.split()))


def _http_error(code: int, url: str, what: str, detail: str, has_credentials: bool) -> StoreError:
    where = _short(url)
    if code == 400 or (code == 500 and what == "graph upload" and detail):
        # Virtuoso answers an upload it cannot parse or store with 500 and the loader's message.
        return _ServerRefused(detail or "bad request")
    if code == 401:
        hint = (
            "the credentials were refused (check KG_USER/KG_PASSWORD or ~/.netrc)"
            if has_credentials
            else "it needs credentials (set KG_USER and KG_PASSWORD, or add the host to ~/.netrc)"
        )
        return StoreError(f"{where} refused the {what} (HTTP 401): {hint}")
    if code == 403:
        return StoreError(f"{where} forbids the {what} (HTTP 403): the user lacks the rights for it")
    if code in (404, 405, 415, 501) and what == "graph upload":
        # a guessed Graph Store URL that is not there falls back to SPARQL Update
        return _NoGraphStore(
            f"{where} does not take Graph Store Protocol uploads (HTTP {code}): set KG_GSP_URL to the "
            "server's graph store endpoint, or KG_GSP_URL=none to use SPARQL Update"
        )
    if code == 404:
        return StoreError(f"nothing at {where} (HTTP 404): check the endpoint URL")
    tail = f": {detail}" if detail else ""
    if re.search(r"(?i)SR186|no permission|permission denied|not authori[sz]ed", detail):
        # Virtuoso answers a missing right with 500 and SR186, not 403.
        return StoreError(f"{where} refused the {what}: the user lacks the rights for it (HTTP {code}{tail})")
    return StoreError(f"{where} failed the {what} (HTTP {code}){tail}")


def _credentials(host: str) -> tuple[str, str] | None:
    user, password = os.environ.get("KG_USER"), os.environ.get("KG_PASSWORD")
    if user:
        if password is None:
            raise UsageError("KG_USER is set but KG_PASSWORD is not")
        return user, password
    path = os.path.join(os.path.expanduser("~"), ".netrc")
    if not os.path.exists(path):
        return None
    try:
        entry = netrc.netrc(path).authenticators(host)
    except (netrc.NetrcParseError, OSError) as e:
        raise UsageError(f"cannot read {path}: {e}") from None
    if not entry:
        return None
    login, _account, secret = entry
    return login, secret or ""
