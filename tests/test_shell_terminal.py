"""`kg shell` in a real pseudo-terminal, on a store built from the seed articles."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def seeds_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed articles built once for this module (spaCy takes a few seconds)."""
    store = tmp_path_factory.mktemp("seeds") / "store"
    proc = subprocess.run(
        [sys.executable, "-m", "kg", "build", "--quiet", "--store", str(store), str(ROOT / "seeds")],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    return store


def spawn_shell(store: Path, tmp_path: Path, *args: str) -> pexpect.spawn:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TERM": "xterm",
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "EDITOR": "true",
        # pexpect does not answer cursor-position requests; without this prompt_toolkit waits for them.
        "PROMPT_TOOLKIT_NO_CPR": "1",
    }
    env.pop("NO_COLOR", None)
    child = pexpect.spawn(
        sys.executable, ["-m", "kg", "shell", "--store", str(store), *args],
        env=env, cwd=str(ROOT), dimensions=(40, 150), encoding="utf-8", timeout=60,
    )
    child.expect("kg>")
    return child


def test_typing_a_multi_line_query_with_tab_completion(seeds_store, tmp_path):
    child = spawn_shell(seeds_store, tmp_path, "--no-color")
    try:
        child.send("SELECT ?o ?c WHERE {\r")
        child.expect(r"\.\.\.>")  # Enter did not run the unfinished query: a continuation line
        child.send("  ?o a kg:Off")
        child.expect("kg:Official")  # the menu offers the class once the metadata has loaded
        child.send("\t")
        child.send(" ;\r")
        child.expect(r"\.\.\.>")  # `;` does not end a SPARQL query
        child.send("kg:represents ?c }\r")
        child.expect(r"(\d+) rows? · \d+\.\d{3} s")
        rows = int(child.match.group(1))
        screen = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", child.before)  # the text, without terminal controls
        assert rows >= 2
        for official, country in (("Leon Panetta", "United States"), ("Jonathan Coleman", "New Zealand")):
            assert re.search(rf"{official}\s+\| {country}", screen), screen
        assert re.search(r"\no\s+\| c\r?\n", screen)
        # Between prompts the terminal is in cooked mode, where Ctrl-D is not a key: wait for the prompt.
        child.expect("kg>")
        child.sendcontrol("d")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0


def test_syntax_error_then_commands_then_quit(seeds_store, tmp_path):
    child = spawn_shell(seeds_store, tmp_path)
    try:
        child.send("SELECT ?x WHERE { ?x foaf:name ?n }\r")
        child.expect("undeclared prefix 'foaf:'")
        child.expect(r"\^")
        child.expect("kg>")
        child.send("\\stats\r")
        child.expect("kg:Official")
        child.expect(r"per article")
        child.expect("kg>")
        child.send("\\q\r")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0


@pytest.mark.parametrize("no_color", [False, True])
def test_own_colours_follow_no_color(seeds_store, tmp_path, monkeypatch, no_color):
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    child = spawn_shell(seeds_store, tmp_path) if not no_color else _spawn_keeping_env(seeds_store, tmp_path)
    try:
        child.send("SELECT ?n WHERE { ?c kg:isoCode ?n } ORDER BY ?n LIMIT 1\r")
        child.expect(r"1 row")
        bold_header = re.search(r"\x1b\[1mn *\x1b\[0m", child.before) is not None
        # Between prompts the terminal is in cooked mode, where Ctrl-D is not a key: wait for the prompt.
        child.expect("kg>")
        child.sendcontrol("d")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert bold_header is not no_color


def _spawn_keeping_env(store: Path, tmp_path: Path) -> pexpect.spawn:
    """spawn_shell drops NO_COLOR; this keeps it (set by the test)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1",
           "XDG_STATE_HOME": str(tmp_path / "state"), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    child = pexpect.spawn(sys.executable, ["-m", "kg", "shell", "--store", str(store)], env=env, cwd=str(ROOT),
                          dimensions=(40, 150), encoding="utf-8", timeout=60)
    child.expect("kg>")
    return child


def test_ctrl_r_then_enter_runs_the_entry_found(seeds_store, tmp_path):
    child = spawn_shell(seeds_store, tmp_path, "--no-color")
    try:
        child.send("SELECT ?who WHERE { ?t kg:participant ?who } ORDER BY ?who\r")
        child.expect(r"(\d+) rows? · ")
        first = child.match.group(1)
        child.send("ASK { ?s ?p ?o }\r")
        child.expect("true")
        child.expect("kg>")
        child.send("\x12")  # Ctrl-R
        child.send("kg:partic")
        child.expect("ORDER BY")  # the entry found is shown
        child.send("\r")  # takes the entry found and runs it
        child.expect(r"(\d+) rows? · ")
        assert child.match.group(1) == first
    finally:
        child.sendeof()
        child.close()


def _screen(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)


def test_a_wide_short_result_is_printed_without_a_pager_and_keeps_typed_ahead_input(seeds_store, tmp_path):
    child = spawn_shell(seeds_store, tmp_path, "--no-color")
    wide = "w" * 400
    try:
        # a one-row result printed as Turtle: one line far wider than the terminal, a few lines tall
        child.send(f'CONSTRUCT {{ kgid:x rdfs:comment "{wide}" }} WHERE {{}}\r')
        child.send("ASK { ?o a kg:Official }\r")  # typed while the first query runs
        child.expect(r"1 triple")
        assert f'rdfs:comment "{wide}" .' in _screen(child.before)  # whole, on the screen
        child.expect("true", timeout=30)  # the typed-ahead query ran
        child.expect("kg>")
        child.sendcontrol("d")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)


def test_a_tall_result_never_swallows_typed_ahead_input(seeds_store, tmp_path):
    child = spawn_shell(seeds_store, tmp_path, "--no-color")
    try:
        # taller than the 40-line terminal: it would go to the pager, which would read what is typed next
        child.send("SELECT ?n WHERE { VALUES ?n { " + " ".join(str(i) for i in range(80)) + " } }\r")
        child.send("ASK { ?o a kg:Official }\r")
        child.expect(r"80 rows")
        child.expect("true", timeout=30)
        child.expect("kg>")
        child.sendcontrol("d")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)


def test_ctrl_x_ctrl_e_brings_the_edited_query_back_for_review_as_backslash_e_does(seeds_store, tmp_path):
    editor = tmp_path / "editor.sh"
    editor.write_text("#!/bin/sh\nsed -i 's/kg:Country/kg:Official/' \"$1\"\n")
    editor.chmod(0o755)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1",
           "XDG_STATE_HOME": str(tmp_path / "state"), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "EDITOR": str(editor), "VISUAL": str(editor)}
    child = pexpect.spawn(sys.executable, ["-m", "kg", "shell", "--store", str(seeds_store), "--no-color"], env=env,
                          cwd=str(ROOT), dimensions=(40, 150), encoding="utf-8", timeout=60)
    try:
        child.expect("kg>")
        child.send("SELECT (COUNT(*) AS ?n) WHERE { ?x a kg:Country }")
        child.sendcontrol("x")
        child.sendcontrol("e")
        child.expect("Official")  # the edited query is back at the prompt (only what changed is redrawn) ...
        with pytest.raises(pexpect.TIMEOUT):
            child.expect(r"1 row", timeout=3)  # ... and has not run
        child.send("\r")  # Enter runs it
        child.expect(r"1 row")
        assert re.search(r"\n *4\r?\n$", _screen(child.before))  # four officials in the seeds, not six countries
        child.expect("kg>")
        child.sendcontrol("d")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
