"""`kg dump` and `kg load`: graphs move between the embedded store and a real Virtuoso, both ways,
keeping their names, in every format."""

from __future__ import annotations

from pathlib import Path

import _virtuoso
import pytest
from rdflib import BNode, Dataset, Literal
from rdflib.compare import isomorphic
from rdflib.graph import Graph
from rdflib.namespace import RDF, RDFS, Namespace

from kg.cli import main
from kg.endpoint import EndpointStore
from kg.ontology import KG, KGID
from kg.store import Quad, open_store

XSD = Namespace("http://www.w3.org/2001/XMLSchema#")


def sample_quads() -> list[Quad]:
    a1, a2 = KGID["article/one"], KGID["article/two"]
    evidence = BNode()
    quads: list[Quad] = [
        (a1, RDF.type, KG.Article, a1),
        (a1, KG.contentHash, Literal("abc123"), a1),
        (KGID["official/leon-panetta"], RDF.type, KG.Official, a1),
        (KGID["official/leon-panetta"], RDFS.label, Literal("Leon Panetta"), a1),
        (KGID["official/leon-panetta"], KG.represents, KGID["country/USA"], a1),
        (KGID["dialogue/d1"], KG.date, Literal("2012-09", datatype=XSD.gYearMonth), a1),
        (evidence, RDF.subject, KGID["dialogue/d1"], a1),
        (evidence, KG.quote, Literal('Panetta said "we agree"\nin Auckland.'), a1),
        (evidence, KG.confidence, Literal("0.75", datatype=XSD.decimal), a1),
        (a2, RDF.type, KG.Article, a2),
        (KGID["country/NZL"], RDFS.label, Literal("Nouvelle-Zélande", lang="fr"), a2),
        (KGID["country/NZL"], KG.isoCode, Literal("NZL"), a2),
    ]
    return quads


def as_dataset(quads: list[Quad]) -> dict[str, Graph]:
    graphs: dict[str, Graph] = {}
    for s, p, o, g in quads:
        graphs.setdefault(str(g), Graph()).add((s, p, o))
    return graphs


def same_graphs(a: list[Quad], b: list[Quad]) -> bool:
    ga, gb = as_dataset(a), as_dataset(b)
    return ga.keys() == gb.keys() and all(isomorphic(ga[k], gb[k]) for k in ga)


@pytest.fixture
def embedded(tmp_path: Path) -> str:
    path = str(tmp_path / "kg")
    with open_store(path) as store:
        store.load_quads(sample_quads())
    return path


