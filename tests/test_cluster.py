"""`kg build --scheduler`: extraction on a real Dask cluster (a `dask scheduler` and two `dask worker`
processes on 127.0.0.1) writes the same N-Quads as a local build, also when a worker is killed
mid-build or the build is interrupted and run again; an unreachable scheduler is a one-line error."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
sys.path.insert(0, str(ROOT / "benchmarks"))

import corpusgen  # noqa: E402

pytestmark = pytest.mark.slow

GENERATED_ARTICLES = 10
ARTICLES = GENERATED_ARTICLES + 2  # and the two seeds


def kg_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("KG_STORE", "KG_DASK_SCHEDULER", "KG_MAX_ARTICLE_CHARS", "KG_BUILD_BATCH")}
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return {**env, **extra}


def kg(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, timeout=timeout,
                          env=env or kg_env(), cwd=str(ROOT))


def start_kg(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "kg", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=kg_env(), cwd=str(ROOT))


def dump(store: Path) -> list[str]:
    """`kg dump --format nquads` of the store (run here: the store is closed by then), sorted."""
    from kg.cli import main

    out = store.with_name(store.name + ".nq")
    assert main(["dump", "--store", str(store), "--format", "nquads", "-o", str(out)]) == 0
    return sorted(line for line in out.read_text(encoding="utf-8").splitlines() if line.strip())


@dataclass
class Cluster:
    address: str
    client: object  # a distributed.Client of the test itself, to watch and kill workers
    logs: Path

    def worker_pids(self) -> dict[str, int]:
        return self.client.run(os.getpid)

    def busy_worker(self, deadline: float, build: subprocess.Popen[str]) -> str:
        """The address of a worker running one of kg's extraction tasks, once there is one."""
        while True:
            for address, keys in self.client.processing().items():
                if any(str(k).startswith("kg-extract-") for k in keys):
                    return address
            assert build.poll() is None, f"the build ended before any task was seen: {build.communicate()}"
            assert time.monotonic() < deadline, "no extraction task was seen on the cluster"
            time.sleep(0.02)

    def wait_for_workers(self, n: int, timeout: float = 90) -> None:
        self.client.wait_for_workers(n, timeout=timeout)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """A Dask scheduler and two workers (one process, one thread each) on random local ports."""
    from distributed import Client

    logs = tmp_path_factory.mktemp("dask")
    env = kg_env()  # the workers import this checkout's kg
    scheduler_file = logs / "scheduler.json"
    processes: list[subprocess.Popen[bytes]] = []

    def start(name: str, *args: str) -> None:
        with open(logs / f"{name}.log", "wb") as log:
            processes.append(subprocess.Popen([sys.executable, "-m", "dask", *args], stdout=log,
                                              stderr=subprocess.STDOUT, env=env, cwd=str(logs)))

    client = None
    try:
        start("scheduler", "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
              "--scheduler-file", str(scheduler_file))
        deadline = time.monotonic() + 60
        while not scheduler_file.exists() or not scheduler_file.read_text().strip():
            assert processes[0].poll() is None, (logs / "scheduler.log").read_text()
            assert time.monotonic() < deadline, "the scheduler did not start"
            time.sleep(0.1)
        address = json.loads(scheduler_file.read_text())["address"]
        for n in (1, 2):
            start(f"worker{n}", "worker", address, "--nworkers", "1", "--nthreads", "1", "--host", "127.0.0.1",
                  "--no-dashboard", "--local-directory", str(logs / f"worker{n}"))
        client = Client(address, timeout=30, set_as_default=False)
        found = Cluster(address, client, logs)
        found.wait_for_workers(2)
        yield found
    finally:
        if client is not None:
            try:
                client.shutdown()  # the scheduler ends its workers and itself, faster than signals
            except Exception:  # noqa: BLE001 - the processes are ended below in any case
                client.close()
        for process in reversed(processes):  # the workers first, then the scheduler
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Real article prose with varied names, places and dates (benchmarks/corpusgen.py)."""
    folder = tmp_path_factory.mktemp("corpus")
    corpusgen.write_corpus(folder, GENERATED_ARTICLES, seed=5)
    return folder


@pytest.fixture(scope="module")
def local_nquads(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> list[str]:
    """What a local build of the seeds and the corpus writes."""
    store = tmp_path_factory.mktemp("local") / "store"
    out = kg("build", "--store", str(store), str(SEEDS), str(corpus))
    assert out.returncode == 0 and not out.stderr, out.stderr
    assert out.stdout.startswith(f"built {ARTICLES} articles;"), out.stdout
    return dump(store)


def test_build_on_the_cluster_writes_what_a_local_build_writes(cluster: Cluster, corpus: Path,
                                                               local_nquads: list[str], tmp_path: Path) -> None:
    store = tmp_path / "store"
    # the scheduler from the environment, as a user exporting it once would give it
    out = kg("build", "--store", str(store), str(SEEDS), str(corpus),
             env=kg_env(KG_DASK_SCHEDULER=cluster.address))

    assert out.returncode == 0, out.stderr
    assert out.stderr == ""
    assert out.stdout.startswith(f"built {ARTICLES} articles;"), out.stdout
    assert dump(store) == local_nquads
    # the same command again: nothing to extract, and the cluster is not even asked
    again = kg("build", "--store", str(store), "--scheduler", "tcp://127.0.0.1:9", str(SEEDS), str(corpus))
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith(f"built 0 articles ({ARTICLES} unchanged)"), again.stdout


def test_an_article_from_standard_input_built_on_the_cluster_keeps_its_name(cluster: Cluster,
                                                                            tmp_path: Path) -> None:
    text = sorted(SEEDS.glob("*.txt"))[0].read_text(encoding="utf-8")
    stores = {"local": tmp_path / "local", "cluster": tmp_path / "cluster"}
    for where, scheduler in (("local", []), ("cluster", ["--scheduler", cluster.address])):
        out = subprocess.run([sys.executable, "-m", "kg", "build", "--store", str(stores[where]), *scheduler,
                              "--name", "wire/today.txt", "-"], input=text, capture_output=True, text=True,
                             timeout=120, env=kg_env(), cwd=str(ROOT))
        assert out.returncode == 0, out.stderr
        assert out.stdout.startswith("built 1 article;"), out.stdout

    on_cluster = dump(stores["cluster"])
    assert on_cluster == dump(stores["local"])
    assert any('"wire/today.txt"' in line for line in on_cluster)


def test_a_cluster_build_on_a_terminal_shows_the_progress_bar(cluster: Cluster, corpus: Path,
                                                              tmp_path: Path) -> None:
    import pexpect

    build = pexpect.spawn(sys.executable, ["-m", "kg", "build", "--store", str(tmp_path / "store"), "--scheduler",
                                           cluster.address, str(corpus)],
                          cwd=str(ROOT), env={**kg_env(), "TERM": "xterm"}, timeout=120, dimensions=(30, 120))
    build.expect(pexpect.EOF)
    build.close()
    screen = build.before.decode(errors="replace")

    assert build.exitstatus == 0, screen
    assert f"{GENERATED_ARTICLES}/{GENERATED_ARTICLES}" in screen and "articles/s" in screen, screen
    assert f"built {GENERATED_ARTICLES} articles;" in screen


def test_a_worker_killed_mid_build_has_its_work_done_again_elsewhere(cluster: Cluster, corpus: Path,
                                                                     local_nquads: list[str],
                                                                     tmp_path: Path) -> None:
    store = tmp_path / "store"
    build = start_kg("build", "--store", str(store), "--scheduler", cluster.address, str(SEEDS), str(corpus))
    try:
        victim = cluster.busy_worker(time.monotonic() + 90, build)
        pid = cluster.worker_pids()[victim]
        os.kill(pid, signal.SIGKILL)
        killed_while_building = build.poll() is None
        out, err = build.communicate(timeout=120)
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()

    assert killed_while_building
    assert build.returncode == 0, err
    assert err == ""
    # every article once: a chunk run twice would count its articles twice
    assert out.startswith(f"built {ARTICLES} articles;"), out
    assert dump(store) == local_nquads
    # the worker's nanny starts a new worker process, which takes work as the killed one did
    cluster.wait_for_workers(2)
    assert pid not in cluster.worker_pids().values()


def test_an_interrupted_build_keeps_what_it_built_and_the_same_command_builds_the_rest(
        cluster: Cluster, corpus: Path, local_nquads: list[str], tmp_path: Path) -> None:
    store = tmp_path / "store"
    command = ("build", "--store", str(store), "--scheduler", cluster.address, str(SEEDS), str(corpus))
    build = start_kg(*command)
    try:
        cluster.busy_worker(time.monotonic() + 90, build)
        build.send_signal(signal.SIGINT)
        out, err = build.communicate(timeout=60)
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()

    assert build.returncode == 130, err
    assert "not built: interrupted" in out, out
    assert err.startswith("kg: stopping after the current article"), err
    built = int(out.split()[1])

    rest = kg(*command)
    assert rest.returncode == 0, rest.stderr
    unchanged = f" ({built} unchanged)" if built else ";"
    assert rest.stdout.startswith(f"built {ARTICLES - built} articles{unchanged}"), rest.stdout
    assert dump(store) == local_nquads
    # nothing of the interrupted build is left on the cluster
    deadline = time.monotonic() + 10
    while any(str(k).startswith("kg-extract-") for keys in cluster.client.processing().values() for k in keys):
        assert time.monotonic() < deadline, cluster.client.processing()
        time.sleep(0.1)


def test_a_scheduler_lost_mid_build_is_one_line_and_exit_1(tmp_path: Path) -> None:
    # a scheduler of its own, without workers: the build waits for one until the scheduler goes
    info = tmp_path / "scheduler.json"
    with open(tmp_path / "scheduler.log", "wb") as log:
        scheduler = subprocess.Popen([sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1", "--port",
                                      "0", "--no-dashboard", "--scheduler-file", str(info)], stdout=log,
                                     stderr=subprocess.STDOUT, env=kg_env(), cwd=str(tmp_path))
    build = None
    try:
        deadline = time.monotonic() + 60
        while not info.exists() or not info.read_text().strip():
            assert scheduler.poll() is None and time.monotonic() < deadline, (tmp_path / "scheduler.log").read_text()
            time.sleep(0.1)
        address = json.loads(info.read_text())["address"]
        build = start_kg("build", "--store", str(tmp_path / "store"), "--scheduler", address, str(SEEDS))
        while "Registering Worker plugin kg-spacy" not in (tmp_path / "scheduler.log").read_text():
            assert build.poll() is None and time.monotonic() < deadline, build.communicate()
            time.sleep(0.1)
        time.sleep(1)  # the build has handed out its articles and waits for a worker
        scheduler.kill()
        scheduler.wait()
        out, err = build.communicate(timeout=60)
    finally:
        for process in (build, scheduler):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()

    assert build.returncode == 1
    assert out == ""
    # one line; where the loss was seen while counting workers it says what Dask reported
    assert re.fullmatch(rf"kg: lost the connection to the Dask scheduler at {re.escape(address)}( \([^\n]+\))?\n", err), err


def run_kg(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`kg ARGS` in this process (the errors below come before anything heavy is loaded)."""
    from kg.cli import main

    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_an_unreachable_scheduler_is_one_line_and_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KG_DASK_SCHEDULER", raising=False)
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    started = time.monotonic()
    code, out, err = run_kg(capsys, "build", "--store", str(tmp_path / "store"), "--scheduler",
                            f"tcp://127.0.0.1:{port}", str(SEEDS))

    assert code == 1
    assert out == ""
    assert err == f"kg: cannot reach the Dask scheduler at tcp://127.0.0.1:{port} (connection refused: no scheduler listens there)\n"
    assert time.monotonic() - started < 5


