"""`kg serve`: the store as a SPARQL 1.1 Protocol endpoint, with a workbench in the browser.

Endpoints (all under the server's root):

    /sparql   query (GET, POST form or direct body) and, with --allow-update, update (POST)
    /query    query only;  /update  update only (the paths Oxigraph's own server uses)
    /store    Graph Store Protocol, reading: GET/HEAD ?graph=IRI or ?default (the knowledge graph)
    /         the workbench (kg.web)

Queries run through the same `Store.query` as `kg query`, in worker processes (kg.querypool) that
hold the store read-only, so a `kg build` can write meanwhile; a query that outlives the timeout
has its worker killed. Results are written by kg.results in the format the client's Accept asks for.
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import hmac
import os
import re
import socket
import sys
import threading
import time
import urllib.parse
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from kg.errors import EXIT_OK, KgError, StoreError, StoreLockedError, UsageError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_ROWS = 100_000
TOKEN_ENV = "KG_SERVE_TOKEN"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
MAX_REQUEST_BYTES = 1_000_000  # a query or update text larger than this is refused

# Media types by query kind, the default first; `format=` names for links and tools without Accept.
RESULT_TYPES: dict[str, str] = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
}
GRAPH_TYPES: dict[str, str] = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "application/x-turtle": "turtle",
    "text/plain": "nt",
    "application/json": "json-ld",
    "application/xml": "xml",
}
FORMAT_NAMES: dict[str, str] = {
    "json": "application/sparql-results+json, application/ld+json",
    "xml": "application/sparql-results+xml, application/rdf+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
_EXTENSIONS = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv", "turtle": "ttl", "nt": "nt",
               "json-ld": "jsonld"}


class HTTPProblem(KgError):
    """An error answered with an HTTP status and a one-line (plus caret) plain-text body."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.headers = headers or {}


# --- content negotiation --------------------------------------------------------------------------


def accepted(header: str) -> list[str]:
    """Media ranges of an Accept header, most wanted first (ties keep the client's order)."""
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(header.split(",")):
        media, *params = (x.strip() for x in part.split(";"))
        if not media:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > 0:
            ranked.append((-q, i, media.lower()))
    return [media for _, _, media in sorted(ranked)] or ["*/*"]


def negotiate(accept: str, kind: str) -> str:
    """The media type to answer a query of `kind` (select, ask or graph) with, or 406."""
    table = GRAPH_TYPES if kind == "graph" else RESULT_TYPES
    for media in accepted(accept):
        if media in table:
            return media
        if media == "*/*":
            return next(iter(table))
        if media.endswith("/*"):
            family = media[:-1]
            found = next((t for t in table if t.startswith(family)), None)
            if found:
                return found
    what = "graphs (CONSTRUCT, DESCRIBE)" if kind == "graph" else "results (SELECT, ASK)"
    offered = ", ".join(t for t in table if t not in ("application/json", "application/xml", "text/xml",
                                                      "text/plain", "application/x-turtle"))
    raise HTTPProblem(406, f"no acceptable format for {what} in Accept: {accept}; this server offers {offered}")


@functools.lru_cache(maxsize=256)  # asked on every request; clients repeat their queries
def query_kind(text: str) -> str:
    from kg.store import first_keyword

    word = first_keyword(text)
    return "graph" if word in ("construct", "describe") else "ask" if word == "ask" else "select"


def content_type(media: str) -> str:
    return media if media.endswith(("json", "+xml")) or media == "application/xml" else media + "; charset=utf-8"


# --- jobs that run in the worker processes --------------------------------------------------------


