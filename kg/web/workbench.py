"""The workbench at `/`: pages rendered on the server (Jinja2), with a little script for the
editor (highlighting, completion) and sortable tables. It needs nothing from the network.

The work behind each page runs in the server's query workers, as jobs defined here, through the
same `Store.query`, `describe`, `saved` and `export` code as the command line.
"""

from __future__ import annotations

import json
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.server import KgServer
    from kg.store import QueryResult, Store

WEB = Path(__file__).resolve().parent
TABLE_ROWS = 1_000  # rows shown in a page; downloads have them all
# A drawing first converts the whole store to a graph (cached on disk and in the worker after that):
# about a minute at a million triples, so drawings get more time than queries.
DRAWING_TIMEOUT = 300.0
DRAWING_FORMATS = {"svg": "image/svg+xml", "png": "image/png"}
MAX_DEPTH = 3

SAMPLE_QUERY = """SELECT ?official ?country ?title WHERE {
  ?official a kg:Official ;
            kg:represents ?country ;
            kg:holdsPost/kg:title ?title .
}
ORDER BY ?official"""


def entity_link(iri: str) -> str:
    return "/entity?" + urllib.parse.urlencode({"iri": iri})


# --- jobs (run in the worker processes) -----------------------------------------------------------


def _cell(term: Any, names: dict[str, str]) -> dict[str, str] | None:
    """A result term as the table shows it: a label linking to the entity page, or a literal's text."""
    from rdflib import BNode, URIRef

    from kg.ontology import shorten

    if term is None:
        return None
    if isinstance(term, URIRef):
        iri = str(term)
        return {"text": names.get(iri) or shorten(iri).strip("<>"), "iri": iri, "title": iri}
    if isinstance(term, BNode):
        return {"text": f"_:{term}"}
    datatype = shorten(str(term.datatype)) if term.datatype else ("@" + term.language if term.language else "")
    return {"text": str(term), "title": datatype}


def table_job(store: Store, query: str, max_rows: int) -> dict[str, Any]:
    """A query's result for the page: cells with labels, the first TABLE_ROWS rows."""
    from kg.describe import labels

    started = time.perf_counter()
    result = store.query(query, max_rows=max_rows)
    seconds = time.perf_counter() - started
    return _table(store, result, seconds, labels)


def _table(store: Store, result: QueryResult, seconds: float, labels: Callable[..., dict[str, str]]) -> dict[str, Any]:
    from rdflib import URIRef

    if result.kind == "ask":
        return {"kind": "ask", "boolean": bool(result.boolean), "seconds": seconds, "count": 1}
    if result.kind == "graph":
        names, rows = ["subject", "predicate", "object"], [tuple(t) for t in result.triples]
    else:
        names, rows = result.vars, result.rows
    shown = rows[:TABLE_ROWS]
    iris = sorted({str(t) for row in shown for t in row if isinstance(t, URIRef)})
    known = labels(store, iris) if iris else {}
    return {
        "kind": result.kind, "vars": names, "count": len(rows), "seconds": seconds,
        "rows": [[_cell(t, known) for t in row] for row in shown],
    }


def completions_job(store: Store) -> dict[str, Any]:
    """Classes, properties and entity labels for the editor's completion."""
    from kg.shell.metadata import load_metadata

    meta = load_metadata(store)
    return {
        "prefixes": meta.prefixes,
        "classes": [{"name": c.name, "label": c.label, "count": c.count} for c in meta.classes],
        "properties": [{"name": p.name, "label": p.label, "count": p.count} for p in meta.properties],
        "entities": [{"name": e.name, "label": e.label, "types": list(e.types)} for e in meta.entities],
    }


