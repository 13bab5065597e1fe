"""`kg export` and the shell's `\\export`: draw the graph, a query result or an entity's neighbourhood
with Graphviz (PNG, SVG, PDF) or write the DOT text.

Drawings are made for people: node text is the entity's label (the IRI is the tooltip and, in SVG,
the link), the class is the node's colour and shape (explained in a legend), edge labels are short
property names, and typing, provenance and literals stay out of the picture unless asked for.
Node names in the DOT text are synthetic (`n0`, `n1`, ...) and every attribute value is quoted and
escaped by this module: an IRI as a node name, or a label that looks like `<...>`, would otherwise
turn into ports or HTML labels without any error.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import KgError, UsageError
from kg.outfile import check_writable, write_whole

if TYPE_CHECKING:
    import pydot

    from kg.netgraph import DisplayGraph, EntityGraph
    from kg.store import QueryResult, Store

FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf", ".dot": "dot"}
ENGINES = ("dot", "neato", "fdp", "sfdp", "circo")
DEFAULT_MAX_NODES = 150
DEFAULT_DEPTH = 1
# Above this many nodes a drawing is laid out in one box per country (unless --by-article):
# a hundred entities around two or three countries are otherwise a tangle of long edges into them.
LARGE_DRAWING = 80
# Up to this many nodes dot's layered drawing reads best; above it dot pushes edge labels away
# from their edges (tens of points, measured), and fdp keeps them on them.
DOT_NODES = 40
# A neighbourhood stops at hubs: countries, and any entity linked to more than this many others.
HUB_DEGREE = 25
RENDER_TIMEOUT = 300

# kind -> (shape, extra style, fill colour, border colour)
STYLES: dict[str, tuple[str, str, str, str]] = {
    "Country": ("ellipse", "", "#a6cee3", "#1f78b4"),
    "Official": ("box", "rounded", "#fdbf6f", "#e66101"),
    "Dialogue": ("hexagon", "", "#b2df8a", "#33a02c"),
    "Treaty": ("note", "", "#cab2d6", "#6a3d9a"),
    "Policy": ("tab", "", "#fb9a99", "#e31a1c"),
    "Place": ("house", "", "#ffff99", "#b15928"),
    "Organization": ("component", "", "#d9d9d9", "#525252"),
    "Post": ("box", "dashed", "#ffffff", "#737373"),
    "TreatyEvent": ("cds", "", "#e7d4e8", "#762a83"),
    "Other": ("ellipse", "", "#ffffff", "#000000"),
}
KIND_NAMES = {"TreatyEvent": "Treaty event", "Other": "Other entity"}
FONT = "Helvetica"


_CONTROLS = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def quoted(text: str, *, url: bool = False) -> str:
    """A DOT double-quoted string; pydot leaves strings that are already quoted untouched.

    Control characters become spaces (no XML may hold them, so an SVG with one is broken), and
    `&` is written `&amp;`: Graphviz reads entities in labels, so `&lt;` or `&#x1F;` in a title
    would otherwise be drawn as `<` or break the SVG. A link (`url`) keeps its `&` as it is.
    """
    text = _CONTROLS.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not url:
        text = text.replace("&", "&amp;")
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'


def html_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


# --- choosing what to draw ------------------------------------------------------------------------


@dataclass
class DrawingRequest:
    """What to draw and how: the options of `kg export` and the shell's `\\export`."""

    output: Path
    all: bool = False  # the whole graph
    saved: str | None = None  # a saved query's result
    params: list[str] = field(default_factory=list)  # its parameters, name=value
    query: str | None = None  # a query's result
    entity: str | None = None  # an entity's neighbourhood ...
    depth: int = DEFAULT_DEPTH  # ... this many steps away
    engine: str | None = None  # None: dot up to DOT_NODES nodes, else (and for boxes) fdp
    rankdir: str = "LR"
    literals: bool = False
    fold: bool = True  # posts and treaty events as edge labels
    by_article: bool = False
    by_country: bool = False  # one box per country (the default above LARGE_DRAWING nodes)
    through_hubs: bool = False  # a neighbourhood goes on through countries and other hubs
    max_nodes: int = DEFAULT_MAX_NODES
    force: bool = False  # overwrite the output file

    def sources(self) -> list[str]:
        """The options that name what to draw (the shell draws the last result when there is none)."""
        given = {"all": self.all, "saved": self.saved, "query": self.query, "entity": self.entity}
        return [name for name, value in given.items() if value]


