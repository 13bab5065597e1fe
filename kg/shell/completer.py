"""prompt_toolkit's side of completion: asks the pure engine and hands back `Completion`s."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document

from kg.shell.completion import suggest
from kg.shell.metadata import GraphMetadata


class SparqlCompleter(Completer):
    def __init__(self, metadata: Callable[[], GraphMetadata]) -> None:
        self.metadata = metadata

    def get_completions(self, document: Document, complete_event: CompleteEvent) -> Iterator[Completion]:
        for c in suggest(document.text_before_cursor, self.metadata()):
            yield Completion(c.text, start_position=c.start, display=c.display, display_meta=c.meta)

    def __repr__(self) -> str:
        return "SparqlCompleter()"
