"""What to offer at the cursor: a pure function of the text before it and the graph metadata.

`context(text)` says where the cursor is (a triple's subject, predicate or object, a class after
`a`, an expression, a clause keyword, a backslash command's argument); `suggest(text, metadata)`
turns that into candidates. No prompt_toolkit here, so both are easy to test.
"""

from __future__ import annotations

import os
import re
import shlex
from dataclasses import dataclass, field

from kg.shell.commands import COMMANDS, Command
from kg.shell.metadata import GraphMetadata, Named

KEYWORDS = (
    "SELECT", "DISTINCT", "REDUCED", "WHERE", "FROM", "NAMED", "PREFIX", "BASE", "ASK", "CONSTRUCT", "DESCRIBE",
    "OPTIONAL", "FILTER", "UNION", "MINUS", "BIND", "VALUES", "GRAPH", "SERVICE", "AS", "ORDER BY", "GROUP BY",
    "HAVING", "LIMIT", "OFFSET", "ASC", "DESC", "NOT EXISTS", "EXISTS", "IN", "NOT IN", "UNDEF",
    "INSERT DATA", "DELETE DATA", "DELETE WHERE", "INSERT", "DELETE", "CLEAR", "DROP", "LOAD", "WITH",
)
FUNCTIONS = (
    "STR", "LANG", "LANGMATCHES", "DATATYPE", "BOUND", "IRI", "URI", "BNODE", "RAND", "ABS", "CEIL", "FLOOR",
    "ROUND", "CONCAT", "STRLEN", "UCASE", "LCASE", "ENCODE_FOR_URI", "CONTAINS", "STRSTARTS", "STRENDS",
    "STRBEFORE", "STRAFTER", "YEAR", "MONTH", "DAY", "HOURS", "MINUTES", "SECONDS", "TIMEZONE", "TZ", "NOW",
    "UUID", "STRUUID", "MD5", "SHA1", "SHA256", "SHA384", "SHA512", "COALESCE", "IF", "STRLANG", "STRDT",
    "sameTerm", "isIRI", "isURI", "isBLANK", "isLITERAL", "isNUMERIC", "REGEX", "SUBSTR", "REPLACE",
    "COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT",
)
# Keywords that start something inside a group pattern.
GROUP_KEYWORDS = ("OPTIONAL", "FILTER", "BIND", "VALUES", "MINUS", "UNION", "GRAPH", "SERVICE", "FILTER NOT EXISTS")
SOLUTION_KEYWORDS = ("ORDER BY", "GROUP BY", "HAVING", "LIMIT", "OFFSET", "VALUES")
MAX_CANDIDATES = 200


@dataclass(frozen=True)
class Candidate:
    text: str  # what replaces the word before the cursor
    display: str  # what the menu shows
    meta: str  # the kind: keyword, function, variable, prefix, class, property, entity, command, query, ...
    start: int  # where the replaced word starts, relative to the cursor (0 or negative)


@dataclass(frozen=True)
class Context:
    """Where the cursor is. `kinds` are what fits there, in order of preference."""

    kinds: tuple[str, ...]
    word: str = ""  # the partial word before the cursor
    predicate: str = ""  # in object position: the predicate, to rank entities of its range first
    command: str = ""  # for backslash commands: the command's name
    args: tuple[str, ...] = field(default_factory=tuple)  # the command's finished arguments


