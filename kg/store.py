"""The store behind one small interface: an embedded Oxigraph folder, or a SPARQL 1.1 endpoint.

Everything above this module speaks rdflib terms and `QueryResult`; nothing else imports pyoxigraph.
Named graphs hold one article each (what it said, with its evidence); the knowledge graph holds
every fact once and what each entity is. A query without FROM or FROM NAMED sees the knowledge
graph as its default graph (a set, as SPARQL means it) and the article graphs as named graphs; a
query with them gets the dataset it names. In the embedded store the knowledge graph is the
store's own default graph (so SPARQL Update without GRAPH writes to it too); a server holds it as
the named graph `KNOWLEDGE_GRAPH`, and dumps name it so.
"""

from __future__ import annotations

import io
import itertools
import os
import re
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, TypeVar, overload
from typing import Literal as TypingLiteral

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from kg.errors import QuerySyntaxError, ResultTooLarge, StoreError, StoreLockedError, UpdateRefused
from kg.ontology import KG, KNOWLEDGE_GRAPH, PREFIXES

if TYPE_CHECKING:
    from typing_extensions import Buffer

Term = URIRef | BNode | Literal
Triple = tuple[Node, Node, Node]
Quad = tuple[Node, Node, Node, Node]

DEFAULT_STORE = ".kg"
_T = TypeVar("_T")
UPDATE_REFUSED = "this is a SPARQL Update, not a query (the shell runs it with --allow-update)"


def _in_knowledge_graph(pattern: str, named: bool) -> str:
    return f"GRAPH <{KNOWLEDGE_GRAPH}> {{ {pattern} }}" if named else pattern


def prune_entities_update(named: bool = True) -> str:
    """The update that removes what the entities no article mentions any more are (after an article
    changed or went away). `named`: the knowledge graph is a named graph, not the default graph."""
    kg = _in_knowledge_graph
    # Officials, posts and dialogues are kg.resolve's, which rewrites them after every change.
    return f"""DELETE {{ {kg("?e ?p ?o", named)} }}
WHERE {{
  {kg("?e a ?class", named)}
  FILTER(?class NOT IN (<{KG.Article}>, <{KG.Official}>, <{KG.Post}>, <{KG.Dialogue}>))
  FILTER NOT EXISTS {{ GRAPH ?g {{ ?e <{KG.mentionedIn}> ?article }} }}
  {kg("?e ?p ?o", named)}
}}"""


def _others(graph: str, named: bool, dropped: Iterable[str]) -> str:
    """A filter on ?other: a named graph that is neither `graph`, nor one dropped with it, nor the
    knowledge graph (which a server holds as a named graph)."""
    excluded = {graph, *dropped} | ({KNOWLEDGE_GRAPH} if named else set())
    return f"FILTER(?other NOT IN ({', '.join(f'<{g}>' for g in sorted(excluded))}))"


def retract_facts(graph: str, named: bool = True, dropped: Iterable[str] = ()) -> str:
    """The update that takes an article's facts out of the knowledge graph, except those another
    article also states: run before the article's graph is dropped or replaced (in the same
    request). `dropped`: other graphs dropped in the same request, whose facts do not count."""
    if graph == KNOWLEDGE_GRAPH:
        return ""
    return f"""DELETE {{ {_in_knowledge_graph("?s ?p ?o", named)} }}
WHERE {{
  GRAPH <{graph}> {{ ?s ?p ?o }}
  FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} {_others(graph, named, dropped)} }}
}} ;
"""


def orphans_of(graph: str, keep: Iterable[str] = (), named: bool = True, dropped: Iterable[str] = ()) -> str:
    """An update deleting what the knowledge graph says of the entities `graph` mentions that no
    other article mentions (and that are not in `keep`). Sent in the same request as the graph's
    drop or replacement, so a build killed at any moment leaves no entity that no article mentions.
    `dropped`: other graphs dropped in the same request, whose mentions do not count."""
    kept = ", ".join(f"<{k}>" for k in sorted(keep))
    keep_filter = f"FILTER(?e NOT IN ({kept}))" if kept else ""
    return (
        f"DELETE {{ {_in_knowledge_graph('?e ?p ?o', named)} }} WHERE {{\n"
        f"  GRAPH <{graph}> {{ ?e <{KG.mentionedIn}> <{graph}> }} {keep_filter}\n"
        f"  FILTER NOT EXISTS {{ GRAPH ?other {{ ?e <{KG.mentionedIn}> ?a }} {_others(graph, named, dropped)} }}\n"
        f"  {_in_knowledge_graph('?e ?p ?o', named)} }}"
    )