@dataclass
class Selection:
    view: DisplayGraph
    nodes: list[str]
    title: str
    articles: dict[str, str]  # article IRI -> caption for --by-article boxes
    focus: str | None = None  # the entity a neighbourhood is drawn around
    leaves: list[str] = field(default_factory=list)  # hubs a neighbourhood did not go through


def _captions(eg: EntityGraph) -> dict[str, str]:
    return {a: eg.article_caption(a) for a in eg.articles}


def _result_selection(store: Store, eg: EntityGraph, result: QueryResult, fold: bool, title: str) -> Selection:
    from kg.netgraph import EntityGraph as EG

    if result.kind == "graph":
        drawn = EG.from_quads((s, p, o, None) for s, p, o in result.triples)
        drawn.enrich_from(eg)
        view = drawn.view(fold)
        return Selection(view, sorted(view.graph.nodes), title, _captions(drawn))
    if result.kind == "ask":
        raise UsageError("an ASK query has nothing to draw (use SELECT or CONSTRUCT)")
    view = eg.view(fold)
    found = {view.canonical(str(t)) for row in result.rows for t in row if t is not None}
    return Selection(view, sorted(n for n in found if n), title, _captions(eg))


def select(store: Store, request: DrawingRequest, last_query: str | None = None,
           last_result: QueryResult | None = None) -> Selection:
    """The nodes to draw, as the request (or, in the shell, the last query) asks."""
    import networkx as nx

    from kg import netgraph, saved

    sources = request.sources()
    if len(sources) > 1:
        raise UsageError("give only one of --all, --saved, --query, --entity")
    if request.params and not request.saved:
        raise UsageError("--param goes with --saved")
    if request.depth < 0:
        raise UsageError("--depth must be 0 or more")
    eg = netgraph.entity_graph(store)
    if request.all:
        view = eg.view(request.fold)
        return Selection(view, sorted(view.graph.nodes), "Whole graph", _captions(eg))
    if request.entity:
        view = eg.view(request.fold)
        centre = netgraph.resolve(store, request.entity, eg, request.fold)
        if request.through_hubs:
            near = set(nx.single_source_shortest_path_length(view.undirected, centre, cutoff=request.depth))
            leaves: list[str] = []
        else:
            near, leaves = neighbourhood(view, centre, request.depth)
        title = f"{view.label(centre)}: neighbourhood, depth {request.depth}"
        return Selection(view, sorted(near), title, _captions(eg), centre, leaves)
    if request.saved:
        from kg.suggest import check_saved_name

        check_saved_name(request.saved)
        text = saved.bind(saved.get(request.saved), saved.parse_assignments(request.params))
        return _result_selection(store, eg, store.query(text), request.fold, f"Saved query {request.saved}")
    if request.query:
        return _result_selection(store, eg, store.query(request.query), request.fold, "Query result")
    if last_result is not None:
        return _result_selection(store, eg, last_result, request.fold, "Query result")
    if last_query:
        return _result_selection(store, eg, store.query(last_query), request.fold, "Query result")
    raise UsageError("nothing to draw yet: run a query first, or give --all, --entity NAME, --saved NAME or --query Q")


def is_hub(view: DisplayGraph, node: str) -> bool:
    """A country, or an entity linked to more than HUB_DEGREE others: going through one reaches
    most of the graph, so a neighbourhood draws it as a leaf."""
    return view.kind(node) == "Country" or view.undirected.degree(node) > HUB_DEGREE


