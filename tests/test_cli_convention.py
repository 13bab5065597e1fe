"""One CLI convention: kg/cli.py parses every command's options; the modules behind it take typed
parameters and never see argparse."""

from __future__ import annotations

import ast
from pathlib import Path

import kg

PACKAGE = Path(kg.__file__).resolve().parent


def test_only_the_cli_imports_argparse():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "cli.py" and path.parent == PACKAGE:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n.split(".")[0] == "argparse" for n in names):
                offenders.append(str(path.relative_to(PACKAGE)))
    assert not offenders, f"parse options in kg/cli.py, not in {offenders}"


def test_every_command_has_help_and_runs_through_cli(capsys):
    from kg import cli

    parser = cli.build_parser()
    for name, _, _, run in cli.COMMANDS:
        assert run.__module__ == "kg.cli", name
        try:
            parser.parse_args([name, "--help"])
        except SystemExit as e:
            assert e.code == 0
        assert capsys.readouterr().out.startswith(f"usage: kg {name}")
