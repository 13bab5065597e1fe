"""Saved queries return the entities they name after their label columns, so each can be drawn
(`kg export --saved`, the README's example among them) and `\\why` finds the sentences behind a
saved query's rows."""

from __future__ import annotations

import io
from pathlib import Path

import pydot
import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from kg import cli, saved
from kg.shell.repl import Shell

pytestmark = pytest.mark.slow

PARAMS = {"officials-of-country": ["-p", "country=NZL"], "meetings-of": ["-p", "name=Leon Panetta"]}


@pytest.mark.parametrize("name", sorted(name for name, q in saved.all_queries().items() if q.builtin))
def test_every_built_in_saved_query_can_be_drawn(name: str, seeds_store: Path, tmp_path: Path) -> None:
    out = tmp_path / f"{name}.dot"
    code = cli.main(["export", "--store", str(seeds_store), "--saved", name, *PARAMS.get(name, []), "-o", str(out)])
    assert code == 0
    dot = pydot.graph_from_dot_data(out.read_text(encoding="utf-8"))[0]
    labels = " ".join(str(n.get("label")) for n in dot.get_nodes() + [n for s in dot.get_subgraphs()
                                                                    for n in s.get_nodes()])
    assert "New Zealand" in labels or "Leon Panetta" in labels or "Jonathan Coleman" in labels


def test_the_readme_example_draws_new_zealands_officials(seeds_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "nz.dot"
    assert cli.main(["export", "--store", str(seeds_store), "--saved", "officials-of-country",
                     "-p", "country=NZL", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "Jonathan Coleman" in text and "Bede Corry" in text and "Leon Panetta" not in text


def test_why_after_a_saved_query_shows_its_sentences(seeds_store: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    out = io.StringIO()
    with create_pipe_input() as pipe:
        shell = Shell(str(seeds_store), interactive=True, out=out, err=out, pt_input=pipe, pt_output=DummyOutput(),
                      color=False, history=tmp_path / "history")
        pipe.send_text("\\n officials-of-country country=NZL\r\\why\r\x04")
        shell.run_interactive()
    text = out.getvalue()
    assert "run a query first" not in text
    assert "Jonathan Coleman" in text and "kg:holdsPost" in text
    assert "He was speaking in Auckland at a joint news conference" in text  # the sentence itself