@dataclass
class ArticleGraph:
    """What one article puts in the store. Its own graph holds its facts and their evidence; the
    knowledge graph gets its facts and the descriptions of the entities it names."""

    iri: str
    facts: list[Triple] = field(default_factory=list)  # what it states: both graphs
    evidence: list[Triple] = field(default_factory=list)  # the sentences behind them: its graph
    descriptions: list[Triple] = field(default_factory=list)  # what its entities are: the knowledge graph
    # graphs of earlier versions of the same file, dropped in the same step as this one is written
    replaces: list[str] = field(default_factory=list)
    # officials, posts and dialogues as the article reports them: its graph (kg.resolve writes the
    # knowledge graph's resolved nodes from every article's report)
    reported: list[Triple] = field(default_factory=list)

    @property
    def triples(self) -> list[Triple]:
        """The article's own graph."""
        return self.facts + self.reported + self.evidence

    @property
    def shared(self) -> list[Triple]:
        """Its share of the knowledge graph."""
        return self.descriptions + self.facts

    def __len__(self) -> int:
        return 2 * len(self.facts) + len(self.reported) + len(self.evidence) + len(self.descriptions)


@dataclass(frozen=True)
class Dataset:
    """A query's dataset given beside its text, as the SPARQL Protocol's default-graph-uri and
    named-graph-uri do: graph IRIs, the knowledge graph's naming the store's default graph. No
    named graphs given: every named graph (as Oxigraph's and Virtuoso's servers read it)."""

    default: tuple[str, ...] = ()
    named: tuple[str, ...] = ()


