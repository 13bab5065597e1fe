"""Colours: SPARQL highlighting through Pygments, the toolbar and menus, and whether to colour at all."""

from __future__ import annotations

import os
from typing import Any, TextIO


def color_wanted(no_color_flag: bool) -> bool:
    """False with --no-color or a non-empty NO_COLOR (https://no-color.org)."""
    return not no_color_flag and not os.environ.get("NO_COLOR")


def colors_for(stream: TextIO, wanted: bool) -> bool:
    try:
        return wanted and stream.isatty()
    except (AttributeError, ValueError):
        return False


def prompt_style(color: bool) -> Any:
    from prompt_toolkit.styles import Style, merge_styles, style_from_pygments_cls
    from pygments.styles import get_style_by_name

    ui = Style.from_dict(
        {
            "prompt": "bold",
            "continuation": "#888888",
            "bottom-toolbar": "noreverse bg:#303030 #d0d0d0",
            "bottom-toolbar.key": "bold",
            "completion-menu.completion": "bg:#303030 #e0e0e0",
            "completion-menu.completion.current": "bg:#5f87af #ffffff",
            "completion-menu.meta.completion": "bg:#444444 #bbbbbb",
            "completion-menu.meta.completion.current": "bg:#5f87af #ffffff",
        }
        if color
        else {"bottom-toolbar": "reverse"}
    )
    if not color:
        return ui
    return merge_styles([style_from_pygments_cls(get_style_by_name("monokai")), ui])