def neighbourhood(view: DisplayGraph, centre: str, depth: int) -> tuple[set[str], list[str]]:
    """The entities at most `depth` steps from `centre` along paths that pass through no hub
    (the centre itself may be one), and the hubs reached and not gone through."""
    reached = {centre}
    frontier = [centre]
    stopped: set[str] = set()
    for _ in range(depth):
        following = []
        for node in frontier:
            if node != centre and is_hub(view, node):
                stopped.add(node)
                continue
            for other in view.undirected[node]:
                if other not in reached:
                    reached.add(other)
                    following.append(other)
        frontier = following
    # hubs on the last ring were not to be expanded anyway; name only those that cut a path short
    leaves = sorted(n for n in stopped if any(m not in reached for m in view.undirected[n]))
    return reached, leaves


def country_boxes(view: DisplayGraph, nodes: Iterable[str]) -> dict[str, str]:
    """node -> the country whose box it is drawn in: a country is in its own, and an entity linked
    to exactly one of the drawn countries (an official, a city, a policy) in that one; entities
    between countries (a meeting of two, a treaty) stay outside, between the boxes."""
    chosen = set(nodes)
    countries = {n for n in chosen if view.kind(n) == "Country"}
    home = {c: c for c in countries}
    for n in chosen - countries:
        linked = {m for m in view.undirected[n] if m in countries}
        if len(linked) == 1:
            home[n] = linked.pop()
    return home


# --- DOT ------------------------------------------------------------------------------------------


@dataclass
class Drawing:
    dot: pydot.Dot
    nodes: int
    edges: int
    boxes: int = 0  # boxes per country
    engine: str = "dot"  # the Graphviz layout it is made for

    def text(self) -> str:
        return self.dot.to_string()


def _legend(kinds: Iterable[str], literals: bool, folded: bool) -> str:
    rows = ['<TR><TD COLSPAN="2" BORDER="0"><B>Legend</B></TD></TR>']
    for kind in kinds:
        shape, style, fill, border = STYLES[kind]
        rows.append(f'<TR><TD BGCOLOR="{fill}" COLOR="{border}" WIDTH="24"> </TD>'
                    f'<TD ALIGN="LEFT" BORDER="0">{html_text(KIND_NAMES.get(kind, kind))}</TD></TR>')
    if literals:
        rows.append('<TR><TD BORDER="0"><FONT COLOR="#555555">"…"</FONT></TD>'
                    '<TD ALIGN="LEFT" BORDER="0">literal value</TD></TR>')
    if folded:
        rows.append('<TR><TD COLSPAN="2" BORDER="0"><FONT POINT-SIZE="9">posts and treaty events'
                    '<BR/>are drawn as edge labels</FONT></TD></TR>')
    return '<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="3" CELLPADDING="3">' + "".join(rows) + "</TABLE>>"