@dataclass
class QueryResult:
    """What every query returns, whatever the store: a table, a boolean, or triples."""

    kind: TypingLiteral["select", "ask", "graph"]
    vars: list[str] = field(default_factory=list)
    rows: list[tuple[Term | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[Triple] = field(default_factory=list)

    def __len__(self) -> int:
        if self.kind == "select":
            return len(self.rows)
        if self.kind == "graph":
            return len(self.triples)
        return 1

    def dicts(self) -> list[dict[str, Term | None]]:
        return [dict(zip(self.vars, row, strict=True)) for row in self.rows]


class Store(ABC):
    """A dataset of one named graph per article and the knowledge graph, the default graph of queries."""

    location: str

    @abstractmethod
    def query(self, sparql: str, *, timeout: float | None = None, max_rows: int | None = None,
              dataset: Dataset | None = None) -> QueryResult:
        """Run a query; with `max_rows`, a result of more rows or triples raises `ResultTooLarge`;
        with `dataset`, over those graphs instead of the knowledge graph and every article graph."""

    @abstractmethod
    def update(self, sparql: str) -> None: ...

    @abstractmethod
    def replace_graph(self, graph: str, triples: Iterable[Triple]) -> None:
        """Make `graph` hold exactly `triples`, atomically: readers see the old graph or the new one.
        The old graph's facts leave the knowledge graph unless another article states them."""

    @abstractmethod
    def drop_graph(self, graph: str) -> None:
        """Drop a graph in one request: its facts leave the knowledge graph unless another article
        states them, and so do the descriptions of the entities only it mentioned."""

    @abstractmethod
    def merge_graph(self, graph: str, triples: Iterable[Triple]) -> None:
        """Add `triples` to `graph`, keeping what it holds (the knowledge graph grows this way)."""

    def write_articles(self, articles: Sequence[ArticleGraph]) -> None:
        """Replace each article's graph with its new triples and merge its share of the knowledge graph."""
        for article in articles:
            self.replace_graph(article.iri, article.triples)
            self.merge_graph(KNOWLEDGE_GRAPH, article.shared)
            for old in article.replaces:
                self.drop_graph(old)

    def prune_entities(self) -> None:
        """Drop the descriptions of entities that no article mentions any more."""
        self.update(prune_entities_update())

    def select_all(self, sparql: str, order: str) -> list[tuple[Term | None, ...]]:
        """Every row of a SELECT. A server that caps its results is read in pages, in the `order`
        given (an ORDER BY of all the query projects); here the rows come whole, unsorted (sorting
        is most of the time such a query takes)."""
        return self.query(sparql).rows

    # The embedded store holds the knowledge graph as its default graph; a server as a named graph.
    knowledge_graph_is_default = False
    DELETE_BATCH = 2000

    def delete_triples(self, graph: str, triples: Sequence[Triple]) -> None:
        """Take these triples out of `graph` (requests of a bounded size)."""
        for start in range(0, len(triples), self.DELETE_BATCH):
            body = "".join(_statements(triples[start:start + self.DELETE_BATCH]))
            if graph == KNOWLEDGE_GRAPH and self.knowledge_graph_is_default:
                self.update(f"DELETE DATA {{ {body} }}")
            else:
                self.update(f"DELETE DATA {{ GRAPH <{graph}> {{ {body} }} }}")

    @abstractmethod
    def quads(self) -> Iterator[Quad]:
        """Every quad in the store (for dumps and whole-graph work)."""

    def load_quads(self, quads: Iterable[Quad]) -> int:
        """Add quads grouped by graph, each graph replaced as a whole (the knowledge graph is
        merged). Returns the count added."""
        by_graph: dict[str, list[Triple]] = {}
        for s, p, o, g in quads:
            by_graph.setdefault(str(g), []).append((s, p, o))
        for graph, triples in by_graph.items():
            if graph == KNOWLEDGE_GRAPH:
                self.merge_graph(graph, triples)
            else:
                self.replace_graph(graph, triples)
        if by_graph:
            self.prune_entities()
        return sum(len(t) for t in by_graph.values())

    def close(self) -> None:  # noqa: B027 - optional for stores that hold nothing open
        pass

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --- terms ----------------------------------------------------------------------------------------

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@overload
def to_rdflib(term: None) -> None: ...
@overload
def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Term: ...
def to_rdflib(term: object) -> Term | None:
    if term is None:
        return None
    # Result terms repeat (labels, countries, classes) and building rdflib terms is the slow part
    # of reading a result: convert each distinct term once.
    got = _TERMS.get(term)
    if got is None:
        if len(_TERMS) >= _CACHE_MAX:
            _TERMS.clear()
        got = _TERMS[term] = _convert_to_rdflib(term)
    return got


def _convert_to_rdflib(term: object) -> Term:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        return Literal(term.value, datatype=None if dt == _XSD_STRING else URIRef(dt))
    raise StoreError(f"unsupported RDF term in a result: {term!r}")


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if type(term) is URIRef:
        return _named_node(term)
    if type(term) is Literal:
        return _literal(term)
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        return _literal(term)
    raise StoreError(f"unsupported RDF term: {term!r}")


# IRIs recur across a build (predicates, classes, countries, officials): converting each once
# halves the Python cost of a load. Bounded, so a long build cannot grow it without limit.
_NODES: dict[str, ox.NamedNode] = {}
_TERMS: dict[object, Term] = {}
_CACHE_MAX = 200_000


def _named_node(iri: str) -> ox.NamedNode:
    node = _NODES.get(iri)
    if node is None:
        if len(_NODES) >= _CACHE_MAX:
            _NODES.clear()
        node = _NODES[iri] = ox.NamedNode(iri)
    return node


def _literal(term: Literal) -> ox.Literal:
    if term.language:
        return ox.Literal(term, language=term.language)
    datatype = term.datatype
    if datatype is not None:
        return ox.Literal(term, datatype=_named_node(datatype))
    return ox.Literal(term)


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def term_text(term: Node) -> str:
    """A term in N-Triples syntax (also valid in SPARQL). Writing text and letting Oxigraph's
    parser read it is three times cheaper than building its term objects one by one in Python."""
    if type(term) is URIRef:
        return f"<{term}>"
    if type(term) is Literal:
        lexical = str.translate(term, _ESCAPES)
        if term.language:
            return f'"{lexical}"@{term.language}'
        datatype = term.datatype
        return f'"{lexical}"^^<{datatype}>' if datatype is not None else f'"{lexical}"'
    if isinstance(term, URIRef):
        return f"<{str.__str__(term)}>"
    if isinstance(term, BNode):
        return f"_:{str.__str__(term)}"
    if isinstance(term, Literal):
        return term_text(Literal(str.__str__(term), lang=term.language, datatype=term.datatype))
    raise StoreError(f"unsupported RDF term: {term!r}")


def _statements(triples: Iterable[Triple], graph: str | None = None) -> list[str]:
    """One line per triple: `s p o .`, or `s p o <graph> .` as N-Quads."""
    t = term_text
    end = f" <{graph}> .\n" if graph else " .\n"
    return [f"{t(s)} {t(p)} {t(o)}{end}" for s, p, o in triples]


def _graph_name(graph: str) -> ox.NamedNode | ox.DefaultGraph:
    """The embedded store holds the knowledge graph as its default graph."""
    return ox.DefaultGraph() if graph == KNOWLEDGE_GRAPH else _named_node(graph)


def _oxigraph_quads(graph: ox.NamedNode | ox.DefaultGraph, triples: Iterable[Triple]) -> list[ox.Quad]:
    quad, conv = ox.Quad, to_oxigraph
    return [quad(_subject(s), _predicate(p), conv(o), graph) for s, p, o in triples]


def _subject(term: Node) -> ox.NamedNode | ox.BlankNode:
    node = to_oxigraph(term)
    if isinstance(node, ox.Literal):
        raise StoreError(f"a literal cannot be a subject: {term!r}")
    return node


def _predicate(term: Node) -> ox.NamedNode:
    node = to_oxigraph(term)
    if not isinstance(node, ox.NamedNode):
        raise StoreError(f"a predicate must be an IRI: {term!r}")
    return node


# --- query text -----------------------------------------------------------------------------------

_PROLOGUE = re.compile(r"(?:\s+|#[^\n]*\n?|(?i:prefix)\s+[\w.-]*:\s*<[^>]*>|(?i:base)\s*<[^>]*>)*")


def first_keyword(sparql: str) -> str:
    """The first keyword after the prologue, lower case: a hint for display only (what a text
    is, for running it, is decided by the grammar in `kg.sparqlparse`)."""
    prologue = _PROLOGUE.match(sparql)  # matches everywhere: it may be empty
    rest = sparql[prologue.end():] if prologue else sparql
    m = re.match(r"[A-Za-z]+", rest)
    return m.group(0).lower() if m else ""


def is_update(sparql: str) -> bool:
    """Whether SPARQL's grammar reads the text as an update (never a search of the text)."""
    from kg.sparqlparse import is_update as parsed_as_update

    return parsed_as_update(sparql)


def is_destructive(sparql: str) -> bool:
    """Updates that remove or overwrite data anywhere in the request (DROP, CLEAR, DELETE, COPY,
    MOVE, ADD)."""
    from kg.sparqlparse import is_destructive as parsed_as_destructive

    return parsed_as_destructive(sparql)


# Strings, IRIs and comments, blanked out before looking for keywords in a query's text.
STRINGS_IRIS_COMMENTS = re.compile(
    r'#[^\n]*|"""(?:[^\\]|\\.)*?"""|' + r"'''(?:[^\\]|\\.)*?'''|"
    r'"(?:[^"\\\n]|\\.)*"|' + r"'(?:[^'\\\n]|\\.)*'|" + r'<[^<>"{}|^`\\\s]*>'
)
_DATASET_CLAUSE = re.compile(r"(?i)(?<![\w:?$])FROM(?![\w:-])")


def has_dataset_clause(sparql: str) -> bool:
    """True if the query names its own dataset (FROM or FROM NAMED): then that dataset is used,
    and not the knowledge graph as the default graph."""
    return bool(_DATASET_CLAUSE.search(STRINGS_IRIS_COMMENTS.sub(" ", sparql)))


_POSITION = re.compile(r"error at (\d+):(\d+): (.*)", re.S)
# Oxigraph's parser lists what it expected; a rule the query breaks (a variable neither grouped nor
# aggregated) comes as a sentence among the tokens.
_BROKEN_RULE = re.compile(r"(?:^|, )([A-Z][a-z]+(?: [^\s,\[\]\"]+){2,})")


def broken_rule(message: str) -> str | None:
    """The rule a whole but wrong query breaks, if the parser names one ("The SELECT contains a
    variable that is unbound"), else None."""
    m = _BROKEN_RULE.search(message)
    return m.group(1) if m else None


# The words SPARQL writes bare (no ?, :, quotes or brackets): its keywords, `a`, true and false.
_BARE_WORDS = (
    "SELECT", "DISTINCT", "REDUCED", "WHERE", "FROM", "NAMED", "PREFIX", "BASE", "ASK", "CONSTRUCT", "DESCRIBE",
    "OPTIONAL", "FILTER", "UNION", "MINUS", "BIND", "VALUES", "GRAPH", "SERVICE", "SILENT", "AS", "ORDER", "GROUP",
    "BY", "HAVING", "LIMIT", "OFFSET", "ASC", "DESC", "NOT", "EXISTS", "IN", "UNDEF", "SEPARATOR", "TRUE", "FALSE",
    "A",
)
# Built-in functions, written bare before "(".
_FUNCTIONS = (
    "STR", "LANG", "LANGMATCHES", "DATATYPE", "BOUND", "IRI", "URI", "BNODE", "RAND", "ABS", "CEIL", "FLOOR",
    "ROUND", "CONCAT", "STRLEN", "UCASE", "LCASE", "ENCODE_FOR_URI", "CONTAINS", "STRSTARTS", "STRENDS",
    "STRBEFORE", "STRAFTER", "YEAR", "MONTH", "DAY", "HOURS", "MINUTES", "SECONDS", "TIMEZONE", "TZ", "NOW",
    "UUID", "STRUUID", "MD5", "SHA1", "SHA256", "SHA384", "SHA512", "COALESCE", "IF", "STRLANG", "STRDT",
    "SAMETERM", "ISIRI", "ISURI", "ISBLANK", "ISLITERAL", "ISNUMERIC", "REGEX", "SUBSTR", "REPLACE",
    "COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT", "TRIPLE", "SUBJECT", "PREDICATE", "OBJECT",
    "ISTRIPLE", "LANGDIR", "HASLANG", "HASLANGDIR", "ISDATE",
)
_BARE_WORD = re.compile(r"(?<![\w?$:@^.-])([A-Za-z][A-Za-z_0-9]+)(?![\w:-])")


def _misspelt_keyword(sparql: str, line: int, column: int) -> tuple[int, int, str, str] | None:
    """A bare word up to the error that is no SPARQL keyword but looks like one ('SELEKT'):
    (line, column, word, keyword), pointing at the word rather than where the parser gave up."""
    import difflib

    lines = sparql.split("\n")
    end = sum(len(x) + 1 for x in lines[: line - 1]) + column
    code = STRINGS_IRIS_COMMENTS.sub(lambda m: " " * len(m.group(0)), sparql)[:end]
    for m in _BARE_WORD.finditer(code):
        word = m.group(1)
        if word.upper() in _BARE_WORDS or word.upper() in _FUNCTIONS:
            continue
        close = difflib.get_close_matches(word.upper(), _BARE_WORDS, n=1, cutoff=0.7)
        if close:
            at_line = code.count("\n", 0, m.start()) + 1
            at_column = m.start() - (code.rfind("\n", 0, m.start()) + 1) + 1
            return at_line, at_column, word, close[0]
    return None


def syntax_error(message: str, sparql: str) -> QuerySyntaxError:
    """Turn a parser message into one clear line with the position in the user's text."""
    m = _POSITION.match(message)
    if not m:
        return QuerySyntaxError(message.splitlines()[0] if message else "invalid query", sparql)
    line, column, detail = int(m.group(1)), int(m.group(2)), m.group(3)
    misspelt = None if "Prefix not found" in detail else _misspelt_keyword(sparql, line, column)
    if misspelt:
        line, column, word, keyword = misspelt
        return QuerySyntaxError(f"'{word}' is not a SPARQL keyword (did you mean {keyword}?)", sparql, line, column)
    if "Prefix not found" in detail:
        lines = sparql.splitlines() or [""]
        text = lines[min(line, len(lines)) - 1][: column - 1]
        # Oxigraph points after the local name: find the prefixed name that ends there.
        pm = re.search(r"(?<![\w?$])([A-Za-z][\w.-]*)?:[\w.-]*$", text)
        name = pm.group(1) or "" if pm else "?"
        if pm:
            column = pm.start() + 1
        detail = f"undeclared prefix '{name}:' (declare it with PREFIX, or see \\prefixes)"
    elif rule := broken_rule(detail):
        detail = rule[0].lower() + rule[1:]
        if "unbound" in rule and "SELECT" in rule:
            detail += " (with GROUP BY, select only grouped variables or aggregates such as SAMPLE(?x))"
    else:
        undeclared = _first_undeclared_prefix(sparql, line, column)
        if undeclared is not None:
            # Oxigraph reports an unknown prefix after `;` as "expected OPTIONAL" further on.
            name, line, column = undeclared
            detail = f"undeclared prefix '{name}:' (declare it with PREFIX, or see \\prefixes)"
        else:
            detail = " ".join(detail.split())
            if len(detail) > 160:
                detail = detail[:157] + "..."
    return QuerySyntaxError(detail, sparql, line, column)


def check_syntax(sparql: str) -> None:
    """Raise QuerySyntaxError (line, column, caret) if `sparql` is not a valid query. Parsed by
    running it on an empty in-memory store, which answers at once. A query calling a SERVICE is
    read by SPARQL's grammar instead (running it here would send the request)."""
    if re.search(r"(?i)\bSERVICE\b", STRINGS_IRIS_COMMENTS.sub(" ", sparql)):
        from kg.sparqlparse import parse

        if parse(sparql).services:  # a whole text the grammar reads, with SERVICE calls
            return
    # Oxigraph parses the whole query before evaluating any of it: a broken one never calls out.
    try:
        ox.Store().query(sparql, prefixes=PREFIXES)
    except SyntaxError as e:
        raise syntax_error(str(e), sparql) from None


# Comments, strings and IRIs, where a colon is not a prefixed name's.
_NOT_CODE = re.compile(
    r'#[^\n]*|"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\x00-\x20]*>'
)
_PREFIXED_NAME = re.compile(r"(?<![\w?$:.\-])([^\W\d_][\w.\-]*)?:(?![/])")
_PREFIX_DECL = re.compile(r"(?i)\bprefix\s+([^\W\d_][\w.\-]*)?:")


def _first_undeclared_prefix(sparql: str, line: int, column: int) -> tuple[str, int, int] | None:
    """The first prefixed name up to the parser's error position whose prefix is neither
    declared nor one of kg's, as (prefix, line, column); used only to word an error message."""
    code = _NOT_CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), sparql)
    declared = set(PREFIXES) | {m.group(1) or "" for m in _PREFIX_DECL.finditer(code)}
    lines = code.split("\n")
    limit = sum(len(x) + 1 for x in lines[: line - 1]) + column
    for m in _PREFIXED_NAME.finditer(code):
        if m.start() > limit:
            return None
        name = m.group(1) or ""
        if name in declared or name == "_" or _PREFIX_DECL.match(code, max(0, m.start() - 64), m.end()):
            continue
        before = code[: m.start()]
        return name, before.count("\n") + 1, m.start() - (before.rfind("\n") + 1) + 1
    return None