def query_job(store: Any, query: str, media: str, max_rows: int, default_graphs: tuple[str, ...] = (),
              named_graphs: tuple[str, ...] = (), allow_update: bool = False, allow_service: bool = False) -> bytes:
    """Run a query and write its result in `media` (a type of RESULT_TYPES or GRAPH_TYPES); over
    the protocol's dataset when the request gave one. Tables and booleans from the embedded store
    are written by Oxigraph itself; graphs, and results from a server, go through kg.results."""
    import io

    from kg import results
    from kg.sparqlparse import parse
    from kg.store import Dataset

    # The grammar decides what the text is (never a search of it); here, in the worker, as it
    # takes some milliseconds for a new text. A text it cannot read goes on to the store, whose
    # parser names the position.
    parsed = parse(query)
    if parsed.kind == "update":
        raise HTTPProblem(400 if allow_update else 403,
                          "this is a SPARQL Update, not a query: send it as update= to /update" if allow_update else
                          "this is a SPARQL Update and this server is read-only (kg serve --allow-update)")
    if parsed.services and not allow_service:
        raise HTTPProblem(403, "federated queries (SERVICE) are not allowed on this server (kg serve --allow-service)")
    dataset = Dataset(default_graphs, named_graphs) if default_graphs or named_graphs else None
    fmt = RESULT_TYPES.get(media, "json")
    if hasattr(store, "query_results") and query_kind(query) != "graph":
        written = store.query_results(query, fmt, max_rows=max_rows, dataset=dataset)
        if written is not None:
            return bytes(written)
    result = store.query(query, max_rows=max_rows, dataset=dataset)
    if result.kind == "graph":
        return results.serialize_graph(result, GRAPH_TYPES.get(media, "turtle")).encode("utf-8")
    out = io.StringIO()
    {"json": results.write_json, "xml": results.write_xml, "csv": results.write_csv,
     "tsv": results.write_tsv}[fmt](result, out)
    return out.getvalue().encode("utf-8")