def build_dot(sel: Selection, *, engine: str | None = None, rankdir: str = "LR", literals: bool = False,
              by_article: bool = False, by_country: bool | None = None, max_nodes: int = DEFAULT_MAX_NODES,
              node_url: Callable[[str], str] | None = None) -> Drawing:
    """The pydot graph for a selection, refused when it has more than `max_nodes` nodes.
    A node links to its IRI, or to `node_url(iri)` (the server links nodes to its entity pages).
    `by_country` None: boxes per country when the drawing has more than LARGE_DRAWING nodes.
    `engine` None: dot up to DOT_NODES nodes, fdp above and for boxes (dot stacks boxes in one tall
    column; fdp packs them side by side and keeps each edge's label beside its edge). The engine
    is also written into the DOT text (`layout`), so any Graphviz program draws it the same way."""
    import pydot

    from kg.netgraph import property_label

    view, graph = sel.view, sel.view.graph
    chosen = set(sel.nodes)
    literal_count = sum(len(graph.nodes[n]["literals"]) for n in sel.nodes) if literals else 0
    total = len(sel.nodes) + literal_count
    if total == 0:
        raise KgError("nothing to draw: no entities were selected")
    if total > max_nodes:
        raise UsageError(
            f"the drawing would have {total} nodes, more than the limit of {max_nodes}: narrow it to a "
            f"neighbourhood (--entity NAME --depth 1), a saved query or a query (--saved, --query), "
            f"or raise the limit with --max-nodes {total}"
        )
    if by_country is None:
        by_country = total > LARGE_DRAWING and not by_article
    if engine is None:
        engine = "fdp" if by_country or by_article or total > DOT_NODES else "dot"

    dot = pydot.Dot("kg", graph_type="digraph")
    graph_attrs = {
        "label": quoted(sel.title), "labelloc": "t", "fontsize": "16", "fontname": quoted(FONT),
        "bgcolor": quoted("white"), "pad": "0.3", "tooltip": quoted(sel.title), "layout": engine,
    }
    if engine == "dot":
        graph_attrs.update(rankdir=rankdir, nodesep="0.3", ranksep="0.6")
    else:
        # start=1: the same drawing every time (the force-directed engines start from random places)
        graph_attrs.update(overlap="false", splines="true", sep=quoted("+12"), start="1")
    for k, v in graph_attrs.items():
        dot.set(k, v)
    dot.set_node_defaults(fontname=quoted(FONT), fontsize="11", penwidth="1.2")
    dot.set_edge_defaults(fontname=quoted(FONT), fontsize="9", fontcolor=quoted("#404040"),
                          color=quoted("#606060"), arrowsize="0.7")

    # Entities seen in exactly one drawn article go in that article's box.
    containers: dict[str, pydot.Dot | pydot.Cluster] = {}
    home: dict[str, str] = {}
    if by_article:
        for n in sel.nodes:
            arts = sorted(a for a in graph.nodes[n]["articles"] if a in sel.articles)
            if len(arts) == 1:
                home[n] = arts[0]
        for i, article in enumerate(sorted(set(home.values()))):
            cluster = pydot.Cluster(f"article{i}", label=quoted(sel.articles.get(article, article)),
                                    style=quoted("rounded,dashed"), color=quoted("#888888"),
                                    fontsize="12", URL=quoted(article, url=True), tooltip=quoted(article))
            # pydot annotates add_subgraph as taking a Subgraph; it takes a Cluster as well (and checks so)
            dot.add_subgraph(cluster)  # type: ignore[arg-type]
            containers[article] = cluster
    elif by_country:
        home = country_boxes(view, sel.nodes)
        for i, country in enumerate(sorted(set(home.values()), key=view.label)):
            cluster = pydot.Cluster(f"country{i}", label=quoted(view.label(country)),
                                    style=quoted("rounded,filled"), color=quoted("#1f78b4"),
                                    fillcolor=quoted("#f4f8fb"), fontsize="14", tooltip=quoted(view.label(country)))
            dot.add_subgraph(cluster)  # type: ignore[arg-type]
            containers[country] = cluster

    ids: dict[str, str] = {}
    kinds: set[str] = set()
    for i, n in enumerate(sel.nodes):
        ids[n] = f"n{i}"
        kind = view.kind(n)
        kinds.add(kind)
        shape, style, fill, border = STYLES.get(kind, STYLES["Other"])
        iri = graph.nodes[n]["iri"]
        node = pydot.Node(
            ids[n], label=quoted(view.node_text(n)), shape=shape,
            style=quoted(",".join(x for x in ("filled", style) if x)),
            fillcolor=quoted(fill), color=quoted(border), tooltip=quoted(iri),
        )
        if not iri.startswith("_:"):
            node.set("URL", quoted(node_url(iri) if node_url else iri, url=True))
        if n == sel.focus:
            node.set("penwidth", "3")
        containers.get(home.get(n, ""), dot).add_node(node)

    edges = 0
    for u in sel.nodes:
        # Parallel edges between two nodes are drawn as one, with their labels stacked.
        by_target: dict[str, list[str]] = {}
        for _, v, key in graph.out_edges(u, keys=True):
            if v in chosen:
                by_target.setdefault(v, []).append(key)
        for v, keys in sorted(by_target.items()):
            label = "\n".join(sorted(keys))
            dot.add_edge(pydot.Edge(ids[u], ids[v], label=quoted(label), tooltip=quoted(label)))
            edges += 1

    lit = 0
    if literals:
        for n in sel.nodes:
            for predicate, text in graph.nodes[n]["literals"]:
                short = text if len(text) <= 48 else text[:47] + "…"
                lid = f"l{lit}"
                lit += 1
                containers.get(home.get(n, ""), dot).add_node(pydot.Node(
                    lid, label=quoted(short), shape="plaintext", fontcolor=quoted("#555555"),
                    fontsize="10", tooltip=quoted(text)))
                dot.add_edge(pydot.Edge(ids[n], lid, label=quoted(property_label(predicate)),
                                        style="dashed", color=quoted("#a0a0a0")))
                edges += 1

    ordered = [k for k in STYLES if k in kinds]
    folded = any(graph.edges[e]["folded"] for e in graph.subgraph(sel.nodes).edges(keys=True))
    dot.add_node(pydot.Node("legend", label=_legend(ordered, literals and lit > 0, folded), shape="none",
                            margin="0", fontsize="10", tooltip=quoted("Legend")))
    return Drawing(dot, total, edges, len(containers) if by_country and not by_article else 0, engine)


