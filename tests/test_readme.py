"""Every command block of the README runs as printed, against the seed articles: commands exit 0,
transcripts print what the README shows, and the shell session and the bad-input sample happen
as described. A new block must be runnable here (or named below as one that cannot be)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
SERVER_URL = "http://localhost:8890/sparql"
KG_SERVE_URL = "http://127.0.0.1:7878"

pytestmark = pytest.mark.slow

# Blocks that cannot run inside the test suite: they set up the machine and run the suite itself,
# or install kg from its wheel (tests/test_wheel.py builds the wheel and installs it in a fresh
# virtualenv).
NOT_RUN = {("make run     # create .venv, install, build the graph from seeds/ into ./.kg, open the shell\n"
            "make test    # the same set-up (plus the test servers), then the whole test suite"),
           ("make wheel\n"
            "pipx install dist/kg-0.1.0-py3-none-any.whl\n"
            "pip install dist/kg-0.1.0-py3-none-any.whl")}


def command_blocks() -> list[str]:
    """The README's indented blocks, in order."""
    blocks: list[list[str]] = []
    current: list[str] = []
    previous_blank = True
    for line in README.read_text(encoding="utf-8").split("\n"):
        if line.startswith("    ") and (current or previous_blank):
            current.append(line[4:])
        elif current and not line.strip():
            current.append("")
        elif current:
            blocks.append(current)
            current = []
        previous_blank = not line.strip()
    if current:
        blocks.append(current)
    return ["\n".join(b).strip("\n") for b in blocks]


BLOCKS = command_blocks()


def kind(block: str) -> str:
    first = block.splitlines()[0]
    if block in NOT_RUN:
        return "not-run"
    if first.startswith("$ "):
        return "transcript"
    if first.startswith("kg> "):
        return "shell-session"
    if first.startswith("kg: "):
        return "bad-input"
    if first.startswith("kg/"):
        return "layout"
    if re.match(r"kg \w+ \[", first):
        return "synopsis"
    if "dask scheduler" in block:
        return "dask-cluster"
    if SERVER_URL in block:
        return "server"
    if KG_SERVE_URL in block:
        return "kg-serve"
    return "commands"