def test_a_scheduler_that_never_answers_is_one_line_after_a_short_wait(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as silent:  # accepts connections (the kernel does) and never speaks
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        address = f"tcp://127.0.0.1:{silent.getsockname()[1]}"
        started = time.monotonic()
        code, out, err = run_kg(capsys, "build", "--store", str(tmp_path / "store"), "--scheduler", address,
                                str(SEEDS))
        waited = time.monotonic() - started

    assert code == 1
    assert err == f"kg: cannot reach the Dask scheduler at {address} (no answer in 5 s: is it a Dask scheduler?)\n"
    assert 4 < waited < 15


def test_an_address_that_is_no_address_is_one_line_and_exit_1(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_kg(capsys, "build", "--store", str(tmp_path / "store"), "--scheduler",
                            "tcp://127.0.0.1:port", str(SEEDS))

    assert code == 1
    assert err.startswith("kg: cannot reach the Dask scheduler at tcp://127.0.0.1:port (not a scheduler address"), err
    assert err.count("\n") == 1, err


def test_jobs_and_a_scheduler_together_are_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_DASK_SCHEDULER", "tcp://127.0.0.1:9")
    code, out, err = run_kg(capsys, "build", "--store", str(tmp_path / "store"), "--jobs", "2", str(SEEDS))

    assert code == 2
    assert err == "kg: --jobs and --scheduler do not go together: the cluster's workers do the extraction\n"
    # more jobs than cores is refused too, not capped: the cap is for this machine's processes
    code, out, err = run_kg(capsys, "build", "--store", str(tmp_path / "store"), "--scheduler", "tcp://127.0.0.1:9",
                            "--jobs", str((os.cpu_count() or 1) + 1), str(SEEDS))
    assert code == 2
    assert err == "kg: --jobs and --scheduler do not go together: the cluster's workers do the extraction\n"


@pytest.mark.virtuoso
def test_a_cluster_build_into_virtuoso_pushes_what_a_local_build_writes(cluster: Cluster, tmp_path: Path) -> None:
    import _virtuoso

    from kg.endpoint import EndpointStore
    from kg.store import open_store

    server = _virtuoso.shared()
    endpoint = EndpointStore(server.sparql)
    for graph in endpoint.graphs():
        endpoint.drop_graph(graph)
    local = tmp_path / "local"
    assert kg("build", "--store", str(local), str(SEEDS)).returncode == 0
    try:
        out = kg("build", "--scheduler", cluster.address, "--store", server.sparql, str(SEEDS))

        assert out.returncode == 0, out.stderr
        assert out.stdout.startswith("built 2 articles;"), out.stdout
        with open_store(str(local), read_only=True) as store:
            expected = set(store.quads())
        assert expected and set(endpoint.quads()) == expected
    finally:
        for graph in endpoint.graphs():
            endpoint.drop_graph(graph)
