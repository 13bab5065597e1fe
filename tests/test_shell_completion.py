"""The completion engine: a pure function of the text before the cursor and the graph metadata."""

from __future__ import annotations

import pytest
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document

from kg.ontology import KG, KGID
from kg.shell.completer import SparqlCompleter
from kg.shell.completion import context, suggest, variables
from kg.shell.metadata import GraphMetadata, Named, SavedInfo


def entity(local: str, label: str, cls: str) -> Named:
    return Named(str(KGID[local]), f"kgid:{local}", label, "entity", (cls,))


@pytest.fixture(scope="module")
def meta() -> GraphMetadata:
    classes = [Named(str(KG[c]), f"kg:{c}", c, "class")
               for c in ("Country", "Official", "Dialogue", "Organization", "Article", "Evidence")]
    props = [
        Named(str(KG[p]), f"kg:{p}", p, "property")
        for p in ("represents", "participant", "participantCountry", "isoCode", "date", "holdsPost")
    ]
    props.append(Named("http://www.w3.org/2000/01/rdf-schema#label", "rdfs:label", "label", "property"))
    entities = [
        entity("leon-panetta", "Leon Panetta", "kg:Official"),
        entity("usa", "United States", "kg:Country"),
        entity("un", "United Nations", "kg:Organization"),
        entity("nzl", "New Zealand", "kg:Country"),
        entity("jonathan-coleman", "Jonathan Coleman", "kg:Official"),
        entity("post-jc", "defence minister (Jonathan Coleman)", "kg:Post"),
    ]
    saved = {
        "officials": SavedInfo("officials", "Every official", (("country", "iri", True), ("since", "date", False))),
        "countries": SavedInfo("countries", "Every country"),
    }
    return GraphMetadata(
        classes=classes,
        properties=props,
        entities=entities,
        ranges={"kg:represents": "kg:Country", "kg:participant": "kg:Official"},
        saved=saved,
    )


def texts(text: str, meta: GraphMetadata) -> list[str]:
    return [c.text for c in suggest(text, meta)]


# --- keywords and variables -----------------------------------------------------------------------


def test_keywords_at_the_start(meta):
    cands = suggest("SEL", meta)
    assert cands[0].text == "SELECT" and cands[0].start == -3 and cands[0].meta == "keyword"


def test_lower_case_typing_gets_lower_case_keywords(meta):
    assert texts("sel", meta)[0] == "select"


def test_variables_after_select_come_first(meta):
    text = "SELECT ?name ?country WHERE { ?name kg:represents ?country } ORDER BY "
    assert texts(text, meta)[:2] == ["?name", "?country"]


def test_variable_prefix_completes_variables_already_in_the_query(meta):
    text = "SELECT ?name ?nation WHERE { ?name kg:represents ?na"
    assert texts(text, meta) == ["?name", "?nation"]
    assert variables("SELECT ?a $b WHERE { ?a ?p ?c }") == ["?a", "?b", "?p", "?c"]


def test_a_bare_question_mark_offers_every_variable(meta):
    cands = suggest("SELECT ?x ?y WHERE { ?x kg:represents ?", meta)
    assert [c.text for c in cands] == ["?x", "?y"] and all(c.start == -1 for c in cands)


def test_solution_modifiers_after_the_group(meta):
    assert "ORDER BY" in texts("SELECT * WHERE { ?s ?p ?o } ORD", meta)
    assert "LIMIT" in texts("SELECT * WHERE { ?s ?p ?o } LI", meta)


# --- triple positions -----------------------------------------------------------------------------


def test_classes_after_a(meta):
    assert texts("SELECT * WHERE { ?x a ", meta)[:4] == ["kg:Country", "kg:Official", "kg:Dialogue", "kg:Organization"]


def test_class_by_prefixed_name_after_a(meta):
    cands = suggest("SELECT * WHERE { ?x a kg:Co", meta)
    assert [c.text for c in cands] == ["kg:Country"]
    assert cands[0].start == -5 and cands[0].meta == "class"


def test_class_by_local_name_replaces_the_word(meta):
    cands = suggest("SELECT * WHERE {\n  ?x a Off", meta)
    assert cands[0].text == "kg:Official" and cands[0].start == -3


def test_properties_in_predicate_position(meta):
    got = texts("SELECT * WHERE { ?x ", meta)
    assert "kg:represents" in got and "a" in got and "kg:Country" not in got


def test_property_by_prefix(meta):
    assert texts("SELECT * WHERE { ?x kg:rep", meta) == ["kg:represents"]
    assert texts("SELECT * WHERE { ?x kg:participant", meta) == ["kg:participant", "kg:participantCountry"]


