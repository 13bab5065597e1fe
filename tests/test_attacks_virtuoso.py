"""Attacks on a real Virtuoso server: the read-only guard, staging graphs left by a lost connection."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import _virtuoso
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.endpoint import STAGING_PREFIX, EndpointStore
from kg.ontology import KG, KGID

pytestmark = pytest.mark.virtuoso

ROOT = Path(__file__).resolve().parent.parent
VICTIM = "urn:kg:test:victim"
# Prefix names with characters SPARQL allows and a search of the text did not expect.
ODD_PREFIXES = ["a\u00b7b", "p\u0300", "p\u203fq", "p.q", "\u00e9t\u00e9"]


@pytest.fixture
def endpoint(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> EndpointStore:
    server = _virtuoso.shared()
    for name in ("KG_USER", "KG_PASSWORD", "KG_UPDATE_URL", "KG_GSP_URL", "KG_HTTP_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    store = EndpointStore(server.sparql)
    for graph in store.graphs():
        store.drop_graph(graph)
    store.replace_graph(VICTIM, [(URIRef("http://x/s"), RDFS.label, Literal("still here"))])
    return store


def kg(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", *args], input=stdin, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}, cwd=ROOT,
    )


def victim_holds(store: EndpointStore) -> int:
    return len(store.query(f"SELECT * WHERE {{ GRAPH <{VICTIM}> {{ ?s ?p ?o }} }}").rows)


def inserted(store: EndpointStore) -> bool:
    return bool(store.query("ASK { GRAPH ?g { <http://x/attack> ?p ?o } }").boolean)


@pytest.mark.parametrize("prefix", ODD_PREFIXES)
def test_kg_query_never_sends_an_update_to_the_server(endpoint: EndpointStore, prefix: str) -> None:
    attacks = [
        f"PREFIX {prefix}: <http://x/> INSERT DATA {{ GRAPH <{VICTIM}> {{ <http://x/attack> <http://x/p> 1 }} }}",
        f"PREFIX {prefix}: <http://x/> DROP GRAPH <{VICTIM}>",
        f"PREFIX {prefix}: <http://x/>\nCLEAR ALL",
        f"PREFIX {prefix}: <http://x/> COPY <urn:kg:nothing> TO <{VICTIM}>",
    ]
    for attack in attacks:
        done = kg("query", "--store", endpoint.location, attack)
        assert done.returncode == 2, done.stderr
        assert "SPARQL Update" in done.stderr and "Traceback" not in done.stderr
    assert victim_holds(endpoint) == 1 and not inserted(endpoint)


def test_the_read_only_shell_never_sends_an_update_to_the_server(endpoint: EndpointStore) -> None:
    script = "".join(
        f"PREFIX {p}: <http://x/> INSERT DATA {{ GRAPH <{VICTIM}> {{ <http://x/attack> <http://x/p> 1 }} }}\n\n"
        f"PREFIX {p}: <http://x/> DROP GRAPH <{VICTIM}>\n\n"
        for p in ODD_PREFIXES
    )
    done = kg("shell", "--store", endpoint.location, stdin=script)
    assert done.returncode == 2
    assert done.stderr.count("--allow-update") == 2 * len(ODD_PREFIXES), done.stderr
    assert victim_holds(endpoint) == 1 and not inserted(endpoint)


def test_a_query_naming_prefix_kg_in_a_string_still_gets_the_prefixes(endpoint: EndpointStore) -> None:
    done = kg("query", "--store", endpoint.location, "--format", "csv",
              'SELECT ?x WHERE { BIND("prefix kg: <http://elsewhere/>" AS ?x) FILTER(kg:Article = kg:Article) }')
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["x", "prefix kg: <http://elsewhere/>"]


# --- staging graphs -------------------------------------------------------------------------------


class CuttingProxy:
    """A TCP proxy in front of the server that forwards the first `allowed` connections and
    refuses every later one: the network going away in the middle of a staged upload."""

    def __init__(self, port: int, allowed: int) -> None:
        self.target = ("127.0.0.1", port)
        self.allowed = allowed
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        for _ in range(self.allowed):
            try:
                client, _addr = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()
        self.listener.close()  # later connections are refused

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
            sink.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def big_article(iri: str, size: int) -> list[tuple]:
    g = URIRef(iri)
    triples = [(g, RDF.type, KG.Article)]
    triples += [(KGID[f"thing/{i}"], RDFS.label, Literal(f"thing {i}")) for i in range(size)]
    return triples


def staging_graphs(store: EndpointStore) -> list[str]:
    rows = store.query(f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{STAGING_PREFIX}")) }}').rows
    return [str(g) for (g,) in rows]


def test_staging_graphs_left_by_a_lost_connection_are_cleaned_and_never_counted(
    endpoint: EndpointStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = _virtuoso.shared()
    article = str(KGID["article/staged"])
    proxy = CuttingProxy(server.http_port, allowed=3)
    cut = EndpointStore(f"http://127.0.0.1:{proxy.port}/sparql", graph_store_url="none", batch_size=100)
    monkeypatch.setattr("kg.endpoint._BACKOFF", 0.01)
    with pytest.raises(Exception, match="cannot reach|failed"):
        cut.replace_graph(article, big_article(article, 450))
    assert staging_graphs(endpoint), "the lost connection should have left a staging graph behind"
    # The next writer cleans up what an earlier one left.
    store = EndpointStore(server.sparql, graph_store_url="none", batch_size=100)
    store.replace_graph(article, big_article(article, 450))
    assert staging_graphs(endpoint) == []
    count = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ <{KGID['thing/1']}> ?p ?o }} }}").rows[0][0]
    assert int(count) == 1



def test_a_result_of_exactly_the_row_limit_is_whole(endpoint: EndpointStore) -> None:
    cap = _virtuoso.MAX_ROWS
    g = str(KGID["article/exact"])
    endpoint.replace_graph(g, big_article(g, cap - 1))  # cap triples in all
    result = endpoint.query(f"SELECT * WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}")
    assert len(result.rows) == cap
    endpoint.replace_graph(g, big_article(g, cap))  # one more: cut off, and said so
    with pytest.raises(Exception, match=f"cut the result off at {cap} rows"):
        endpoint.query(f"SELECT * WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}")


TALKS = """{title}

WELLINGTON, 3 March 2024 - New Zealand Foreign Minister {nz} met Japanese Foreign Minister {jp} in
Wellington on Monday. The two ministers said their countries would deepen defence co-operation.
"""


def test_a_moved_then_changed_article_on_the_server_stays_one_article(endpoint: EndpointStore, tmp_path: Path) -> None:
    from kg.build import build_paths

    old, new = tmp_path / "news", tmp_path / "moved"
    old.mkdir()
    (old / "a.txt").write_text(TALKS.format(title="Talks", nz="Winston Peters", jp="Takeshi Iwaya"))
    assert build_paths(endpoint.location, [str(old)]).built == 1
    old.rename(new)
    assert build_paths(endpoint.location, [str(new)]).moved == 1
    (new / "a.txt").write_text(TALKS.format(title="Talks", nz="Winston Peters", jp="Gen Nakatani"))
    assert build_paths(endpoint.location, [str(new)]).built == 1
    rows = endpoint.query("SELECT ?p WHERE { GRAPH ?g { ?g a kg:Article ; kg:sourcePath ?p } }").rows
    assert [str(p) for (p,) in rows] == [str(new / "a.txt")]
    assert not endpoint.query('ASK { ?o rdfs:label "Takeshi Iwaya" }').boolean