def entity_job(store: Store, entity: str) -> dict[str, Any]:
    """What the graph says about an entity: each fact with the sentences, articles and dates behind it."""
    from rdflib import URIRef

    from kg.describe import labels, resolve_entity, sourced_facts
    from kg.netgraph import property_label
    from kg.ontology import shorten

    iri = resolve_entity(store, entity)
    kinds = [str(r[0]) for r in store.query(f"SELECT DISTINCT ?c WHERE {{ {iri.n3()} a ?c }}").rows]
    result = sourced_facts(store, iri)
    names = labels(store, [str(iri)] + [str(r[1]) for r in result.rows if isinstance(r[1], URIRef)])
    facts: list[dict[str, Any]] = []
    index: dict[tuple[str, str, str], dict[str, Any]] = {}
    for prop, value, direction, quote, confidence, article, title, published, rule in result.rows:
        key = (str(prop), str(value), str(direction))
        fact = index.get(key)
        if fact is None:
            fact = index[key] = {"property": property_label(str(prop)), "property_name": shorten(str(prop)),
                                 "direction": str(direction), "value": _cell(value, names), "sources": []}
            facts.append(fact)
        if quote is not None:
            fact["sources"].append({
                "quote": str(quote), "article": str(article) if article is not None else "",
                "title": str(title) if title is not None else "",
                "date": str(published) if published is not None else "",
                "confidence": f"{float(confidence):.2f}" if confidence is not None else "",
                "rule": str(rule) if rule is not None else "",  # the extraction rule, as kg explain shows it
            })
    return {"iri": str(iri), "label": names.get(str(iri), shorten(str(iri))),
            "classes": [shorten(k) for k in kinds], "facts": facts}


def drawing_job(store: Store, fmt: str, entity: str | None = None, query: str | None = None,
                depth: int = 1, links: bool = True) -> bytes:
    """The Graphviz drawing `kg export` makes, of an entity's neighbourhood or of a query's result;
    in SVG each node links to its page in the workbench (`links`) or to its IRI."""
    from kg import export
    from kg.netgraph import entity_graph

    entity_graph(store, disk=True)  # shared with other workers and `kg export` through the disk cache
    # The output path is not written: the drawing is rendered to bytes for the response.
    request = export.DrawingRequest(output=Path(f"drawing.{fmt}"), query=query,
                                    entity=f"<{entity}>" if entity and "://" in entity else entity,
                                    depth=depth, fold=True)
    selection = export.select(store, request)
    drawing = export.build_dot(selection, node_url=entity_link if links else None)
    return export.render(drawing.text(), fmt)


# --- pages ----------------------------------------------------------------------------------------