def test_semicolon_returns_to_predicate_position(meta):
    assert texts("SELECT * WHERE { ?x a kg:Official ;\n  kg:hol", meta) == ["kg:holdsPost"]


def test_semicolon_does_not_end_the_pattern_position(meta):
    # After `;` a property is expected, not an entity.
    ctx = context("SELECT * WHERE { ?x kg:represents ?c ; ")
    assert ctx.kinds[0] == "property"


def test_comma_returns_to_object_position(meta):
    ctx = context("SELECT * WHERE { ?d kg:participant ?a , ")
    assert ctx.kinds == ("variable", "entity", "prefixed") and ctx.predicate == "kg:participant"


def test_dot_returns_to_subject_position(meta):
    assert context("SELECT * WHERE { ?x a kg:Country . ").kinds[:2] == ("variable", "entity")


def test_entities_by_label_insert_the_prefixed_name(meta):
    cands = suggest("SELECT * WHERE { ?d kg:participant Leo", meta)
    assert cands[0].text == "kgid:leon-panetta"
    assert cands[0].display == "Leon Panetta" and cands[0].start == -3


def test_entities_match_any_word_of_the_label(meta):
    assert texts("SELECT * WHERE { ?d kg:participant pan", meta) == ["kgid:leon-panetta"]
    assert texts("SELECT * WHERE { ?d kg:participant cole", meta) == ["kgid:jonathan-coleman"]


def test_only_entities_of_the_predicates_range_when_one_matches(meta):
    got = texts("SELECT * WHERE { ?o kg:represents Uni", meta)
    assert got == ["kgid:usa"]  # a Country, not the Organization
    assert texts("SELECT * WHERE { ?o kg:represents Leon", meta) == ["kgid:leon-panetta"]  # none: every kind
    got = texts("SELECT * WHERE { ?o kg:foo Uni", meta)
    assert got == ["kgid:un", "kgid:usa"]  # no range: by label


def test_entities_in_subject_position(meta):
    assert texts("SELECT * WHERE { New", meta) == ["kgid:nzl"]


def test_entities_by_prefixed_name(meta):
    assert texts("SELECT * WHERE { ?d kg:participant kgid:jon", meta) == ["kgid:jonathan-coleman"]


def test_no_entities_without_a_typed_word(meta):
    assert not [c for c in suggest("SELECT * WHERE { ?d kg:participant ", meta) if c.text.startswith("kgid:")]


def test_group_keywords_in_subject_position(meta):
    got = texts("SELECT * WHERE { ?x a kg:Country . OPT", meta)
    assert got == ["OPTIONAL"]
    assert "FILTER" in texts("SELECT * WHERE { ?x a kg:Country . FIL", meta)


def test_optional_group_starts_a_new_subject(meta):
    text = "SELECT * WHERE { ?x a kg:Official OPTIONAL { ?x "
    assert "kg:represents" in texts(text, meta)


def test_expression_inside_filter(meta):
    cands = suggest("SELECT * WHERE { ?x rdfs:label ?l FILTER(CONT", meta)
    assert cands[0].text == "CONTAINS(" and cands[0].meta == "function"
    assert texts("SELECT * WHERE { ?x rdfs:label ?label FILTER(STRLEN(?la", meta) == ["?label"]


def test_after_the_filter_a_new_pattern(meta):
    text = "SELECT * WHERE { ?x rdfs:label ?l FILTER(CONTAINS(?l, \"a\")) ?x "
    assert "kg:represents" in texts(text, meta)


def test_values_block_offers_entities(meta):
    assert texts("SELECT * WHERE { VALUES ?c { Uni", meta)[:2] == ["kgid:un", "kgid:usa"]


def test_blank_node_property_list(meta):
    assert texts("SELECT * WHERE { ?x kg:holdsPost [ kg:rep", meta) == ["kg:represents"]


def test_graph_pattern(meta):
    assert "kg:represents" in texts("SELECT * WHERE { GRAPH ?g { ?x ", meta)


def test_nothing_inside_strings_iris_and_comments(meta):
    assert suggest('SELECT * WHERE { ?x rdfs:label "Leo', meta) == []
    assert suggest("SELECT * WHERE { ?x <https://exa", meta) == []
    assert suggest("# find Leo", meta) == []
    assert suggest("SELECT * WHERE { ?x ?p ?o } LIMIT 10", meta) == []


def test_strings_with_braces_do_not_confuse_the_position(meta):
    text = 'SELECT * WHERE { ?x rdfs:label "a } b" . ?x kg:rep'
    assert texts(text, meta) == ["kg:represents"]


def test_prefix_declarations(meta):
    cands = suggest("PREFIX kgi", meta)
    assert [c.text for c in cands] == ["kgid: <https://w3id.org/kg-news/id/>"]