# --- tokens ---------------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n]*)
      | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\"|$)|'''(?:[^'\\]|\\.|'(?!''))*(?:'''|$)
                  |"(?:[^"\\\n]|\\.)*(?:"|$)|'(?:[^'\\\n]|\\.)*(?:'|$))
      | (?P<iri><[^<>"{}|^`\\\s]*>?)
      | (?P<var>[?$][\w]*)
      | (?P<pname>(?:[A-Za-z][\w.-]*)?:(?:[\w:%-]|\\/|\.(?=[\w:%-]))*)
      | (?P<number>[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+))
      | (?P<word>[A-Za-z_]\w*)
      | (?P<punct>\^\^|&&|\|\||[{}()\[\].,;=!<>*/+|^@-])
      | (?P<space>\s+)
    """,
    re.X | re.S,
)


@dataclass
class Token:
    kind: str
    text: str


def tokens(text: str) -> list[Token]:
    out, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            out.append(Token("other", text[pos]))
            pos += 1
            continue
        if m.lastgroup != "space":
            out.append(Token(m.lastgroup or "other", m.group(0)))
        pos = m.end()
    return out


def _unterminated(tok: Token) -> bool:
    t = tok.text
    if tok.kind == "iri":
        return not t.endswith(">")
    if tok.kind == "string":
        for q in ('"""', "'''"):
            if t.startswith(q):
                return len(t) < 6 or not t.endswith(q)
        return len(t) < 2 or not t.endswith(t[0]) or t.endswith("\\" + t[0]) and not t.endswith("\\\\" + t[0])
    return False


# --- where the cursor is --------------------------------------------------------------------------

_PARTIAL = re.compile(r"(?:[?$]\w*|(?:[A-Za-z][\w.-]*)?:(?:[\w.%-]|\\/)*|[A-Za-z_][\w-]*)$")
_TERM_KINDS = ("var", "iri", "pname", "string", "number")


def context(text: str) -> Context:
    """Where the cursor is, from the text before it."""
    if text.lstrip().startswith("\\"):
        return _command_context(text.lstrip())
    toks = tokens(text)
    if toks and toks[-1].kind in ("comment", "string", "iri") and (
        toks[-1].kind == "comment" and not text.endswith("\n") or _unterminated(toks[-1])
    ):
        return Context(())  # inside a comment, string or IRI: nothing to offer
    m = _PARTIAL.search(text)
    word = m.group(0) if m else ""
    if word and toks and text.endswith(toks[-1].text) and toks[-1].text.endswith(word):
        if toks[-1].text == word:
            toks = toks[:-1]
        else:
            return Context(())  # the word is the tail of a longer token (a number, a literal's tag)
    elif word:
        word = ""
    if not word and toks and text.endswith(toks[-1].text) and toks[-1].kind in ("number", "string", "iri"):
        return Context(())  # right after a literal or IRI: a space comes first
    if word.startswith(("?", "$")):
        return Context(("variable",), word)
    return _pattern_context(toks, word)


def _pattern_context(toks: list[Token], word: str) -> Context:
    # Walk the tokens keeping a stack of open groups and the triple position inside the innermost.
    stack: list[str] = []  # "{" group, "(" expression, "[" blank node, "values" VALUES block
    position = "clause"  # clause | subject | predicate | object | after-object | keyword
    after_a = False
    predicate = ""
    prev_word = ""
    prefix_decl = False
    for tok in toks:
        t, k = tok.text, tok.kind
        upper = t.upper()
        if k == "comment":
            continue
        if k == "word" and upper == "PREFIX":
            prefix_decl = True
            prev_word = "PREFIX"
            continue
        if prefix_decl:
            if k == "iri":
                prefix_decl = False
            prev_word = ""
            continue
        if t == "{":
            values = bool(stack) and stack[-1] == "values-head" or prev_word == "VALUES"
            if stack and stack[-1] == "values-head":
                stack.pop()
            stack.append("values" if values else "{")
            position = "object" if values else "subject"
            after_a = False
            prev_word = ""
            continue
        if t == "}":
            while stack and stack[-1] not in ("{", "values"):
                stack.pop()
            if stack:
                stack.pop()
            position = "subject" if stack and stack[-1] == "{" else ("object" if stack else "clause")
            prev_word = "}"
            continue
        if t == "(":
            stack.append("(")
            prev_word = ""
            continue
        if t == ")":
            if stack and stack[-1] == "(":
                stack.pop()
            if not stack or stack[-1] != "(":
                # The end of FILTER(...) or BIND(...) in a group; elsewhere (SELECT (... AS ?x)) a clause.
                position = "subject" if stack and stack[-1] == "{" else position
            prev_word = ""
            continue
        if stack and stack[-1] == "(":
            prev_word = upper if k == "word" else ""
            continue
        if t == "[":
            stack.append("[")
            position = "predicate"
            continue
        if t == "]":
            if stack and stack[-1] == "[":
                stack.pop()
            position = "after-object"
            continue
        if not stack or stack[-1] == "values-head":
            # Outside any group: the query's clauses.
            if k == "word" and upper == "VALUES":
                stack.append("values-head")
            prev_word = upper if k == "word" else prev_word
            position = "clause"
            continue
        if stack[-1] == "values":
            continue
        if t == ".":
            position, after_a = "subject", False
            continue
        if t == ";":
            position, after_a = "predicate", False
            continue
        if t == ",":
            position = "object"
            continue
        if k == "word" and upper in ("OPTIONAL", "MINUS", "UNION", "GRAPH", "SERVICE", "FILTER", "BIND",
                                     "EXISTS", "NOT", "VALUES", "SILENT"):
            position = "keyword"
            if upper == "VALUES":
                stack.append("values-head")
            prev_word = upper
            continue
        if position == "keyword" and prev_word in ("GRAPH", "SERVICE", "SILENT"):
            prev_word = ""
            continue
        is_term = k in _TERM_KINDS or (k == "word" and t in ("a", "true", "false"))
        if not is_term:
            continue
        if position == "subject":
            position = "predicate"
        elif position == "predicate":
            after_a = t == "a"
            predicate = t
            position = "object"
        elif position == "object":
            position = "after-object"
    if prefix_decl:
        return Context(("prefix-declaration",), word)
    top = stack[-1] if stack else ""
    if top == "(":
        return Context(("variable", "function", "expression-keyword", "prefixed"), word)
    if top == "values":
        return Context(("variable", "entity", "prefixed", "keyword"), word)
    if top in ("", "values-head"):
        if prev_word == "}" and any(x.kind == "word" and x.text.upper() in ("WHERE", "SELECT", "ASK") for x in toks):
            # After the WHERE group (not a CONSTRUCT template): its solution modifiers come first.
            return Context(("solution-keyword", "keyword"), word)
        return Context(("variable", "keyword") if prev_word in ("SELECT", "BY", "DISTINCT", "REDUCED")
                       else ("keyword", "variable"), word)
    if position == "subject":
        return Context(("variable", "entity", "group-keyword", "prefixed"), word)
    if position == "predicate":
        return Context(("property", "a", "variable"), word)
    if position == "object":
        if after_a:
            return Context(("class", "variable"), word)
        return Context(("variable", "entity", "prefixed"), word, predicate=predicate)
    if position == "keyword":
        return Context(("group-keyword", "variable"), word)
    return Context(("group-keyword",), word)  # after a complete triple: `.`, `;` or a keyword follows


def _command_context(text: str) -> Context:
    name, space, rest = text.partition(" ")
    name = name.split("\t")[0]
    if not space:
        return Context(("command",), name)
    try:
        parts = shlex.split(rest) if rest.strip() else []
        if rest and not rest[-1].isspace() and parts:
            word = parts.pop()
        else:
            word = ""
    except ValueError:  # an open quote: complete inside it
        parts, word = rest.split(), rest.rsplit(" ", 1)[-1].lstrip("\"'")
    return Context(("argument",), word, command=name, args=tuple(parts))


# --- candidates -----------------------------------------------------------------------------------


def suggest(text: str, metadata: GraphMetadata | None = None) -> list[Candidate]:
    """Completions for the cursor at the end of `text`, best first."""
    meta = metadata or GraphMetadata()
    ctx = context(text)
    if not ctx.kinds:
        return []
    if ctx.kinds == ("command",):
        return _commands(ctx.word)
    if ctx.kinds == ("argument",):
        return _arguments(ctx, meta)
    out: list[Candidate] = []
    word = ctx.word
    start = -len(word)
    for kind in ctx.kinds:
        if kind == "variable":
            out += [Candidate(v, v, "variable", start) for v in variables(text, word)]
        elif kind == "keyword":
            out += _keywords(KEYWORDS, word, start)
        elif kind == "group-keyword":
            out += _keywords(GROUP_KEYWORDS, word, start)
        elif kind == "solution-keyword":
            out += _keywords(SOLUTION_KEYWORDS, word, start)
        elif kind == "expression-keyword":
            out += _keywords(("IN", "NOT IN", "EXISTS", "NOT EXISTS", "AS", "true", "false"), word, start)
        elif kind == "function":
            out += [Candidate(f + "(", f, "function", start) for f in _match_words(FUNCTIONS, word)]
        elif kind == "a" and word and "a".startswith(word) or kind == "a" and not word:
            out.append(Candidate("a", "a", "rdf:type", start))
        elif kind == "class":
            out += _named(meta.classes, word, start)
        elif kind == "property":
            out += _named(meta.properties, word, start)
        elif kind == "entity" and word and ":" not in word:
            out += _entities(meta, word, start, meta.ranges.get(ctx.predicate, ""))
        elif kind == "prefixed" and ":" in word:
            out += _named(meta.entities + meta.classes + meta.properties, word, start, by_label=False)
        elif kind == "prefix-declaration":
            out += [
                Candidate(f"{p}: <{iri}>", f"{p}:", "prefix", start)
                for p, iri in meta.prefixes.items()
                if p.startswith(word.rstrip(":"))
            ]
    return _unique(out)[:MAX_CANDIDATES]


def variables(text: str, word: str = "") -> list[str]:
    """Variables used in the text, in order of first use, that continue `word`."""
    seen: dict[str, None] = {}
    for tok in tokens(text):
        if tok.kind == "var" and len(tok.text) > 1:
            seen.setdefault("?" + tok.text[1:], None)
    sigil = word[:1] if word[:1] in ("?", "$") else ""
    stem = word[len(sigil):]
    marker = sigil or "?"
    return [marker + v[1:] for v in seen if v[1:].lower().startswith(stem.lower()) and v[1:] != stem]


def _keywords(words: tuple[str, ...], word: str, start: int) -> list[Candidate]:
    lower = bool(word) and word.islower()
    return [Candidate(w.lower() if lower else w, w, "keyword", start) for w in _match_words(words, word)]


def _match_words(words: tuple[str, ...], word: str) -> list[str]:
    w = word.lower()
    return [x for x in words if x.lower().startswith(w)] if w else list(words)


def _named(items: list[Named], word: str, start: int, by_label: bool = True) -> list[Candidate]:
    """Classes or properties (or anything with a prefixed name) matching a prefixed name, its
    local part or (for bare words) a word of its label."""
    w = word.lower()
    first, second = [], []
    for n in items:
        name = n.name.lower()
        local = name.split(":", 1)[1] if ":" in name and not name.startswith("<") else name
        meta = n.kind if not n.types else f"{n.kind} {n.types[0]}"
        shown = n.name.replace("\\/", "/")
        display = shown if not n.label or n.kind != "entity" else f"{shown}  {n.label}"
        cand = Candidate(n.name, display, meta, start)
        if not w or name.startswith(w) or (":" not in w and local.startswith(w)):
            first.append(cand)
        elif by_label and ":" not in w and n.label and any(x.startswith(w) for x in n.label.lower().split()):
            second.append(cand)
    return first + second


_FOLDED = {"kg:Post", "kg:TreatyEvent", "kg:Article", "kg:Evidence"}


def _entities(meta: GraphMetadata, word: str, start: int, range_class: str = "",
              entities: list[Named] | None = None) -> list[Candidate]:
    """Entities whose label starts with the word (or has a word starting with it); only those of
    the predicate's range when any of them matches (the object of kg:represents is a country)."""
    w = word.lower()
    ranked: list[tuple[int, str, Candidate]] = []
    for e in meta.entities if entities is None else entities:
        label = e.label.lower()
        if label.startswith(w):
            rank = 0
        elif any(x.startswith(w) for x in re.split(r"[\s\-–/,()]+", label)):
            rank = 1
        else:
            continue
        if range_class and range_class not in e.types:
            rank += 2
        kind = e.types[0] if e.types else "entity"
        ranked.append((rank, label, Candidate(e.name, e.label, kind, start)))
    ranked.sort(key=lambda r: (r[0], r[1]))
    if range_class and ranked and ranked[0][0] < 2:
        ranked = [r for r in ranked if r[0] < 2]
    return [c for _, _, c in ranked]


def _unique(cands: list[Candidate]) -> list[Candidate]:
    seen, out = set(), []
    for c in cands:
        if c.text not in seen:
            seen.add(c.text)
            out.append(c)
    return out


# --- backslash commands ---------------------------------------------------------------------------


def _commands(word: str) -> list[Candidate]:
    out = []
    for name, cmd in sorted(COMMANDS.items()):
        # An alias is offered only when the command's own name does not fit what was typed.
        if name.startswith(word) and (name == cmd.name or not cmd.name.startswith(word)):
            out.append(Candidate(name, cmd.usage if name == cmd.name else name, cmd.help, -len(word)))
    # Exact names first, so `\n` then Tab keeps `\n` before `\np`, `\ns`, `\nd`.
    out.sort(key=lambda c: (c.text != word, len(c.text), c.text))
    return out


def _arguments(ctx: Context, meta: GraphMetadata) -> list[Candidate]:
    cmd: Command | None = COMMANDS.get(ctx.command)
    if cmd is None or not cmd.complete:
        return []
    index = len(ctx.args)
    spec = cmd.complete[min(index, len(cmd.complete) - 1)] if cmd.complete[-1].endswith("...") or index < len(
        cmd.complete
    ) else ""
    spec = spec.removesuffix("...")
    word, start = ctx.word, -len(ctx.word)
    if spec == "query":
        return [
            Candidate(n, n, q.description or "saved query", start) for n, q in sorted(meta.saved.items())
            if n.startswith(word)
        ]
    if spec == "param":
        query = meta.saved.get(ctx.args[0]) if ctx.args else None
        if query is None or "=" in word:
            return []
        given = {a.split("=", 1)[0] for a in ctx.args[1:]}
        return [
            Candidate(f"{p}=", f"{p}=<{t}>" + ("?" if opt else ""), "parameter", start)
            for p, t, opt in query.params
            if p.startswith(word) and p not in given
        ]
    if spec == "file":
        return file_candidates(word)
    if spec in ("entity", "node"):
        # `node`: what the graph analysis draws as a node; posts and treaty events are folded into
        # edges, articles and evidence are provenance.
        entities = meta.entities if spec == "entity" else [e for e in meta.entities if not _FOLDED & set(e.types)]
        if ":" in word:
            return _named(entities, word, start, by_label=False)
        # The prefixed name is inserted, never the label: it is one word and needs no quotes.
        return _entities(meta, word, start, entities=entities) if word else []
    if spec == "class":
        return _named(meta.classes, word, start)
    if spec == "class-or-entity":  # \d: classes first, then entities by label
        classes = _named(meta.classes, word, start)
        if ":" in word:
            return classes + _named(meta.entities, word, start, by_label=False)
        return classes + (_entities(meta, word, start) if word else [])
    if spec == "node-class":  # the classes graph analysis ranks (not articles or evidence)
        from kg.netgraph import CLASS_ORDER

        return _named([c for c in meta.classes if c.name.split(":")[-1] in CLASS_ORDER], word, start)
    if spec.startswith("choice:"):
        return [Candidate(c, c, cmd.name, start) for c in spec[7:].split("|") if c.startswith(word)]
    return []


def file_candidates(word: str) -> list[Candidate]:
    """Files and folders continuing `word` (folders end with /)."""
    path = os.path.expanduser(word)
    folder, stem = os.path.split(path)
    try:
        names = sorted(os.listdir(folder or "."))
    except OSError:
        return []
    out = []
    typed_folder = word[: len(word) - len(stem)]
    for name in names:
        if not name.startswith(stem) or name.startswith(".") and not stem.startswith("."):
            continue
        full = os.path.join(folder or ".", name)
        shown = name + ("/" if os.path.isdir(full) else "")
        out.append(Candidate(typed_folder + shown, shown, "folder" if shown.endswith("/") else "file", -len(word)))
    return out