def routes(server: KgServer, handled: Callable[..., Any]) -> list[Any]:
    from jinja2 import Environment, FileSystemLoader, select_autoescape
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, Response
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    from kg import saved
    from kg.errors import KgError
    from kg.querypool import folder_state
    from kg.server import HTTPProblem

    env = Environment(loader=FileSystemLoader(WEB / "templates"), autoescape=select_autoescape(["html"]))
    env.filters["entity_link"] = entity_link
    env.filters["urlencode"] = lambda v: urllib.parse.quote(str(v), safe="")
    settings = server.settings
    completions: dict[str, Any] = {}

    def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
        context.setdefault("saved_queries", list(saved.all_queries().values()))
        return HTMLResponse(env.get_template(name).render(**context), status_code=status)

    async def run_table(query: str) -> tuple[dict[str, Any] | None, str | None, int]:
        try:
            table = await server.call("kg.web.workbench:table_job", query=query, max_rows=settings.max_rows)
            return table, None, 200
        except HTTPProblem as e:
            return None, str(e), e.status

    def downloads(query: str) -> dict[str, str]:
        q = urllib.parse.quote(query, safe="")
        return {
            "csv": f"/sparql?format=csv&download=1&query={q}",
            "json": f"/sparql?format=json&download=1&query={q}",
            "view": f"/draw.svg?query={q}",
            "svg": f"/draw.svg?download=1&query={q}",
            "png": f"/draw.png?download=1&query={q}",
        }

    async def index(request: Request) -> Response:
        query = request.query_params.get("query")
        if not query:
            return page("index.html", query=SAMPLE_QUERY)
        import anyio

        from kg.sparqlparse import is_update

        if await anyio.to_thread.run_sync(lambda: is_update(query)):
            return page("index.html", 403, query=query,
                        error="the workbench runs queries only; SPARQL Update goes to /update with a token")
        table, error, status = await run_table(query)
        return page("index.html", status, query=query, table=table, error=error, links=downloads(query))

    async def saved_list(request: Request) -> Response:
        return page("saved.html")

    async def saved_run(request: Request) -> Response:
        name = request.path_params["name"]
        try:
            entry = saved.get(name)
            values = {p.name: request.query_params[p.name] for p in entry.params
                      if request.query_params.get(p.name, "").strip()}
            text = saved.bind(entry, values)
        except KgError as e:
            return page("saved.html", 404 if "no saved query" in str(e) else 400, error=str(e), chosen=name)
        table, error, status = await run_table(text)
        return page("index.html", status, query=text, table=table, error=error, links=downloads(text),
                    title=entry.title or entry.name, chosen=name)

    async def entity(request: Request) -> Response:
        wanted = request.query_params.get("iri") or request.query_params.get("name")
        if not wanted:
            raise HTTPProblem(400, "name the entity: /entity?iri=IRI or /entity?name=LABEL")
        depth = _depth(request)
        try:
            info = await server.call("kg.web.workbench:entity_job", entity=wanted)
        except HTTPProblem as e:
            return page("entity.html", 404 if e.status == 400 else e.status, error=str(e), depth=depth)
        # The drawing is fetched by the page's script, so the facts never wait for it.
        return page("entity.html", info=info, depth=depth, iri_q=urllib.parse.quote(info["iri"], safe=""))

    async def drawing(request: Request) -> Response:
        fmt = request.path_params["fmt"]
        if fmt not in DRAWING_FORMATS:
            raise HTTPProblem(404, f"no drawing format '{fmt}' (svg or png)")
        params = request.query_params
        entity_iri, query = params.get("iri"), params.get("query")
        if bool(entity_iri) == bool(query):
            raise HTTPProblem(400, "draw either ?iri=ENTITY or ?query=SPARQL")
        download = bool(params.get("download"))
        picture = await server.call("kg.web.workbench:drawing_job", fmt=fmt, entity=entity_iri, query=query,
                                    depth=_depth(request), links=not download,
                                    timeout=max(settings.timeout, DRAWING_TIMEOUT))
        headers = {"Content-Disposition": f'attachment; filename="drawing.{fmt}"'} if download else {}
        return Response(picture, media_type=DRAWING_FORMATS[fmt], headers=headers)

    async def completion_data(request: Request) -> Response:
        # Recomputed only when the store's files change (a build wrote to it).
        state = folder_state(settings.store)
        if completions.get("state") != state or state is None and time.time() - completions.get("at", 0) > 60:
            data = await server.call("kg.web.workbench:completions_job")
            completions.update(state=state, at=time.time(), body=json.dumps(data, ensure_ascii=False))
        return Response(completions["body"], media_type="application/json")

    return [
        Route("/", handled(index), methods=["GET", "HEAD"]),
        Route("/saved", handled(saved_list), methods=["GET", "HEAD"]),
        Route("/saved/{name}", handled(saved_run), methods=["GET", "HEAD"]),
        Route("/entity", handled(entity), methods=["GET", "HEAD"]),
        Route("/draw.{fmt}", handled(drawing), methods=["GET", "HEAD"]),
        Route("/api/completions", handled(completion_data), methods=["GET"]),
        Mount("/static", app=StaticFiles(directory=WEB / "static"), name="static"),
    ]


def _depth(request: Any) -> int:
    from kg.server import HTTPProblem

    text = request.query_params.get("depth", "1")
    if not text.isdigit() or not 0 <= int(text) <= MAX_DEPTH:
        raise HTTPProblem(400, f"depth must be a whole number from 0 to {MAX_DEPTH}")
    return int(text)

