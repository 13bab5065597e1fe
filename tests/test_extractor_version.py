"""The extractor's version is a hash of its sources: any change to a rule re-extracts the articles
read before it on the next incremental `kg build`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import pytest

from kg import extractor_version as ev

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_bc32d23b7621fa1b.txt"


def _copy_package(dest: Path) -> Path:
    """A copy of the kg package (and the folders its data links point to) that a test may change."""
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("kg", "ontology", "queries"):
        shutil.copytree(ROOT / name, dest / name, symlinks=True, ignore=skip)
    return dest / "kg"


def _touch(path: Path) -> None:
    path.write_bytes(path.read_bytes() + b"\n# changed\n")


def _a_rule_file(package: Path) -> Path:
    rules = package / ev.RULES
    return next(iter(sorted(rules.rglob("*.py")))) if rules.is_dir() else package / f"{ev.RULES}.py"


def test_every_listed_module_exists():
    package = files("kg")
    missing = [name for name in ev.MODULES if not (package / name).is_file()]
    assert not missing, f"kg.extractor_version.MODULES names modules that are gone: {missing}"
    assert (package / ev.RULES).is_dir() or (package / f"{ev.RULES}.py").is_file()


def test_the_version_is_the_sources_not_their_place(tmp_path):
    package = _copy_package(tmp_path)
    assert ev.compute(package) == ev.extractor_version() == ev.compute(files("kg"))
    # A file of the package that is not on the way from text to triples does not count.
    _touch(package / "results.py")
    assert ev.compute(package) == ev.extractor_version()


@pytest.mark.parametrize("module", [None, "dates.py", "mentions.py", "gazetteer.py", "articles.py", "mapping.py"])
def test_changing_a_rule_files_bytes_changes_the_version(tmp_path, module):
    package = _copy_package(tmp_path)
    before = ev.compute(package)
    _touch(_a_rule_file(package) if module is None else package / module)
    assert ev.compute(package) != before


def test_rules_as_a_package_of_modules_and_data_files(tmp_path):
    """kg/extract/ as a package: every module in it, at any depth, and its data files count."""
    package = _copy_package(tmp_path)
    single = ev.compute(package)
    rules = package / ev.RULES
    if not rules.is_dir():
        rules.mkdir()
        (package / f"{ev.RULES}.py").rename(rules / "__init__.py")
    (rules / "families").mkdir(exist_ok=True)
    (rules / "families" / "treaties.py").write_text("TRIGGERS = ('signed',)\n")
    (rules / "vocabulary.json").write_text('["minister"]\n')
    as_package = ev.compute(package)
    assert as_package != single
    for changed in (rules / "families" / "treaties.py", rules / "vocabulary.json"):
        _touch(changed)
        assert ev.compute(package) != as_package
        as_package = ev.compute(package)
    # Bytecode caches are not sources.
    (rules / "__pycache__").mkdir(exist_ok=True)
    (rules / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")
    assert ev.compute(package) == as_package


@pytest.mark.slow
def test_an_incremental_build_re_extracts_after_a_rule_changes(tmp_path):
    package = _copy_package(tmp_path / "src")
    store = tmp_path / "store"
    env = {**os.environ, "PYTHONPATH": str(package.parent)}
    env.pop("KG_STORE", None)

    def build() -> str:
        out = subprocess.run([sys.executable, "-m", "kg", "build", "--store", str(store), str(SEED)],
                             capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
        assert out.returncode == 0, out.stderr
        return out.stdout

    def stored_version() -> str:
        out = subprocess.run([sys.executable, "-m", "kg", "query", "--store", str(store), "--format", "csv",
                              "SELECT ?v WHERE { ?a kg:extractorVersion ?v }"],
                             capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
        assert out.returncode == 0, out.stderr
        return out.stdout.split()[1]

    assert build().startswith("built 1 article;")
    first = stored_version()
    assert first == ev.compute(package)
    assert build().startswith("built 0 articles (1 unchanged)")
    _touch(_a_rule_file(package))
    assert build().startswith("built 1 article;")
    assert stored_version() == ev.compute(package) != first