def env(extra: dict[str, str] | None = None) -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    out["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{out.get('PATH', '')}"
    out["PYTHONPATH"] = str(ROOT)
    out["NO_COLOR"] = "1"
    return {**out, **(extra or {})}


def bash(script: str, cwd: Path, extra: dict[str, str] | None = None, stdin: str | None = None,
         ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=cwd, env=env(extra), input=stdin,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding `seeds` and `.kg` built from them, as after `make run` (and the saved
    queries and gold files the README's commands read)."""
    folder = tmp_path_factory.mktemp("readme-built")
    shutil.copytree(ROOT / "seeds", folder / "seeds")
    shutil.copytree(ROOT / "queries", folder / "queries")
    shutil.copytree(ROOT / "tests" / "data" / "gold", folder / "tests" / "data" / "gold")
    result = bash("kg build seeds", folder)
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture
def workdir(built: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    shutil.copytree(built, folder, symlinks=True)
    return folder


def same(shown: str, printed: str) -> bool:
    """A line the README shows against the line printed: times may differ, and a line shown ending
    in '...' stands for any line that starts the same way."""
    def norm(text: str) -> str:
        return re.sub(r"in \d+(\.\d+)? s\b|· \d+(\.\d+)? s\b", "in N s", text.rstrip())

    shown, printed = norm(shown), norm(printed)
    if shown.endswith("..."):
        return printed.startswith(shown[:-3])
    return shown == printed


def test_every_block_is_classified_and_only_the_set_up_is_not_run() -> None:
    kinds = [kind(b) for b in BLOCKS]
    assert kinds.count("not-run") == len(NOT_RUN) == 2
    assert {"transcript", "shell-session", "bad-input", "layout", "synopsis", "server", "kg-serve",
            "commands"} <= set(kinds)


@pytest.mark.parametrize("block", [b for b in BLOCKS if kind(b) == "commands"], ids=lambda b: b.splitlines()[0][:40])
def test_command_block_runs(block: str, workdir: Path) -> None:
    result = bash(block, workdir)
    assert result.returncode == 0, f"{block}\n--- stderr:\n{result.stderr}"
    assert "Traceback" not in result.stderr
    drawn = re.findall(r"-o (\S+\.(?:png|svg|pdf|dot))", block)
    for name in drawn:
        assert (workdir / name).stat().st_size > 0


@pytest.mark.parametrize("block", [b for b in BLOCKS if kind(b) == "synopsis"], ids=lambda b: b.splitlines()[0][:40])
def test_synopsis_names_real_commands_and_options(block: str, workdir: Path) -> None:
    for line in block.splitlines():
        words = line.split()
        for command in [w for w in re.findall(r"\bkg (\w+)", line) if w != "kg"]:
            result = bash(f"kg {command} --help", workdir)
            assert result.returncode == 0, f"{line}: {result.stderr}"
            for option in {w.strip("[]()|.") for w in words if w.lstrip("[(").startswith("--")}:
                option = option.split("=")[0].rstrip(",")
                if command == words[1]:
                    assert option in result.stdout, f"{line}: kg {command} has no {option}"


def test_transcript_prints_what_the_readme_shows(tmp_path: Path) -> None:
    (block,) = [b for b in BLOCKS if kind(b) == "transcript"]
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    steps: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        else:
            steps[-1][1].append(line)
    for command, shown in steps:
        result = bash(command, tmp_path)
        assert result.returncode == 0, result.stderr
        printed = (result.stdout + result.stderr).splitlines()
        shown = [s for s in shown if s != "..."]
        assert len(printed) >= len(shown)
        for want, got in zip(shown, printed, strict=False):
            assert same(want, got), f"{command}:\n  README: {want}\n  kg:     {got}"


def test_shell_session_prints_what_the_readme_shows(workdir: Path) -> None:
    (block,) = [b for b in BLOCKS if kind(b) == "shell-session"]
    typed, shown = [], []
    for line in block.splitlines():
        if line.startswith("kg> "):
            typed.append(line[4:])
        elif line.startswith("... "):
            typed[-1] += "\n" + line[4:]
        else:
            shown.append(line)
    result = bash("kg shell", workdir, stdin="\n".join(typed) + "\n")
    assert result.returncode == 0, result.stderr
    printed = result.stdout.splitlines()
    start = printed.index(shown[0])
    for want, got in zip(shown, printed[start:], strict=False):
        assert same(want, got), f"README: {want}\nkg:     {got}"
    assert "Leon Panetta" in result.stdout and "Bede Corry" in result.stdout
    assert (workdir / "panetta.png").stat().st_size > 0


def test_bad_input_sample_is_what_a_build_of_such_files_prints(tmp_path: Path) -> None:
    (block,) = [b for b in BLOCKS if kind(b) == "bad-input"]
    news = tmp_path / "news"
    news.mkdir()
    (news / "empty.txt").write_bytes(b"")
    (news / "scan.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    (news / "menu.html").write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    shutil.copy(ROOT / "seeds" / sorted(os.listdir(ROOT / "seeds"))[0], news / "good.txt")
    result = bash("kg build news news/scan.pdf news/missing.txt", tmp_path)  # a PDF only when named
    assert result.returncode == 1
    errors = result.stderr.splitlines()
    for line in block.splitlines():
        if re.match(r"kg: news/\S+: ", line):
            assert line in errors, f"{line!r} not in {errors}"
    assert errors[-1] == "kg: 4 of 5 articles failed (listed above)"
    assert re.match(r"built 1 article \(4 failed\); .* into \.kg in \d+\.\d s$", result.stdout.strip())


def test_layout_names_files_that_exist() -> None:
    (block,) = [b for b in BLOCKS if kind(b) == "layout"]
    for line in block.splitlines():
        for path in re.findall(r"(?:^|, )((?:kg|ontology|queries|seeds|benchmarks)/[\w./]*)", line.split("  ")[0]):
            assert (ROOT / path).exists(), path


@pytest.mark.virtuoso
@pytest.mark.parametrize("block", [b for b in BLOCKS if kind(b) == "server"], ids=lambda b: b.splitlines()[0][:40])
def test_server_block_runs_against_a_real_virtuoso(block: str, workdir: Path) -> None:
    import _virtuoso

    from kg.endpoint import EndpointStore

    server = _virtuoso.shared()
    endpoint = EndpointStore(server.sparql)
    for graph in endpoint.graphs():
        endpoint.drop_graph(graph)
    result = bash(block.replace(SERVER_URL, server.sparql), workdir)
    assert result.returncode == 0, f"{block}\n--- stderr:\n{result.stderr}"
    assert "Traceback" not in result.stderr
    assert endpoint.query("ASK { ?o a kg:Official }").boolean


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("block", [b for b in BLOCKS if kind(b) == "kg-serve"], ids=lambda b: b.splitlines()[0][:40])
def test_kg_serve_block_runs_against_kg_serve(block: str, workdir: Path) -> None:
    """Blocks that talk to `kg serve` on its default port run against one serving the seeds on a
    free port; a block that starts the server itself starts it there, waits for it and stops it."""
    from _serve import serving

    if "kg serve" in block:
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        script = re.sub(r"^kg serve (.*)&$", lambda m: (
            f"kg serve {m.group(1)}--port {port} >/dev/null 2>&1 & server=$!\n"
            "trap 'kill $server; wait $server || true' EXIT\n"
            f"until curl -s -o /dev/null {url}/sparql; do sleep 0.2; done"), block, flags=re.M)
        result = bash(script.replace(KG_SERVE_URL, url), workdir)
        if "update=" in block:
            from kg.store import open_store

            with open_store(str(workdir / ".kg"), read_only=True) as store:
                assert store.query('ASK { GRAPH ?g { country:NZL rdfs:comment "checked" } }').boolean
    else:
        with serving(workdir / ".kg") as url:
            result = bash(block.replace(KG_SERVE_URL, url), workdir)
    assert result.returncode == 0, f"{block}\n--- stderr:\n{result.stderr}"
    assert result.stdout.strip() or "update" in block  # an update answers 204, with no body
    assert "Traceback" not in result.stderr and "error" not in result.stdout.lower()


@pytest.mark.virtuoso
def test_dask_cluster_block_builds_on_a_real_cluster_into_a_real_virtuoso(workdir: Path) -> None:
    """The scheduler and the workers run in the background on free ports (the README starts each
    in a terminal of its own), and `kg build` extracts on them into a real Virtuoso."""
    import _virtuoso

    from kg.endpoint import EndpointStore

    (block,) = [b for b in BLOCKS if kind(b) == "dask-cluster"]
    server = _virtuoso.shared()
    endpoint = EndpointStore(server.sparql)
    for graph in endpoint.graphs():
        endpoint.drop_graph(graph)
    port = _free_port()
    script = block.replace("8786", str(port)).replace(SERVER_URL, server.sparql)
    script = re.sub(r"^(dask scheduler .*)$", r"\1 --dashboard-address 127.0.0.1:0 >/dev/null 2>&1 & scheduler=$!",
                    script, flags=re.M)
    script = re.sub(r"^(dask worker .*)$", r"\1 --no-dashboard >/dev/null 2>&1 & workers=$!\n"
                    "trap 'kill $workers $scheduler; wait || true' EXIT", script, flags=re.M)
    result = bash(script, workdir)
    assert result.returncode == 0, f"{script}\n--- stderr:\n{result.stderr}"
    assert "built 2 articles" in result.stdout
    assert endpoint.query("ASK { ?o a kg:Official }").boolean