def test_subquery_positions(meta):
    text = "SELECT * WHERE { { SELECT ?x WHERE { ?x a "
    assert texts(text, meta)[0] == "kg:Country"


# --- backslash commands ---------------------------------------------------------------------------


def test_command_names(meta):
    got = texts("\\", meta)
    assert {"\\q", "\\n", "\\format", "\\describe", "\\why", "\\load", "\\export", "\\path"} <= set(got)
    assert texts("\\fo", meta) == ["\\format"]


def test_exact_command_first(meta):
    got = texts("\\n", meta)
    assert got[0] == "\\n" and {"\\np", "\\ns", "\\nd"} <= set(got)


def test_command_choices(meta):
    assert texts("\\format ", meta) == ["table", "csv", "tsv", "json", "xml", "turtle", "ntriples", "rdfxml", "jsonld"]
    assert texts("\\format c", meta) == ["csv"]
    assert texts("\\labels o", meta) == ["on", "off"]


def test_saved_query_names_and_parameters(meta):
    assert texts("\\n ", meta) == ["countries", "officials"]
    assert texts("\\np off", meta) == ["officials"]
    cands = suggest("\\n officials ", meta)
    assert [c.text for c in cands] == ["country=", "since="]
    assert cands[0].display == "country=<iri>?" and cands[1].display == "since=<date>"
    assert texts("\\n officials country=kgid:usa ", meta) == ["since="]
    assert texts("\\n officials country=", meta) == []


def test_entity_arguments(meta):
    assert texts("\\describe Leo", meta) == ["kgid:leon-panetta"]
    assert texts("\\path kgid:usa New", meta) == ["kgid:nzl"]


def test_class_option(meta):
    assert texts("\\central --class Off", meta) == ["kg:Official"]


def test_file_paths(meta, tmp_path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "answer.csv").write_text("x")
    (tmp_path / ".hidden").write_text("x")
    base = str(tmp_path) + "/"
    got = suggest(f"\\o {base}a", meta)
    assert [c.text for c in got] == [base + "answer.csv", base + "articles/"]
    assert got[0].start == -len(base) - 1
    assert [c.display for c in suggest(f"\\load {base}", meta)] == ["answer.csv", "articles/"]


def test_unknown_command_has_no_argument_completion(meta):
    assert suggest("\\nosuch ", meta) == []


# --- through prompt_toolkit -----------------------------------------------------------------------


def test_completer_yields_prompt_toolkit_completions(meta):
    completer = SparqlCompleter(lambda: meta)
    doc = Document("SELECT * WHERE {\n  ?x a kg:Off", cursor_position=len("SELECT * WHERE {\n  ?x a kg:Off"))
    got = list(completer.get_completions(doc, CompleteEvent(completion_requested=True)))
    assert [(c.text, c.start_position) for c in got] == [("kg:Official", -6)]
    applied = doc.text[: doc.cursor_position + got[0].start_position] + got[0].text
    assert applied.endswith("?x a kg:Official")


def test_completion_uses_only_the_text_before_the_cursor(meta):
    completer = SparqlCompleter(lambda: meta)
    text = "SELECT * WHERE { ?x a kg:Co }"
    doc = Document(text, cursor_position=text.index(" }"))
    assert [c.text for c in completer.get_completions(doc, CompleteEvent())] == ["kg:Country"]


def test_path_offers_officials_not_their_posts_and_central_only_the_classes_it_takes(meta):
    assert texts("\\path kgid:leon-panetta Jon", meta) == ["kgid:jonathan-coleman"]
    assert texts("\\describe defence", meta) == ["kgid:post-jc"]  # a post can still be described
    got = texts("\\central --class kg:", meta)
    assert "kg:Official" in got and not any("Article" in g or "Evidence" in g for g in got)


def test_after_the_where_group_solution_modifiers_come_first(meta):
    got = texts("SELECT ?x WHERE { ?x ?p ?o } ", meta)
    assert got[:5] == ["ORDER BY", "GROUP BY", "HAVING", "LIMIT", "OFFSET"]
    assert texts("SELECT ?x WHERE { ?x ?p ?o } O", meta)[:2] == ["ORDER BY", "OFFSET"]
    assert texts("CONSTRUCT { ?x ?p ?o } W", meta) == ["WHERE", "WITH"]


def test_d_completes_class_names_then_entities(meta):
    assert texts("\\d Off", meta) == ["kg:Official"]
    assert texts("\\d kg:Co", meta) == ["kg:Country"]
    assert texts("\\d ", meta)[:6] == ["kg:Country", "kg:Official", "kg:Dialogue", "kg:Organization", "kg:Article",
                                      "kg:Evidence"]
    assert texts("\\d Leo", meta) == ["kgid:leon-panetta"]  # no class fits: an entity, as \describe