# --- output ---------------------------------------------------------------------------------------


def output_format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UsageError(f"{path}: unknown output type '{path.suffix or '(none)'}' (use .png, .svg, .pdf or .dot)")
    return fmt


def check_output(path: Path, force: bool) -> str:
    """The format for `path`, after refusing what cannot work before any drawing is made."""
    fmt = output_format(path)
    check_writable(path, force)
    return fmt


def render(dot_text: str, fmt: str, engine: str = "dot") -> bytes:
    """Run Graphviz on DOT text (an argument list, never a shell) and return the picture."""
    if fmt == "dot":
        return dot_text.encode("utf-8")
    program = shutil.which(engine)
    if program is None:
        raise KgError(
            f"Graphviz is not installed: no '{engine}' program found on PATH "
            "(install Graphviz, e.g. apt-get install graphviz, or write a .dot file instead)"
        )
    try:
        done = subprocess.run([program, f"-T{fmt}"], input=dot_text.encode("utf-8"),
                              capture_output=True, timeout=RENDER_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise KgError(f"Graphviz '{engine}' took more than {RENDER_TIMEOUT} s; try --engine sfdp or fewer nodes") from None
    except OSError as e:
        raise KgError(f"cannot run Graphviz '{engine}': {e.strerror or e}") from None
    if done.returncode != 0 or not done.stdout:
        lines = [line for line in done.stderr.decode("utf-8", "replace").splitlines() if line.strip()]
        raise KgError(f"Graphviz '{engine}' failed: {lines[0] if lines else f'exit status {done.returncode}'}")
    return done.stdout


def write_file(path: Path, data: bytes, force: bool) -> None:
    """Write `data` to `path` whole or not at all; without `force` an existing file is never
    replaced (even one made while Graphviz was running)."""
    write_whole(path, data, force)


def export(store: Store, request: DrawingRequest, last_query: str | None = None,
           last_result: QueryResult | None = None) -> str:
    """Draw what the request asks for into its output file; returns a one-line report."""
    path = request.output
    fmt = check_output(path, request.force)
    if request.max_nodes < 1:
        raise UsageError("--max-nodes must be 1 or more")
    sel = select(store, request, last_query, last_result)
    if request.by_article and request.by_country:
        raise UsageError("give only one of --by-article and --by-country")
    drawing = build_dot(sel, engine=request.engine, rankdir=request.rankdir, literals=request.literals,
                       by_article=request.by_article, by_country=True if request.by_country else None,
                       max_nodes=request.max_nodes)
    write_file(path, render(drawing.text(), fmt, drawing.engine), request.force)
    report = f"wrote {path}: {_count(drawing.nodes, 'node')}, {_count(drawing.edges, 'edge')}"
    if drawing.boxes:
        report += f" in {drawing.boxes} box{'' if drawing.boxes == 1 else 'es'} per country"
    if sel.leaves:
        names = ", ".join(sel.view.label(n) for n in sel.leaves[:4]) + (", ..." if len(sel.leaves) > 4 else "")
        report += f"; not drawn through {names} (--through-hubs goes on through them)"
    return report


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
