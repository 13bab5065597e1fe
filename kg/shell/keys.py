"""Keys: Enter runs a complete query and otherwise starts a new line; Alt-Enter always starts
a new line; Ctrl-X Ctrl-E opens the query in $EDITOR and, as `\\e` does, brings it back to the
prompt for review (prompt_toolkit's own binding runs it at once). Ctrl-R (history search), Tab
and Ctrl-C/Ctrl-D come from prompt_toolkit."""

from __future__ import annotations

from typing import Any


def shell_bindings() -> Any:
    from prompt_toolkit import search
    from prompt_toolkit.filters import has_selection, is_searching
    from prompt_toolkit.key_binding import KeyBindings

    from kg.shell.buffer import is_complete

    kb = KeyBindings()

    @kb.add("enter", filter=is_searching, eager=True)
    def _accept_search(event: Any) -> None:
        """Enter after Ctrl-R takes the entry found and runs it, as in a Unix shell."""
        search.accept_search()
        buf = event.app.current_buffer
        if is_complete(buf.text):
            buf.validate_and_handle()

    @kb.add("enter", filter=~is_searching)
    def _enter(event: Any) -> None:
        buf = event.current_buffer
        state = buf.complete_state
        if state is not None and state.current_completion is not None:
            # Enter on a chosen completion takes it, as in every menu.
            buf.apply_completion(state.current_completion)
            return
        if buf.complete_state is not None:
            buf.cancel_completion()
        # In the middle of the text Enter splits the line, unless it is a one-line command.
        at_end = buf.document.is_cursor_at_the_end or buf.text.lstrip().startswith("\\")
        if at_end and is_complete(buf.text):
            buf.validate_and_handle()
            return
        buf.newline(copy_margin=True)

    @kb.add("escape", "enter")
    def _newline(event: Any) -> None:
        event.current_buffer.newline(copy_margin=True)

    @kb.add("c-x", "c-e", filter=~has_selection)
    def _edit(event: Any) -> None:
        """The edited query comes back to the prompt; Enter runs it."""
        event.current_buffer.open_in_editor(validate_and_handle=False)

    return kb
