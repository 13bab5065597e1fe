"""`kg path`, `kg central`, `kg groups` (and the shell's `\\path`, `\\central`, `\\groups`):
graph analysis with networkx over the entities and the facts between them.

The graph is the one drawn by `kg export` (see `kg.netgraph`): typing and provenance are not
edges, and posts and treaty events are folded into edges, so "Leon Panetta —defence secretary→
United States" is one step. Edge direction is ignored for paths, centrality and groups.
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

from kg.errors import UsageError

if TYPE_CHECKING:
    import networkx as nx

    from kg.netgraph import DisplayGraph, EntityGraph
    from kg.store import Store

MEASURES = ("degree", "betweenness", "pagerank")
DEFAULT_TOP = 10
MAX_PATHS = 20
# Exact betweenness visits every edge once per entity; measured here at about 2 µs a visit, so
# beyond this many visits (about 10 s) it is estimated from a fixed sample of source entities.
BETWEENNESS_WORK = 5_000_000


class NoConnection(Exception):
    """Two entities are not connected: an answer, not an error, but the CLI exits with 1."""


# --- shared helpers -------------------------------------------------------------------------------


def _graph(store: Store) -> tuple[EntityGraph, DisplayGraph]:
    from kg import netgraph

    eg = netgraph.entity_graph(store)
    return eg, eg.display


def class_kind(text: str) -> str:
    """A class as the user types it (`Official`, `kg:Official`, `treaty event`) -> its kind name."""
    from kg.netgraph import CLASS_ORDER, OTHER

    wanted = text.strip()
    if wanted.lower().startswith("kg:"):
        wanted = wanted[3:]
    wanted = wanted.replace(" ", "").replace("_", "").lower()
    for kind in (*CLASS_ORDER, OTHER):
        if kind.lower() == wanted:
            return kind
    raise UsageError(f"unknown class '{text}' (classes: {', '.join(CLASS_ORDER)})")


def _hop(view: DisplayGraph, u: str, v: str) -> str:
    """How one step of a path reads, e.g. `—participant→` or, against the edge, `—participant of→`."""
    g = view.graph
    forward = sorted(g[u][v]) if g.has_edge(u, v) else []
    if forward:
        return f" —{', '.join(forward)}→ "
    backward = sorted(g[v][u])
    plain = [k for k in backward if not g.edges[v, u, k]["folded"]]
    folded = [k for k in backward if g.edges[v, u, k]["folded"]]
    if plain:
        return f" —{', '.join(f'{k} of' for k in plain)}→ "
    # A title or treaty event read backwards: "United States ←defence secretary— Leon Panetta".
    return f" ←{', '.join(folded)}— "


def _facts(eg: EntityGraph, view: DisplayGraph, u: str, v: str) -> list[str]:
    from kg.netgraph import property_label

    g = view.graph
    lines = []
    for a, b in ((u, v), (v, u)):
        if not g.has_edge(a, b):
            continue
        for key in sorted(g[a][b]):
            for f in g.edges[a, b, key]["facts"]:
                where = ", ".join(sorted(eg.articles.get(x, x) for x in f.articles))
                s, o = eg.nodes[f.subject].label, eg.nodes[f.object].label
                lines.append(f"  {s} —{property_label(f.predicate)}→ {o}" + (f"   [{where}]" if where else ""))
    return lines


# --- path -----------------------------------------------------------------------------------------


def path_text(store: Store, source: str, target: str, avoid: list[str] | None = None,
              every: bool = False) -> str:
    """How two entities are connected: the shortest path(s), then the facts along the way.
    Raises `NoConnection` when there is none."""
    import networkx as nx

    from kg import netgraph

    eg, view = _graph(store)
    a = netgraph.resolve(store, source, eg)
    b = netgraph.resolve(store, target, eg)
    if a == b:
        return f"'{source}' and '{target}' are the same entity: {view.label(a)}"
    avoided = {class_kind(c) for c in avoid or []}
    ug: nx.Graph = view.undirected
    if avoided:
        ug = ug.subgraph(n for n in ug if n in (a, b) or view.kind(n) not in avoided)
    try:
        if every:
            paths = []
            for p in nx.all_shortest_paths(ug, a, b):
                paths.append(p)
                if len(paths) == MAX_PATHS:
                    break
        else:
            paths = [nx.shortest_path(ug, a, b)]
    except nx.NetworkXNoPath:
        through = f" without passing through {', '.join(sorted(avoided))}" if avoided else ""
        raise NoConnection(f"no connection between {view.label(a)} and {view.label(b)}{through}") from None
    paths.sort(key=lambda p: [view.label(n) for n in p])
    out: list[str] = []
    for p in paths:
        line = view.label(p[0]) + "".join(_hop(view, u, v) + view.label(v) for u, v in pairwise(p))
        out.append(line)
    steps = len(paths[0]) - 1
    count = f"{len(paths)} paths" if len(paths) > 1 else "1 path"
    out.append(f"({count} of {steps} step{'s' if steps != 1 else ''}; the facts:)")
    seen: set[str] = set()
    for p in paths:
        for u, v in pairwise(p):
            for fact in _facts(eg, view, u, v):
                if fact not in seen:
                    seen.add(fact)
                    out.append(fact)
    return "\n".join(out)


# --- central --------------------------------------------------------------------------------------


def pagerank(ug: nx.Graph, alpha: float = 0.85, tol: float = 1e-10, max_iter: int = 500) -> dict[str, float]:
    """PageRank of an undirected graph by power iteration (each edge counts both ways; an entity
    with no edges spreads its rank over all). networkx's own needs scipy, which kg does not."""
    nodes = list(ug)
    n = len(nodes)
    if n == 0:
        return {}
    index = {v: i for i, v in enumerate(nodes)}
    neighbours = [[index[u] for u in ug[v]] for v in nodes]
    share = [1.0 / len(nb) if nb else 0.0 for nb in neighbours]
    lone = [i for i, nb in enumerate(neighbours) if not nb]
    rank = [1.0 / n] * n
    for _ in range(max_iter):
        out = [rank[i] * share[i] for i in range(n)]
        base = (1 - alpha) / n + alpha * sum(rank[i] for i in lone) / n
        new = [base + alpha * sum(out[j] for j in nb) for nb in neighbours]
        change = sum(abs(a - b) for a, b in zip(new, rank, strict=True))
        rank = new
        if change < n * tol:
            break
    return dict(zip(nodes, rank, strict=True))