# --- the embedded store ---------------------------------------------------------------------------


class OxigraphStore(Store):
    """An embedded, persistent Oxigraph store in a folder.

    Writers hold the folder's lock for as long as the store is open; readers open a read-only
    snapshot, so `kg query` during a build reads what was committed when it started.
    """

    PID_FILE = "kg.pid"
    knowledge_graph_is_default = True
    # RocksDB keeps written data in memory tables until they are flushed; flushing every so many
    # quads keeps a long build's memory flat (860 MB -> 170 MB over 1M triples) and costs nothing.
    FLUSH_EVERY = 50_000
    LOAD_CHUNK = 200_000  # quads per bulk load call in `load_quads`

    def __init__(self, path: str | os.PathLike[str], *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.location = str(self.path)
        self.read_only = read_only
        self._unflushed = 0
        self._described: set[Triple] = set()
        if read_only:
            if not (self.path / "CURRENT").exists():
                raise StoreError(f"no store at {self.path} (build one with: kg build --store {self.path} ARTICLES)")
            self._db = self._open_snapshot()
            return
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            self._db = ox.Store(str(self.path))
        except (OSError, RuntimeError) as e:  # RocksDB reports a damaged store as RuntimeError
            if "lock" in str(e).lower():
                raise StoreLockedError(f"store {self.path} is locked by process {self._holder()}") from None
            raise StoreError(f"cannot open the store at {self.path}: {' '.join(str(e).split())}") from None
        (self.path / self.PID_FILE).write_text(str(os.getpid()))

    # A build that is writing compacts and deletes table files: a reader opening (or reading) at
    # that moment can find a file gone. Opening again sees the files that replaced it.
    _SNAPSHOT_TRIES = 6

    def _open_snapshot(self) -> ox.Store:
        for attempt in range(self._SNAPSHOT_TRIES):
            try:
                return ox.Store.read_only(str(self.path))
            except (OSError, RuntimeError) as e:
                if attempt + 1 == self._SNAPSHOT_TRIES or not _file_vanished(e):
                    raise StoreError(f"cannot open the store at {self.path}: {e}") from None
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    def _holder(self) -> str:
        try:
            return (self.path / self.PID_FILE).read_text().strip() or "?"
        except OSError:
            return "?"

    def query(self, sparql: str, *, timeout: float | None = None, max_rows: int | None = None,
              dataset: Dataset | None = None) -> QueryResult:
        # Oxigraph's query interface parses with the query grammar only, so it cannot run an
        # update: the grammar check is needed only to name the refusal.
        return self._retrying(lambda: self._query(sparql, max_rows, dataset))

    def _retrying(self, run: Callable[[], _T]) -> _T:
        """`run`, again on a fresh snapshot when a build's compaction removed a file under it."""
        for attempt in range(self._SNAPSHOT_TRIES):
            try:
                return run()
            except StoreError as e:
                if not (self.read_only and _file_vanished(e)) or attempt + 1 == self._SNAPSHOT_TRIES:
                    raise
                self._db = self._open_snapshot()
        raise AssertionError("unreachable")

    def query_results(self, sparql: str, fmt: str, *, max_rows: int | None = None,
                      dataset: Dataset | None = None) -> bytes | None:
        """A SELECT or ASK result written by Oxigraph itself in one of `RESULT_FORMATS` (no rdflib
        terms are made: the server's hot path); None for a CONSTRUCT or DESCRIBE, which `query` answers.
        The rows are the same as `query`'s, and so are the errors and the `max_rows` refusal."""
        return self._retrying(lambda: self._query_results(sparql, RESULT_FORMATS[fmt], max_rows, dataset))

    def _query_results(self, sparql: str, fmt: ox.QueryResultsFormat, max_rows: int | None,
                       dataset: Dataset | None) -> bytes | None:
        result = self._execute(sparql, dataset)
        try:
            if isinstance(result, ox.QueryBoolean):
                return result.serialize(format=fmt)
            if not isinstance(result, ox.QuerySolutions):
                return None
            if max_rows is None:
                return result.serialize(format=fmt)
            # TSV holds one row a line (line breaks in values are escaped), so counting lines as
            # Oxigraph writes them stops a result one row past the cap, as `query` does; the rows
            # are then rewritten in the format asked for (a small cost beside running the query).
            counted = _LineCountingWriter(max_rows + 1)  # the header line, then the rows
            result.serialize(counted, format=ox.QueryResultsFormat.TSV)
            tsv = counted.getvalue()
            if fmt == ox.QueryResultsFormat.TSV:
                return tsv
            return ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV).serialize(format=fmt)
        except _TooManyLines:
            raise ResultTooLarge(max_rows or 0) from None
        except OSError as e:
            raise StoreError(f"query failed: {e}") from None

    def _execute(self, sparql: str, dataset: Dataset | None) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        # None: Oxigraph's own default (the store's default graph, all named graphs)
        default_graph: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None = None
        named_graphs: list[ox.NamedNode | ox.BlankNode] | None = None
        if dataset is not None and dataset.default:
            default_graph = [_graph_name(g) for g in dataset.default]
        if dataset is not None and dataset.named:
            named_graphs = [_named_node(g) for g in dataset.named]
        try:
            # The store's default graph is the knowledge graph: FROM and FROM NAMED, when given,
            # replace it as SPARQL says.
            return self._db.query(sparql, prefixes=PREFIXES, default_graph=default_graph,
                                  named_graphs=named_graphs)
        except SyntaxError as e:
            if is_update(sparql):
                raise UpdateRefused(UPDATE_REFUSED) from None
            raise syntax_error(str(e), sparql) from None
        except OSError as e:
            raise StoreError(f"query failed: {e}") from None

    def _query(self, sparql: str, max_rows: int | None = None, dataset: Dataset | None = None) -> QueryResult:
        result = self._execute(sparql, dataset)
        try:  # results stream lazily: errors can surface while reading them
            if isinstance(result, ox.QueryBoolean):
                return QueryResult("ask", boolean=bool(result))
            # Results stream: a cap stops reading (and converting) one row past it.
            stream = result if max_rows is None else itertools.islice(result, max_rows + 1)
            if isinstance(result, ox.QuerySolutions):
                names = [v.value for v in result.variables]
                rows = [tuple(to_rdflib(sol[i]) for i in range(len(names))) for sol in stream]
                _check_size(len(rows), max_rows)
                return QueryResult("select", vars=names, rows=rows)
            triples: list[Triple] = [(to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object))
                                     for t in stream]
            _check_size(len(triples), max_rows)
            return QueryResult("graph", triples=triples)
        except OSError as e:
            raise StoreError(f"query failed: {e}") from None

    def update(self, sparql: str) -> None:
        self._writable()
        self._described.clear()  # an update may delete descriptions this writer thinks it wrote
        try:
            self._db.update(sparql, prefixes=PREFIXES)
        except SyntaxError as e:
            raise syntax_error(str(e), sparql) from None
        except OSError as e:
            raise StoreError(f"update failed: {e}") from None

    def replace_graph(self, graph: str, triples: Iterable[Triple]) -> None:
        self._writable()
        if graph == KNOWLEDGE_GRAPH:
            self._update(f"DROP SILENT DEFAULT ; INSERT DATA {{ {''.join(_statements(triples))} }}", graph)
            return
        g = _named_node(graph)
        if self._db.contains_named_graph(g):
            self._replace(graph, list(triples), [])
            return
        quads = _oxigraph_quads(g, triples)
        try:
            # `extend` is one transaction too; `add_graph` keeps an empty article graph visible.
            self._db.extend(quads) if quads else self._db.add_graph(g)
        except OSError as e:
            raise StoreError(f"cannot write graph {graph}: {e}") from None
        self._count(len(quads))

    def merge_graph(self, graph: str, triples: Iterable[Triple]) -> None:
        self._writable()
        quads = _oxigraph_quads(_graph_name(graph), triples)
        try:
            self._db.extend(quads)
        except OSError as e:
            raise StoreError(f"cannot write graph {graph}: {e}") from None
        self._count(len(quads))

    def write_articles(self, articles: Sequence[ArticleGraph]) -> None:
        """Write a batch of articles.

        Articles the store does not hold yet go through Oxigraph's bulk loader in one call: three
        times faster than a transaction, and a batch far under the loader's chunk size (a million
        quads) is ingested in one step. Articles the store holds are replaced one transaction each.
        """
        self._writable()
        try:
            self._write_articles(articles)
        except BaseException:
            self._described.clear()  # what failed must not count as written
            raise

    def _write_articles(self, articles: Sequence[ArticleGraph]) -> None:
        fresh: list[str] = []
        for article in articles:
            g = _named_node(article.iri)
            if article.replaces or self._db.contains_named_graph(g):
                self._replace(article.iri, article.triples, article.shared, article.replaces)
                continue
            # Each fact goes to the article's graph and to the default graph (the knowledge graph):
            # its terms are written out once for both.
            t = term_text
            stated = [f"{t(s)} {t(p)} {t(o)}" for s, p, o in article.facts]
            in_article = f" <{article.iri}> .\n"
            fresh += [line + in_article for line in stated]
            fresh += [line + " .\n" for line in stated]
            fresh += _statements(article.reported, article.iri)
            fresh += _statements(article.evidence, article.iri)
            fresh += _statements(self._not_yet_described(article.descriptions))
            if not article.facts and not article.evidence and not article.reported:
                self._db.add_graph(g)
        if fresh:
            self._bulk_load(fresh, f"cannot write {len(articles)} articles")

    def _bulk_load(self, lines: list[str], failure: str) -> None:
        try:
            self._db.bulk_load("".join(lines).encode("utf-8", "surrogatepass"), format=ox.RdfFormat.N_QUADS)
        except OSError as e:
            raise StoreError(f"{failure}: {e}") from None
        except (ValueError, SyntaxError) as e:  # a term the store cannot hold (a lone surrogate, a bad IRI)
            raise StoreRefused(f"{failure}: {' '.join(str(e).split())[:300]}") from None

    def prune_entities(self) -> None:
        self._described.clear()
        self._update(prune_entities_update(named=False), KNOWLEDGE_GRAPH)

    def _not_yet_described(self, triples: list[Triple]) -> list[Triple]:
        """Entity descriptions not yet written by this writer (the same country is described by
        most articles; skipping repeats saves converting and storing them again)."""
        seen = self._described
        if len(seen) > _CACHE_MAX:
            seen.clear()
        new = [t for t in triples if t not in seen]
        seen.update(new)
        return new

    def _replace(self, graph: str, triples: list[Triple], shared: list[Triple], earlier: Sequence[str] = ()) -> None:
        # One update request is one transaction in Oxigraph: the old graph and the new one are
        # never both visible, and a crash leaves one of them whole. The old version's facts leave
        # the knowledge graph in the same transaction, and so do the descriptions of entities only
        # the old version mentioned (a kill -9 after it leaves no orphan description); what the
        # new version mentions stays. The graphs of earlier versions of the same file (a changed
        # file is a new article) go too.
        body = "".join(_statements(triples))
        extra = "".join(_statements(shared))
        keep = {str(s) for s, p, _ in triples if p == KG.mentionedIn}
        gone = [graph, *earlier]
        retract = "".join(retract_facts(g, named=False, dropped=gone) for g in gone)
        prune = "".join(f"{orphans_of(g, keep, named=False, dropped=gone)} ;\n" for g in gone)
        drops = " ; ".join(f"DROP SILENT GRAPH <{g}>" for g in gone)
        self._update(f"{retract}{prune}{drops} ; INSERT DATA {{ GRAPH <{graph}> {{ {body} }} {extra} }}", graph)
        self._described.clear()  # descriptions may have gone: write them again when named again
        self._count(len(triples) + len(shared))

    def _update(self, text: str, graph: str) -> None:
        try:
            self._db.update(text)
        except OSError as e:
            raise StoreError(f"cannot write graph {graph}: {e}") from None

    def _count(self, written: int) -> None:
        self._unflushed += written
        if self._unflushed >= self.FLUSH_EVERY:
            self._db.flush()
            self._unflushed = 0

    def load_quads(self, quads: Iterable[Quad]) -> int:
        """Add quads, each graph replaced as a whole and the knowledge graph merged.

        Graphs the store does not hold yet stream through Oxigraph's bulk
        loader (several times faster than transactions, but not atomic: an interrupted load can
        leave part of a new graph, which a second load of the same file replaces). Graphs it
        already holds are collected and replaced one transaction each, so their old content never
        mixes with the new. The knowledge graph is merged last, after replaced articles took their
        old facts out of it.
        """
        self._writable()
        existing: dict[str, bool] = {}
        shared: list[Triple] = []
        replaced: dict[str, list[Triple]] = {}
        count = 0
        chunk: list[str] = []
        t = term_text
        graph: object = None
        name, end, held = "", "", False
        for s, p, o, g in quads:
            count += 1
            if g is not graph:  # quads come grouped by graph: look each one up once
                graph, name = g, str(g)
                end = f" <{name}> .\n"
                held = existing.get(name)  # type: ignore[assignment]
                if held is None:
                    held = existing[name] = self._db.contains_named_graph(_named_node(name))
            if name == KNOWLEDGE_GRAPH:
                shared.append((s, p, o))
                continue
            if held:
                replaced.setdefault(name, []).append((s, p, o))
                continue
            chunk.append(f"{t(s)} {t(p)} {t(o)}{end}")
            if len(chunk) >= self.LOAD_CHUNK:
                self._bulk_load(chunk, "load failed")
                chunk = []
        if chunk:
            self._bulk_load(chunk, "load failed")
        for name, triples in replaced.items():
            self.replace_graph(name, triples)
        for start in range(0, len(shared), self.LOAD_CHUNK):
            self._bulk_load(_statements(shared[start:start + self.LOAD_CHUNK]), "load failed")
        if replaced:  # a replaced graph may have held the last mention of an entity
            self.prune_entities()
        return count

    def drop_graph(self, graph: str) -> None:
        self._writable()
        self._described.clear()
        if graph == KNOWLEDGE_GRAPH:
            self._update("DROP SILENT DEFAULT", graph)
            return
        # One request: the article's facts and the descriptions only it needed go with its graph.
        self._update(f"{retract_facts(graph, named=False)}{orphans_of(graph, named=False)} ;\n"
                     f"DROP SILENT GRAPH <{graph}>", graph)

    def quads(self) -> Iterator[Quad]:
        """Every quad, the default graph's under the knowledge graph's name (as a server holds it)."""
        knowledge = URIRef(KNOWLEDGE_GRAPH)
        for q in self._db.quads_for_pattern(None, None, None, None):
            graph = knowledge if isinstance(q.graph_name, ox.DefaultGraph) else to_rdflib(q.graph_name)
            yield (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), graph)

    def dump(self, out: IO[bytes], mime: str) -> None:
        self._db.dump(out, format=ox.RdfFormat.from_media_type(mime))

    def close(self) -> None:
        db = getattr(self, "_db", None)
        if db is None:
            return
        if not self.read_only:
            db.flush()
            try:
                (self.path / self.PID_FILE).unlink()
            except OSError:
                pass
        del self._db, db

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"the store at {self.path} is open read-only")


