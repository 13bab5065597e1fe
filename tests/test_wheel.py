"""The wheel is the whole product: built from the source tree, installed into a new virtualenv
outside the repository, and used from another folder, every command finds its parts (the shell,
the ontology, the shapes, the saved queries) inside the installed package.

Installing spaCy and the rest from an index into the new virtualenv would take minutes, so the
new virtualenv sees the dependencies of the one running the tests through a .pth file, and kg
itself is installed from the wheel without dependencies. The test checks that the kg it runs is
the wheel's copy, not the source tree.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def _source_copy(dest: Path) -> Path:
    """The files a build reads, copied with their links, so the build leaves nothing in the tree."""
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("kg", "ontology", "queries"):
        shutil.copytree(ROOT / name, dest / name, symlinks=True, ignore=skip)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, dest / name)
    return dest


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, dict[str, str], Path]:
    """(bin folder of the new virtualenv, environment to run it in, the folder to work in)."""
    base = tmp_path_factory.mktemp("wheel")
    # Nothing of the source tree on the path: pip would take its metadata for an installed kg.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "KG_STORE", "VIRTUAL_ENV")}
    env["XDG_CONFIG_HOME"] = str(base / "config")
    env["XDG_STATE_HOME"] = str(base / "state")
    src = _source_copy(base / "src")
    dist = base / "dist"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(src)],
                           capture_output=True, text=True, env=env, timeout=600)
    assert built.returncode == 0, built.stderr
    (wheel,) = dist.glob("kg-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"kg/shell/repl.py", "kg/data/ontology/kg.ttl", "kg/data/ontology/shapes.ttl",
            "kg/data/queries/officials.rq", "kg/web/templates/entity.html", "kg/web/static/workbench.js",
            "kg/web/static/workbench.css"} <= names

    env_dir = base / "venv"
    venv.create(env_dir, with_pip=False)
    site = Path(subprocess.run([str(env_dir / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               capture_output=True, text=True, check=True).stdout.strip())
    installed = subprocess.run([sys.executable, "-m", "pip", "--python", str(env_dir / "bin" / "python"), "install",
                                "-q", "--no-deps", "--no-index", str(wheel)], capture_output=True, text=True, env=env,
                               timeout=600)
    assert installed.returncode == 0, installed.stderr
    # Only now the dependencies: pip must not take a kg it can see there for the one to install.
    shared = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (site / "shared-dependencies.pth").write_text("".join(f"{p}\n" for p in sorted(shared)))

    work = base / "elsewhere"
    work.mkdir()
    return env_dir / "bin", env, work


def run(installed: tuple[Path, dict[str, str], Path], *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    bin_dir, env, work = installed
    return subprocess.run([str(bin_dir / args[0]), *args[1:]], input=stdin, capture_output=True, text=True,
                          cwd=work, env=env, timeout=600)


def test_the_kg_that_runs_is_the_wheels(installed):
    bin_dir = installed[0]
    out = run(installed, "python", "-c", "import kg, kg.shell; print(kg.__file__); print(kg.shell.__file__)")
    assert out.returncode == 0, out.stderr
    for line in out.stdout.split():
        assert Path(line).is_relative_to(bin_dir.parent), line


def test_the_extractor_version_is_read_from_the_installed_files(installed):
    """The wheel's sources are the tree's bytes, so the installed kg derives the same version."""
    from kg.extractor_version import extractor_version

    out = run(installed, "python", "-c", "from kg.extractor_version import extractor_version as v; print(v())")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == extractor_version()


def test_commands_from_another_folder(installed):
    work = installed[2]
    shutil.copytree(ROOT / "seeds", work / "seeds-copy")

    out = run(installed, "kg", "build", "seeds-copy")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("built 2 articles;") and (work / ".kg").is_dir()

    out = run(installed, "kg", "saved")
    assert out.returncode == 0 and "officials-who-met-counterparts" in out.stdout, out.stderr

    out = run(installed, "kg", "query", "--saved", "officials", "--format", "csv")
    assert out.returncode == 0, out.stderr
    assert "Leon Panetta" in out.stdout and "Bede Corry" in out.stdout

    out = run(installed, "kg", "validate")
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.startswith("conforms:") and "shapes.ttl" in out.stdout

    out = run(installed, "kg", "export", "--entity", "Leon Panetta", "-o", "x.svg")
    assert out.returncode == 0, out.stderr
    assert (work / "x.svg").read_text().lstrip().startswith(("<?xml", "<svg"))

    script = ("SELECT ?name WHERE { ?o kg:represents/kg:isoCode \"NZL\" ; rdfs:label ?name } ORDER BY ?name\n\n"
              "\\n officials-of-country country=USA\n")
    out = run(installed, "kg", "shell", "--no-color", stdin=script)
    assert out.returncode == 0, out.stderr
    assert "Bede Corry" in out.stdout and "Jonathan Coleman" in out.stdout
    assert "Christopher Landau" in out.stdout
