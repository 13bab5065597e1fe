"""kg: a knowledge graph of diplomacy and defence news, with a SPARQL shell."""

__version__ = "0.1.0"