@pytest.fixture
def endpoint(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    server = _virtuoso.shared()
    for name in ("KG_USER", "KG_PASSWORD", "KG_UPDATE_URL", "KG_GSP_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    store = EndpointStore(server.sparql)
    for graph in store.graphs():
        store.drop_graph(graph)
    return server.sparql


def quads_of(location: str) -> list[Quad]:
    with open_store(location, read_only=True) as store:
        return list(store.quads())


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.virtuoso
@pytest.mark.parametrize("ext", ["trig", "nq", "jsonld"])
def test_embedded_to_endpoint_and_back(
    embedded: str, endpoint: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], ext: str
) -> None:
    out = tmp_path / f"dump.{ext}"
    code, _, err = run(capsys, "dump", "--store", embedded, "-o", str(out))
    assert code == 0 and f"wrote {len(sample_quads())} triples" in err
    code, _, err = run(capsys, "load", "--store", endpoint, str(out))
    assert code == 0, err
    assert "loaded 12 triples in 2 graphs" in err
    assert same_graphs(quads_of(endpoint), sample_quads())

    back = tmp_path / f"back.{ext}"
    assert run(capsys, "dump", "--store", endpoint, "-o", str(back))[0] == 0
    copy = str(tmp_path / "copy")
    assert run(capsys, "load", "--store", copy, str(back))[0] == 0
    assert same_graphs(quads_of(copy), sample_quads())


@pytest.mark.virtuoso
def test_load_replaces_each_graph_as_a_whole(endpoint: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = EndpointStore(endpoint)
    store.load_quads(sample_quads())
    a1 = KGID["article/one"]
    small = tmp_path / "one.nq"
    small.write_text(f"<{a1}> <{RDF.type}> <{KG.Article}> <{a1}> .\n")
    assert run(capsys, "load", "--store", endpoint, str(small))[0] == 0
    graphs = as_dataset(quads_of(endpoint))
    assert len(graphs[str(a1)]) == 1
    assert len(graphs[str(KGID["article/two"])]) == 3  # untouched


@pytest.mark.virtuoso
def test_dump_to_stdout_in_trig(endpoint: str, capsys: pytest.CaptureFixture[str]) -> None:
    EndpointStore(endpoint).load_quads(sample_quads())
    code, out, _ = run(capsys, "dump", "--store", endpoint)
    assert code == 0
    data = Dataset()
    data.parse(data=out, format="trig")
    loaded = [(s, p, o, g) for s, p, o, g in data.quads((None, None, None, None))]
    assert same_graphs(loaded, sample_quads())


def test_turtle_dump_merges_graphs_and_needs_graph_to_load(
    embedded: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "all.ttl"
    assert run(capsys, "dump", "--store", embedded, "-o", str(out))[0] == 0
    merged = Graph().parse(out, format="turtle")
    assert len(merged) == len(sample_quads())
    target = str(tmp_path / "target")
    code, _, err = run(capsys, "load", "--store", target, str(out))
    assert code == 2
    assert err.strip() == f"kg: {out}: 12 triples are outside any named graph; say where they go with --graph IRI"
    graph = str(KGID["article/merged"])
    assert run(capsys, "load", "--store", target, "--graph", graph, str(out))[0] == 0
    assert {str(q[3]) for q in quads_of(target)} == {graph}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("data.xyz", "", "unknown RDF format"),
        ("missing.trig", None, "no such file"),
        ("broken.trig", "<urn:g> { <urn:a> <urn:b> }\n", "not valid trig"),
        ("broken.nq", "<urn:a> <urn:b> \"unterminated .\n", "not valid nquads"),
    ],
)
def test_bad_files_are_one_line_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: str | None, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    code, out, err = run(capsys, "load", "--store", str(tmp_path / "kg"), str(path))
    assert code == 2
    assert err.startswith(f"kg: {path}: {message}") and err.count("\n") == 1
    assert not (tmp_path / "kg").exists() or not quads_of(str(tmp_path / "kg"))


@pytest.mark.parametrize(("ext", "parser", "name"), [("nt", "nt", "N-Triples"), ("rdf", "xml", "RDF/XML"),
                                                  ("xml", "xml", "RDF/XML"), ("ttl", "turtle", "Turtle")])
def test_single_graph_formats_come_from_the_extension_and_say_what_they_merge(
    embedded: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], ext: str, parser: str, name: str
) -> None:
    out = tmp_path / f"dump.{ext}"
    code, _, err = run(capsys, "dump", "--store", embedded, "-o", str(out))
    assert code == 0, err
    assert f"kg: {name} holds one graph without a name" in err and ".trig, .nq or .jsonld" in err
    merged = Graph().parse(out, format=parser)  # the file is what its name says, not TriG
    assert len(merged) == len(sample_quads())
    # and it loads back into a named graph
    target = str(tmp_path / "target")
    graph = str(KGID["article/merged"])
    assert run(capsys, "load", "--store", target, "--graph", graph, str(out))[0] == 0
    assert len(quads_of(target)) == len(sample_quads())


def test_dump_refuses_a_name_that_lies_and_an_unknown_one(
    embedded: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "dump", "--store", embedded, "--format", "trig", "-o", str(tmp_path / "x.nq"))
    assert code == 2 and err.count("\n") == 1
    assert "x.nq: the extension says N-Quads but --format says TriG" in err
    code, _, err = run(capsys, "dump", "--store", embedded, "-o", str(tmp_path / "x.txt"))
    assert code == 2 and "cannot tell the RDF format from the name" in err and "--format" in err
    assert not (tmp_path / "x.nq").exists() and not (tmp_path / "x.txt").exists()


def test_dump_never_overwrites_without_force(embedded: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "kept.trig"
    out.write_text("mine\n")
    code, _, err = run(capsys, "dump", "--store", embedded, "-o", str(out))
    assert code == 2 and err == f"kg: {out} exists (use --force to overwrite it)\n"
    assert out.read_text() == "mine\n"
    assert run(capsys, "dump", "--store", embedded, "-o", str(out), "--force")[0] == 0
    assert out.read_text() != "mine\n"


def test_dump_refuses_unwritable_files(embedded: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "dump", "--store", embedded, "-o", str(tmp_path / "no" / "such" / "dir.trig"))
    assert code == 2 and "cannot write" in err


def test_format_option_overrides_the_extension(embedded: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "dump.txt"
    assert run(capsys, "dump", "--store", embedded, "--format", "nquads", "-o", str(out))[0] == 0
    lines = [line for line in out.read_text().splitlines() if line]
    assert len(lines) == len(sample_quads()) and all(line.endswith(" .") for line in lines)
