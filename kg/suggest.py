""""Did you mean ...?" for names people type: saved queries and the shell's commands."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from kg.errors import UsageError


def close_names(word: str, names: Iterable[str], limit: int = 3) -> list[str]:
    """The names most like `word` (a typo, a letter left out or swapped, a wrong ending)."""
    known = sorted(set(names))
    close = difflib.get_close_matches(word, known, n=limit, cutoff=0.6)
    if not close:
        # a beginning typed in full ("officials-who" for officials-who-met-counterparts)
        close = [n for n in known if len(word) >= 3 and n.startswith(word)][:limit]
    return close


def hint(word: str, names: Iterable[str]) -> str:
    """' (did you mean X?)', or '' when nothing is close."""
    close = close_names(word, names)
    if not close:
        return ""
    listed = close[0] if len(close) == 1 else ", ".join(close[:-1]) + " or " + close[-1]
    return f" (did you mean {listed}?)"


def check_saved_name(name: str, lister: str = "kg saved") -> None:
    """Refuse an unknown saved-query name with the closest names, before anything runs;
    `lister` is the command that lists them (the shell's is `\\n`)."""
    from kg import saved

    queries = saved.all_queries()
    if name not in queries:
        close = hint(name, queries)
        listing = "" if close else f" (saved queries: {', '.join(sorted(queries)) or 'none'})"
        raise UsageError(f"no saved query named '{name}'{close or listing}; {lister} lists them")