# kg's names of the W3C result formats (as in kg.results) and Oxigraph's writers for them.
RESULT_FORMATS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                  "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}


class _TooManyLines(Exception):
    pass


class _LineCountingWriter(io.BytesIO):
    """A binary output for Oxigraph's writers that stops them (by raising `_TooManyLines`) once
    more than `most` lines are written."""

    def __init__(self, most: int) -> None:
        super().__init__()
        self.most = most
        self.lines = 0

    def write(self, chunk: Buffer, /) -> int:
        data = bytes(chunk)
        self.lines += data.count(b"\n")
        if self.lines > self.most:
            raise _TooManyLines
        return super().write(data)


def _check_size(count: int, max_rows: int | None) -> None:
    if max_rows is not None and count > max_rows:
        raise ResultTooLarge(max_rows)


class StoreRefused(StoreError, ValueError):
    """The store refused a term it cannot hold; a ValueError too, as callers handled before."""


def _file_vanished(error: BaseException) -> bool:
    text = str(error)
    return "No such file" in text or "Corruption" in text


def default_location() -> str:
    return os.environ.get("KG_STORE") or DEFAULT_STORE


def open_store(location: str | None = None, *, read_only: bool = False) -> Store:
    """Open a store by folder path or SPARQL endpoint URL (default `$KG_STORE` or `./.kg`)."""
    location = location or default_location()
    if re.match(r"(?i)https?://", location):
        from kg.endpoint import EndpointStore  # only when a server is used

        return EndpointStore(location)
    return OxigraphStore(location, read_only=read_only)