def graph_job(store: Any, graph: str | None, media: str, max_rows: int) -> bytes | None:
    """Graph Store Protocol GET: one named graph, or the default graph (the knowledge graph, also
    named by its IRI); None if absent."""
    from kg import results
    from kg.ontology import KNOWLEDGE_GRAPH

    if graph is None or graph == KNOWLEDGE_GRAPH:
        text = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    else:
        if not store.query(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").boolean:
            return None
        text = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    result = store.query(text, max_rows=max_rows)
    return results.serialize_graph(result, GRAPH_TYPES.get(media, "turtle")).encode("utf-8")


def ping_job(store: Any) -> str:
    return store.location


# --- the application ------------------------------------------------------------------------------


@dataclass
class ServerSettings:
    store: str
    timeout: float = DEFAULT_TIMEOUT
    max_rows: int = DEFAULT_MAX_ROWS
    workers: int = 2
    allow_update: bool = False
    token: str | None = None
    cors_origins: tuple[str, ...] = ("*",)
    allow_service: bool = False
    loopback_only: bool = True


class KgServer:
    """What the request handlers share: settings, the worker pool, and the update lock."""

    def __init__(self, settings: ServerSettings) -> None:
        from kg.querypool import QueryPool

        self.settings = settings
        self.pool = QueryPool(settings.store, settings.workers)
        self._update_lock = threading.Lock()
        self.started = time.time()

    async def call(self, job: str, *, timeout: float | None = None, **kwargs: Any) -> Any:
        """A job in a worker, awaited on the event loop; errors become HTTPProblems."""
        limit = timeout if timeout is not None else self.settings.timeout
        try:
            return await self.pool.call(job, limit, **kwargs)
        except KgError as e:
            raise problem(e) from None

    # --- queries ------------------------------------------------------------------------------

    async def answer_query(self, query: str, accept: str, dataset: ProtocolDataset | None = None) -> tuple[bytes, str]:
        from kg.sparqlparse import MAX_QUERY_CHARS

        if len(query) > MAX_QUERY_CHARS:
            raise HTTPProblem(413, f"the query is longer than {MAX_QUERY_CHARS:,} characters")
        media = negotiate(accept, query_kind(query))
        default_graphs, named_graphs = dataset or ((), ())
        body = await self.call("kg.server:query_job", query=query, media=media, max_rows=self.settings.max_rows,
                               default_graphs=default_graphs, named_graphs=named_graphs,
                               allow_update=self.settings.allow_update, allow_service=self.settings.allow_service)
        return body, media

    def run_update(self, text: str) -> None:
        """SPARQL Update on the store opened writable for this request only, so that the server never
        keeps a `kg build` from taking the store between updates."""
        from kg.store import open_store

        with self._update_lock:
            try:
                store = open_store(self.settings.store)
            except StoreLockedError as e:
                raise HTTPProblem(503, f"{e}: a build is writing; try again when it has finished",
                                  {"Retry-After": "5"}) from None
            try:
                store.update(text)  # the workers see the changed files and reopen their snapshots
            finally:
                store.close()

    def check_token(self, authorization: str | None) -> None:
        expected = self.settings.token or ""
        scheme, _, given = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not given.strip():
            raise HTTPProblem(401, "SPARQL Update needs 'Authorization: Bearer TOKEN' (the token in "
                                   f"${TOKEN_ENV} where kg serve runs)", {"WWW-Authenticate": 'Bearer realm="kg"'})
        if not expected or not hmac.compare_digest(given.strip().encode(), expected.encode()):
            raise HTTPProblem(401, "the bearer token is wrong",
                              {"WWW-Authenticate": 'Bearer realm="kg", error="invalid_token"'})

    def close(self) -> None:
        self.pool.close()


def problem(error: KgError) -> HTTPProblem:
    """The HTTP status for an error raised while answering."""
    if isinstance(error, HTTPProblem):
        return error
    from kg.querypool import JobError

    # Errors raised in a worker come back as JobErrors that carry the original class's name.
    kind = error.kind if isinstance(error, JobError) else type(error).__name__
    message = str(error)
    if isinstance(error, JobError) and error.failure.status is not None:
        return HTTPProblem(error.failure.status, message)
    if isinstance(error, JobError) and error.failure.caret:
        message += "\n" + error.failure.caret
    elif hasattr(error, "caret") and callable(error.caret) and error.caret():
        message += "\n" + error.caret()
    status = {
        "QuerySyntaxError": 400,
        "UsageError": 400,
        "UpdateRefused": 403,
        "ResultTooLarge": 413,
        "QueryTimeout": 503,
        "ServerBusy": 503,
        "StoreLockedError": 503,
    }.get(kind, 500)
    return HTTPProblem(status, message)


def internal_problem(error: Exception) -> HTTPProblem:
    """An error kg did not expect: one line for the client, the traceback on the server's stderr."""
    import traceback

    traceback.print_exception(error, file=sys.stderr)
    return HTTPProblem(500, f"internal error: {type(error).__name__}: {error}".strip())


def create_app(settings: ServerSettings) -> Any:
    """The Starlette application: SPARQL Protocol, Graph Store Protocol, service description, workbench."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.cors import CORSMiddleware
    from starlette.middleware.trustedhost import TrustedHostMiddleware
    from starlette.requests import Request
    from starlette.responses import PlainTextResponse, RedirectResponse, Response
    from starlette.routing import Route

    from kg.web import workbench

    server = KgServer(settings)

    def failure(e: HTTPProblem) -> Response:
        return PlainTextResponse(str(e) + "\n", status_code=e.status, headers=e.headers)

    def handled(handler: Callable[[Request], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
        async def run(request: Request) -> Response:
            try:
                return await handler(request)
            except HTTPProblem as e:
                return failure(e)
            except KgError as e:
                return failure(problem(e))
            except Exception as e:  # noqa: BLE001 - a readable line for the client; the trace for the log
                return failure(internal_problem(e))
        return run

    async def protocol(request: Request, *, queries: bool = True, updates: bool = True) -> Response:
        query, update, dataset = await read_operation(request)
        if query is None and update is None:
            if request.method in ("GET", "HEAD") and queries:
                if "text/html" in accepted(request.headers.get("accept", ""))[:1]:
                    return RedirectResponse("/", status_code=303)
                body, media = service_description(request, settings)
                return Response(body, media_type=content_type(media))
            raise HTTPProblem(400, "no query: send query= (or update=) as a URL parameter, a form field, "
                                   "or a body of type application/sparql-query")
        if query is not None:
            if not queries:
                raise HTTPProblem(400, "this is the update endpoint: send queries to /query or /sparql")
            fmt = request.query_params.get("format")
            accept = request.headers.get("accept", "*/*")
            if fmt:
                if fmt.lower() not in FORMAT_NAMES:
                    raise HTTPProblem(406, f"unknown format '{fmt}' (formats: {', '.join(sorted(FORMAT_NAMES))})")
                accept = FORMAT_NAMES[fmt.lower()]
            body, media = await server.answer_query(query, accept, dataset)
            headers = {"Vary": "Accept"}
            if request.query_params.get("download"):
                ext = _EXTENSIONS.get((GRAPH_TYPES.get(media) if query_kind(query) == "graph" else RESULT_TYPES.get(media)) or "", "txt")
                headers["Content-Disposition"] = f'attachment; filename="result.{ext}"'
            return Response(b"" if request.method == "HEAD" else body, media_type=content_type(media), headers=headers)
        if not updates:
            raise HTTPProblem(400, "this is the query endpoint: send updates to /update")
        if request.method != "POST":
            raise HTTPProblem(405, "SPARQL Update is sent with POST", {"Allow": "POST"})
        if not settings.allow_update:
            raise HTTPProblem(403, "this server is read-only: start it with kg serve --allow-update "
                                   f"(and a token in ${TOKEN_ENV}) to accept SPARQL Update")
        server.check_token(request.headers.get("authorization"))
        import anyio

        from kg.sparqlparse import MAX_QUERY_CHARS, parse

        if len(update or "") > MAX_QUERY_CHARS:
            raise HTTPProblem(413, f"the update is longer than {MAX_QUERY_CHARS:,} characters")
        # A text the grammar cannot read goes on to the store, whose parser names the position.
        if (await anyio.to_thread.run_sync(lambda: parse(update or ""))).kind == "query":
            raise HTTPProblem(400, "this is a query, not a SPARQL Update: send it as query=")
        await anyio.to_thread.run_sync(lambda: server.run_update(update or ""))
        return Response(status_code=204)

    async def sparql(request: Request) -> Response:
        return await protocol(request)

    async def query_only(request: Request) -> Response:
        return await protocol(request, updates=False)

    async def update_only(request: Request) -> Response:
        return await protocol(request, queries=False)

    async def graph_store(request: Request) -> Response:
        if request.method not in ("GET", "HEAD"):
            raise HTTPProblem(405, "the Graph Store Protocol is read-only here (GET and HEAD)",
                              {"Allow": "GET, HEAD"})
        params = request.query_params
        graph = params.get("graph")
        if graph is None and "default" not in params:
            raise HTTPProblem(400, "name the graph: ?graph=IRI, or ?default for the default graph "
                                   "(the knowledge graph)")
        if graph is not None and not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*", graph):
            raise HTTPProblem(400, f"not an IRI: {graph}")
        media = negotiate(request.headers.get("accept", "*/*"), "graph")
        body = await server.call("kg.server:graph_job", graph=graph, media=media, max_rows=settings.max_rows)
        if body is None:
            raise HTTPProblem(404, f"no graph {graph} in the store")
        return Response(b"" if request.method == "HEAD" else body, media_type=content_type(media),
                        headers={"Vary": "Accept"})

    @contextlib.asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        yield
        server.close()

    routes = [
        Route("/sparql", handled(sparql), methods=["GET", "POST", "HEAD"]),
        Route("/query", handled(query_only), methods=["GET", "POST", "HEAD"]),
        Route("/update", handled(update_only), methods=["POST"]),
        Route("/store", handled(graph_store), methods=["GET", "HEAD", "PUT", "POST", "DELETE"]),
        *workbench.routes(server, handled),
    ]
    middleware = [Middleware(QueryFastPath, server=server)]
    if settings.loopback_only:
        # A page elsewhere could point a name of its own at 127.0.0.1 and read the graph through the
        # browser (DNS rebinding): on loopback, only requests that name this machine are answered.
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=list(LOOPBACK_NAMES)))
    middleware += [Middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                             allow_methods=["GET", "POST", "HEAD", "OPTIONS"],
                             allow_headers=["Accept", "Authorization", "Content-Type"], max_age=3600)]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.kg = server
    return app


class QueryFastPath:
    """The commonest request, a query to /sparql or /query by GET or POST from a client that is
    not a browser page (no Origin), answered without Starlette's layers, which cost as much as
    the rest of the request on a small query. It answers exactly as `protocol` does: anything
    else (another path or method, an update, a format= or download= link, a host name the
    loopback check would look at, a request `read_operation` would refuse) goes on to the
    application unchanged, its body handed on as read."""

    PATHS = ("/sparql", "/query")
    LOOPBACK_HOSTS = ("127.0.0.1", "localhost")

    def __init__(self, app: Any, server: KgServer) -> None:
        self.app = app
        self.server = server

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"] not in self.PATHS or scope["method"] not in ("GET", "POST"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])  # a repeated header is left to the application below
        if len(headers) != len(scope["headers"]) or b"origin" in headers or not self._plain_host(headers):
            await self.app(scope, receive, send)
            return
        body = b""
        if scope["method"] == "POST":
            chunks = []
            while True:
                message = await receive()
                if message["type"] != "http.request":
                    return  # the client went away
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    break
            body = b"".join(chunks)
        request = self._query_of(scope, headers, body)
        if request is None:
            await self.app(scope, _replay(body, receive), send)
            return
        query, dataset = request
        try:
            answer, media = await self.server.answer_query(query, headers.get(b"accept", b"*/*").decode("latin-1"),
                                                           dataset)
        except Exception as e:  # noqa: BLE001 - KgError as its status says; anything else a readable 500
            failure = problem(e) if isinstance(e, KgError) else internal_problem(e)
            text = (str(failure) + "\n").encode("utf-8")
            await send({"type": "http.response.start", "status": failure.status, "headers": [
                (b"content-length", str(len(text)).encode()), (b"content-type", b"text/plain; charset=utf-8"),
                *((k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in failure.headers.items()),
                (b"vary", b"Origin")]})
            await send({"type": "http.response.body", "body": text})
            return
        await send({"type": "http.response.start", "status": 200, "headers": [
            (b"content-length", str(len(answer)).encode()), (b"content-type", content_type(media).encode("latin-1")),
            (b"vary", b"Accept, Origin")]})
        await send({"type": "http.response.body", "body": answer})

    def _plain_host(self, headers: dict[bytes, bytes]) -> bool:
        if not self.server.settings.loopback_only:
            return True
        host = headers.get(b"host", b"").decode("latin-1").lower().rsplit(":", 1)[0]
        return host in self.LOOPBACK_HOSTS

    @staticmethod
    def _query_of(scope: Any, headers: dict[bytes, bytes], body: bytes) -> tuple[str, ProtocolDataset] | None:
        """The query and dataset of a request `read_operation` reads without an error, or None."""
        try:
            url_params = form_fields(scope.get("query_string", b""))
            if "update" in url_params or "format" in url_params or "download" in url_params:
                return None
            if scope["method"] == "GET":
                query = _single(url_params, "query")
                return (query, _dataset(url_params)) if query is not None else None
            if len(body) > MAX_REQUEST_BYTES:
                return None
            media = headers.get(b"content-type", b"").decode("latin-1").split(";")[0].strip().lower()
            text = body.decode("utf-8")
            if media == "application/x-www-form-urlencoded":
                fields = form_fields(body)
                query = _single(fields, "query")
                return (query, _dataset(fields)) if query is not None and "update" not in fields else None
            if media == "application/sparql-query":
                return text, _dataset(url_params)
        except (HTTPProblem, UnicodeDecodeError):
            pass
        return None


def _replay(body: bytes, receive: Any) -> Any:
    """`receive` for an application below, giving it the body already read first."""
    given = False

    async def again() -> Any:
        nonlocal given
        if not given:
            given = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return again


# The SPARQL Protocol's dataset of a query: (default-graph-uri values, named-graph-uri values).
ProtocolDataset = tuple[tuple[str, ...], tuple[str, ...]]


async def read_operation(request: Any) -> tuple[str | None, str | None, ProtocolDataset]:
    """The query or update of a SPARQL Protocol request (URL parameters (GET), a form, or a direct
    body) and the query's dataset, if the request names one."""
    url_params = form_fields(request.scope.get("query_string", b""))
    if request.method in ("GET", "HEAD"):
        if "update" in url_params:
            raise HTTPProblem(405, "SPARQL Update is sent with POST", {"Allow": "POST"})
        return _single(url_params, "query"), None, _dataset(url_params)
    body = await _body(request)
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == "application/x-www-form-urlencoded":
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            raise HTTPProblem(400, "the form is not UTF-8") from None
        fields = form_fields(body)
        query, update = _single(fields, "query"), _single(fields, "update")
        if query is not None and update is not None:
            raise HTTPProblem(400, "send either query= or update=, not both")
        return query, update, _dataset(fields)
    text = _text(body)
    if media == "application/sparql-query":
        return text, None, _dataset(url_params)
    if media == "application/sparql-update":
        _dataset(url_params)
        return None, text, ((), ())
    raise HTTPProblem(415, f"unsupported Content-Type '{media or '(none)'}': use application/x-www-form-urlencoded, "
                           "application/sparql-query or application/sparql-update")


def form_fields(body: bytes) -> dict[str, list[str]]:
    """The fields of an application/x-www-form-urlencoded body, as `urllib.parse.parse_qs` reads
    them (blank values kept); several times faster on a query with its prefixes, whose every
    punctuation mark is percent-encoded."""
    fields: dict[str, list[str]] = {}
    for part in body.split(b"&"):
        if part:
            name, _, value = part.partition(b"=")
            fields.setdefault(_form_unquote(name), []).append(_form_unquote(value))
    return fields


def _form_unquote(value: bytes) -> str:
    value = value.replace(b"+", b" ")
    if b"%" not in value:
        return value.decode("utf-8", "replace")
    try:
        # %XX as \xXX for the C decoder of escapes (backslashes doubled so that they stay themselves)
        return codecs.escape_decode(value.replace(b"\\", b"\\\\").replace(b"%", b"\\x"))[0].decode("utf-8", "replace")
    except ValueError:  # a % not followed by two hex digits stays a %, as urllib reads it
        return urllib.parse.unquote_to_bytes(value).decode("utf-8", "replace")


def _single(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name)
    if not values:
        return None
    if len(values) > 1:
        raise HTTPProblem(400, f"more than one {name}= parameter")
    return values[0]


def _dataset(params: dict[str, list[str]]) -> ProtocolDataset:
    """The graphs a query request names with default-graph-uri and named-graph-uri (the default
    graph is the knowledge graph, `kgid:graph`, when none is named)."""
    for unsupported in ("using-graph-uri", "using-named-graph-uri"):
        if params.get(unsupported):
            raise HTTPProblem(400, f"{unsupported} is not supported: name the graphs with WITH, USING or "
                                   "GRAPH <iri> { ... } in the update")
    named = {}
    for name in ("default-graph-uri", "named-graph-uri"):
        for iri in params.get(name, []):
            if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*", iri):
                raise HTTPProblem(400, f"{name}: not an IRI: {iri}")
        named[name] = tuple(dict.fromkeys(params.get(name, [])))
    return named["default-graph-uri"], named["named-graph-uri"]


async def _body(request: Any) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_REQUEST_BYTES:
            raise HTTPProblem(413, f"the request is larger than {MAX_REQUEST_BYTES:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _text(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise HTTPProblem(400, "the request body is not UTF-8") from None


# --- service description --------------------------------------------------------------------------


def service_description(request: Any, settings: ServerSettings) -> tuple[bytes, str]:
    """A SPARQL 1.1 Service Description of this endpoint, in the format the client accepts."""
    from rdflib import BNode, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import RDF

    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    formats = Namespace("http://www.w3.org/ns/formats/")
    g = Graph(bind_namespaces="none")
    g.bind("sd", sd)
    g.bind("formats", formats)
    g.bind("dct", "http://purl.org/dc/terms/")
    service, dataset, graph = BNode(), BNode(), BNode()
    base = str(request.base_url).rstrip("/")
    g.add((service, RDF.type, sd.Service))
    g.add((service, sd.endpoint, URIRef(base + request.url.path)))
    g.add((service, sd.supportedLanguage, sd.SPARQL11Query))
    if settings.allow_update:
        g.add((service, sd.supportedLanguage, sd.SPARQL11Update))
    if settings.allow_service:
        g.add((service, sd.feature, sd.BasicFederatedQuery))
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                 "Turtle", "N-Triples", "JSON-LD", "RDF_XML"):
        g.add((service, sd.resultFormat, formats[name]))
    g.add((service, sd.defaultDataset, dataset))
    g.add((dataset, RDF.type, sd.Dataset))
    g.add((dataset, sd.defaultGraph, graph))
    g.add((graph, RDF.type, sd.Graph))
    g.add((service, URIRef("http://purl.org/dc/terms/description"),
           Literal(f"kg: a knowledge graph of diplomacy and defence news. Queries stop after {settings.timeout:g} s "
                   f"and results are limited to {settings.max_rows:,} rows.")))
    media = negotiate(request.headers.get("accept", "*/*"), "graph")
    return g.serialize(format=GRAPH_TYPES[media]).encode("utf-8"), media


# --- kg serve -------------------------------------------------------------------------------------


def default_workers() -> int:
    """Query worker processes by default: two per CPU. A query crosses from the server to a worker
    and back, and on a busy machine each crossing waits for a core: with one worker per CPU the
    workers spend that wait idle (16 clients of a one-row query, in turns on a loaded 2-core host:
    2 workers 0.31 of Oxigraph's server's rate, 4 workers 0.39, 6 to 8 workers 0.44-0.55; each
    worker holds its own store snapshot: 55-160 MB at a million triples, by the results it has held)."""
    return 2 * (os.cpu_count() or 1)


def server_settings(location: str | None, *, timeout: float = DEFAULT_TIMEOUT, max_rows: int = DEFAULT_MAX_ROWS,
                    workers: int = 2, port: int = DEFAULT_PORT, allow_update: bool = False,
                    allow_service: bool = False, cors_origins: tuple[str, ...] = ("*",)) -> ServerSettings:
    """The checked settings of `kg serve` (bad values raise a one-line `UsageError` or `StoreError`)."""
    from kg.store import default_location

    if not timeout > 0:
        raise UsageError("--timeout must be a positive number of seconds")
    if max_rows < 1:
        raise UsageError("--max-rows must be 1 or more")
    if workers < 1:
        raise UsageError("--workers must be 1 or more")
    if not 0 <= port <= 65535:
        raise UsageError(f"--port {port} is not a port number (0-65535)")
    token = os.environ.get(TOKEN_ENV) or None
    if allow_update and (token is None or len(token) < 16):
        raise UsageError(f"--allow-update needs a token of at least 16 characters in ${TOKEN_ENV} "
                         "(clients send it as 'Authorization: Bearer TOKEN')")
    location = location or default_location()
    if not re.match(r"(?i)https?://", location) and not os.path.isfile(os.path.join(location, "CURRENT")):
        raise StoreError(f"no store at {location} (build one with: kg build --store {location} ARTICLES)")
    return ServerSettings(store=location, timeout=timeout, max_rows=max_rows, workers=workers,
                          allow_update=allow_update, token=token, cors_origins=cors_origins,
                          allow_service=allow_service)


def listen(host: str, port: int) -> socket.socket:
    """The listening socket, opened before the server starts so that a taken port is one clear line."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as e:
        raise UsageError(f"cannot listen on {host}: {e.strerror}") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(2048)
    except OSError as e:
        sock.close()
        raise KgError(f"cannot listen on {host}:{port}: {(e.strerror or str(e)).lower()}") from None
    sock.set_inheritable(True)
    return sock


def serve(location: str | None, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          timeout: float = DEFAULT_TIMEOUT, max_rows: int = DEFAULT_MAX_ROWS, workers: int = 2,
          allow_update: bool = False, allow_service: bool = False,
          cors_origins: tuple[str, ...] = ("*",)) -> int:
    """`kg serve`: answer on host:port until Ctrl-C or SIGTERM; returns the exit status."""
    import uvicorn

    settings = server_settings(location, timeout=timeout, max_rows=max_rows, workers=workers, port=port,
                               allow_update=allow_update, allow_service=allow_service,
                               cors_origins=cors_origins)
    sock = listen(host, port)
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    settings.loopback_only = host in LOOPBACK_NAMES
    app = create_app(settings)
    print(f"kg serve: http://{shown}:{port}/  (SPARQL endpoint http://{shown}:{port}/sparql; "
          f"store {settings.store}; {'updates with a bearer token' if settings.allow_update else 'read-only'}; "
          "Ctrl-C stops)", flush=True)
    if not settings.loopback_only:
        print(f"kg serve: listening on {host}: other machines can query the store", file=sys.stderr, flush=True)
    config = uvicorn.Config(app, log_level="warning", access_log=False, timeout_graceful_shutdown=5)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        app.state.kg.close()
        sock.close()
    return EXIT_OK
