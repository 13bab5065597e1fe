"""The seed articles built into a real Virtuoso give the same answers as the embedded store:
the same quads, saved queries, validation report, drawing and explanations."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import _virtuoso
import pytest

from kg import saved
from kg.build import build_paths
from kg.cli import main
from kg.endpoint import EndpointStore
from kg.store import open_store

pytestmark = pytest.mark.virtuoso

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
CORE_QUERIES = ("officials", "officials-who-met-counterparts", "dialogues", "treaties", "policies")
# Example values for saved queries whose parameters are required.
PARAMS = {"meetings-of": ["name=Leon Panetta"], "officials-of-country": ["country=New Zealand"]}


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """(embedded store folder, endpoint URL), both built from the seeds."""
    server = _virtuoso.shared()
    endpoint = EndpointStore(server.sparql)
    for graph in endpoint.graphs():
        endpoint.drop_graph(graph)
    embedded = str(tmp_path_factory.mktemp("parity") / "kg")
    for location in (embedded, server.sparql):
        report = build_paths(location, [str(SEEDS)])
        assert report.built == len(list(SEEDS.glob("*.txt"))) and not report.failed
    return embedded, server.sparql


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_build_pushes_the_same_quads(stores: tuple[str, str]) -> None:
    embedded, url = stores
    with open_store(embedded, read_only=True) as local:
        expected = set(local.quads())
    got = set(EndpointStore(url).quads())
    assert expected and got == expected


def test_a_rebuild_into_the_endpoint_finds_every_article_unchanged(stores: tuple[str, str]) -> None:
    report = build_paths(stores[1], [str(SEEDS)])
    assert report.built == 0 and report.unchanged == len(list(SEEDS.glob("*.txt")))


@pytest.mark.parametrize("name", sorted(n for n, q in saved.all_queries().items() if q.builtin))
def test_saved_queries_give_the_same_rows(stores: tuple[str, str], capsys: pytest.CaptureFixture[str], name: str) -> None:
    params = [x for p in PARAMS.get(name, []) for x in ("--param", p)]
    results = []
    for store in stores:
        code, out, err = run(capsys, "query", "--store", store, "--saved", name, "--format", "tsv", *params)
        assert code == 0, err
        header, *rows = out.splitlines()
        results.append((header, sorted(rows)))
    assert results[0] == results[1]
    if name in CORE_QUERIES or name in PARAMS:
        assert results[0][1], f"{name} found nothing in the seeds"


def _virtuoso_misorders(name: str) -> bool:
    """Virtuoso 7 sorts a MAX() result from a sub-select by its internal id, not by its text:
    such a query must order by STR(?var) to give the same order everywhere (see the README)."""
    text = saved.get(name).text
    order = re.search(r"ORDER BY (.*)", text)
    aggregated = set(re.findall(r"\(MAX\(\?\w+\) AS \?(\w+)\)", text))
    return bool(order and any(re.search(rf"(?<![\w(])\?{v}\b", order.group(1)) for v in aggregated))


@pytest.mark.parametrize("name", sorted(n for n, q in saved.all_queries().items() if q.builtin))
def test_ordered_results_keep_their_order(stores: tuple[str, str], capsys: pytest.CaptureFixture[str], name: str) -> None:
    if _virtuoso_misorders(name):
        pytest.xfail("orders by a MAX() result without STR(): Virtuoso 7 sorts those by internal id")
    params = [x for p in PARAMS.get(name, []) for x in ("--param", p)]
    # Rows that tie on every ORDER BY key may come in any order: compare the keys' sequence.
    order = re.search(r"ORDER BY (.*)", saved.get(name).text)
    keys = re.findall(r"\?(\w+)", order.group(1)) if order else []
    sequences = []
    for store in stores:
        out = run(capsys, "query", "--store", store, "--saved", name, "--format", "csv", *params)[1]
        rows = list(csv.DictReader(io.StringIO(out)))
        shown = [k for k in keys if rows and k in rows[0]]
        sequences.append([tuple(row[k] for k in shown) for row in rows])
    assert sequences[0] == sequences[1]


def test_validate_gives_the_same_report(stores: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    local, remote = (run(capsys, "validate", "--store", s) for s in stores)
    assert local[0] == remote[0]
    assert local[1] == remote[1]


def test_export_draws_the_same_graph(stores: tuple[str, str], capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    lines = []
    for i, store in enumerate(stores):
        code, out, err = run(capsys, "export", "--store", store, "--all", "-o", str(tmp_path / f"g{i}.dot"))
        assert code == 0, err
        lines.append(re.sub(r"wrote \S+", "wrote", out.strip()))
    assert lines[0] == lines[1] and "nodes" in lines[0]


def test_explain_gives_the_same_facts(stores: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    outputs = []
    for store in stores:
        code, out, err = run(capsys, "explain", "--store", store, "Leon Panetta")
        assert code == 0, err
        outputs.append(sorted(out.splitlines()))
    assert outputs[0] == outputs[1] and outputs[0]
