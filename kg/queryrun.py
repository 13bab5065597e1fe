"""`kg query`: one query (text, file or saved) against the store, printed in a chosen format."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg import saved
from kg.errors import EXIT_OK, UsageError
from kg.results import write
from kg.store import open_store


def query_text(args: argparse.Namespace) -> str:
    """The query the user asked for, with saved-query parameters bound as RDF terms."""
    given = [x for x in (args.query, args.file, args.saved) if x]
    if len(given) != 1:
        raise UsageError("give exactly one of QUERY, --file F.rq or --saved NAME")
    if args.saved:
        return saved.bind(saved.get(args.saved), saved.parse_assignments(args.param))
    if args.param:
        raise UsageError("--param goes with --saved")
    if args.file:
        try:
            return Path(args.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise UsageError(f"cannot read {args.file}: {e}") from None
    return args.query


def query_command(args: argparse.Namespace) -> int:
    text = query_text(args)
    with open_store(args.store, read_only=True) as store:
        result = store.query(text, timeout=args.timeout)
    write(result, sys.stdout, args.format)
    return EXIT_OK