def betweenness_sample(ug: nx.Graph) -> int | None:
    """How many source entities to estimate betweenness from, or None for the exact value."""
    n, size = ug.number_of_nodes(), ug.number_of_nodes() + ug.number_of_edges()
    if n * size <= BETWEENNESS_WORK:
        return None
    return min(n, max(50, BETWEENNESS_WORK // size))


def ranking(store: Store, measure: str = "degree", cls: str | None = None,
            top: int = DEFAULT_TOP) -> list[tuple[str, float]]:
    """(entity IRI, score) best first; ties by label. Scores are computed on the whole graph,
    then filtered by class."""
    import networkx as nx

    if measure not in MEASURES:
        raise UsageError(f"unknown measure '{measure}' (measures: {', '.join(MEASURES)})")
    if top < 1:
        raise UsageError("--top must be 1 or more")
    kind = class_kind(cls) if cls else None
    _, view = _graph(store)
    ug = view.undirected
    if measure == "degree":
        scores: dict[str, float] = dict(ug.degree())
    elif measure == "betweenness":
        k = betweenness_sample(ug)
        scores = nx.betweenness_centrality(ug, k=k, seed=0)
    else:
        scores = pagerank(ug)
    chosen = [n for n in scores if kind is None or view.kind(n) == kind]
    chosen.sort(key=lambda n: (-scores[n], view.label(n).casefold(), n))
    return [(n, scores[n]) for n in chosen[:top]]


def central_text(store: Store, measure: str = "degree", cls: str | None = None, top: int = DEFAULT_TOP) -> str:
    _, view = _graph(store)
    ranked = ranking(store, measure, cls, top)
    if not ranked:
        return f"no {class_kind(cls)} entities in the graph" if cls else "the graph has no entities"
    header = "connections" if measure == "degree" else measure
    sample = betweenness_sample(view.undirected) if measure == "betweenness" else None
    if sample:
        header += f" (estimated from {sample} of {view.undirected.number_of_nodes()} entities)"
    rows = [
        (str(i), str(int(s)) if measure == "degree" else f"{s:.4f}", view.label(n), view.kind(n))
        for i, (n, s) in enumerate(ranked, 1)
    ]
    table = [("#", header, "entity", "class"), *rows]
    widths = [max(len(r[i]) for r in table) for i in range(4)]
    lines = []
    for r in table:
        cells = [r[0].rjust(widths[0]), r[1].rjust(widths[1]), r[2].ljust(widths[2]), r[3]]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


# --- groups ---------------------------------------------------------------------------------------


def groups(store: Store, min_size: int = 1) -> list[list[str]]:
    """Connected groups of entities, largest first, each sorted by class then label."""
    import networkx as nx

    from kg.netgraph import CLASS_ORDER

    if min_size < 1:
        raise UsageError("--min-size must be 1 or more")
    _, view = _graph(store)
    order = {k: i for i, k in enumerate(CLASS_ORDER)}

    def sort_key(n: str) -> tuple[int, str, str]:
        return (order.get(view.kind(n), len(order)), view.label(n).casefold(), n)

    found = [sorted(c, key=sort_key) for c in nx.connected_components(view.undirected) if len(c) >= min_size]
    found.sort(key=lambda c: (-len(c), sort_key(c[0])))
    return found


def groups_text(store: Store, min_size: int = 1) -> str:
    _, view = _graph(store)
    found = groups(store, min_size)
    if not found:
        return "no groups" + (f" of {min_size} or more entities" if min_size > 1 else "")
    total = sum(len(c) for c in found)
    out = [f"{len(found)} group{'s' if len(found) != 1 else ''} of connected entities ({total} entities)"]
    for i, members in enumerate(found, 1):
        out.append(f"Group {i}: {len(members)} entit{'ies' if len(members) != 1 else 'y'}")
        by_kind: dict[str, list[str]] = {}
        for n in members:
            by_kind.setdefault(view.kind(n), []).append(view.label(n))
        for kind, labels in by_kind.items():
            out.append(f"  {kind}: {', '.join(labels)}")
    return "\n".join(out)
