"""Vocabularies the rule families share: general English and general diplomatic usage, never a name,
an event or a pair of countries of any article. A word added here widens every rule that reads it."""

from __future__ import annotations

import re

# --- events: meetings, talks, visits, calls -------------------------------------------------------

DIALOGUE_NOUNS = {
    "meeting": "meeting", "talks": "talks", "talk": "talks", "visit": "visit", "trip": "visit", "tour": "visit",
    "summit": "summit", "conference": "conference", "briefing": "press briefing", "lunch": "working lunch",
    "dinner": "dinner", "call": "call", "conversation": "conversation", "dialogue": "dialogue",
    "discussions": "talks", "discussion": "talks", "consultations": "consultations", "meetings": "meeting",
    "availability": "news conference", "gathering": "meeting", "plenary": "meeting",
}
DIALOGUE_VERBS = {"meet": "meeting", "visit": "visit", "host": "meeting", "speak": "call", "call": "call",
                  "travel": "visit", "telephone": "call", "phone": "call", "welcome": "meeting"}
PLANNED_WORDS = re.compile(r"\b(will|shall|to be held|upcoming|next (week|month|year)|later this|is to|are to|"
                           r"plans? to|scheduled|would|agreed? to hold|at an early date|invit(?:e|es|ed|ing)\b[^;]{0,60}?\bto|"
                           r"look(?:s|ed|ing)? forward to|(?:is|are) expected to|intends? to)\b", re.I)
NEGATION = re.compile(r"\b(did not|didn't|not meet|never|no plans?|cancel(?:led|ed)?|postponed)\b", re.I)

# --- agreements ----------------------------------------------------------------------------------

TREATY_HEADS = ("Memorandum of Understanding", "MoU", "MOU", "Treaty", "Agreement", "Accord", "Pact", "Alliance", "Declaration", "Framework", "Partnership",
                "Convention", "Guidelines", "Roadmap", "Protocol", "Charter", "Compact", "Arrangement", "Consensus",
                "Communiqué", "Communique", "Plan of Action", "Action Plan", "Code of Conduct")
TREATY_MODIFIERS = ("defence", "defense", "security", "mutual", "trade", "free trade", "nuclear", "strategic",
                    "trilateral", "tripartite", "bilateral", "comprehensive", "enhanced", "peace", "arms control", "military",
                    "economic", "comprehensive strategic", "enhanced strategic")
TREATY_EVENTS = {
    "sign": "signed", "signing": "signed", "ratify": "ratified", "ratification": "ratified",
    "suspend": "suspended", "suspension": "suspended", "withdraw": "withdrew from", "withdrawal": "withdrew from",
    "propose": "proposed", "proposal": "proposed", "negotiate": "negotiated", "negotiation": "negotiated",
    "conclude": "concluded", "invoke": "invoked", "announce": "announced", "creation": "announced",
    "create": "announced", "launch": "launched", "establish": "established", "celebrate": "celebrated",
    "anniversary": "anniversary", "adopt": "adopted", "renew": "renewed", "terminate": "terminated",
    "finalize": "concluded", "finalise": "concluded", "commemorate": "celebrated", "elevate": "elevated",
    "upgrade": "upgraded", "exchange": "signed", "amend": "amended", "amendment": "amended", "revise": "revised",
    "replace": "replaced", "reaffirm": "reaffirmed", "endorse": "endorsed", "join": "joined",
    "raise": "raised",  # only "raised ... to a partnership" (see `_treaty_events`)
    "reach": "reached",  # only "reached an agreement", "the agreement was reached"
    "declare": "declared",  # only with an object ("declared the region a zone of peace")
    "implement": "implemented", "implementation": "implemented", "effective": "took effect",
    "opening": "launched",  # "the opening of the travel bubble" (the verb "open" is too common a word)
    "centenary": "anniversary", "centennial": "anniversary", "bicentenary": "anniversary", "jubilee": "anniversary",
}
# How many years an anniversary word counts ("the centenary of the signing": signed a hundred years before)
ANNIVERSARY_YEARS = {"centenary": 100, "centennial": 100, "bicentenary": 200, "bicentennial": 200}
ORDINAL_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
                 "ninth": 9, "tenth": 10, "fifteenth": 15, "twentieth": 20, "thirtieth": 30, "fortieth": 40,
                 "fiftieth": 50, "sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90, "hundredth": 100}
# "exchanged the MoUs" is a signing; "exchanged views" or "the instruments of ratification" is not
EXCHANGED_DOCUMENTS = {"mou", "mous", "memorandum", "memoranda", "memorandums", "agreement", "agreements"}
# Events of more than one word: a lemma and the words that may follow it ("entered into force", "took effect").
TREATY_PHRASE_EVENTS: dict[str, tuple[tuple[tuple[str, ...], str], ...]] = {
    "enter": ((("into", "force"), "entered into force"), (("into", "effect"), "entered into force")),
    "entry": ((("into", "force"), "entered into force"),),
    "take": ((("effect",), "took effect"),),
    "come": ((("into", "force"), "entered into force"), (("into", "effect"), "entered into force")),
    "open": ((("for", "signature"), "opened for signature"),),
    # "in force since 1 March 2020": entered into force then (only with "since")
    "in": ((("force", "since"), "entered into force"),)}
# --- policies ------------------------------------------------------------------------------------

POLICY_HEADS = {"policy", "ban", "strategy", "position", "programme", "program", "initiative", "rebalance",
                "pivot", "doctrine", "outlook", "principle", "scheme"}
# Words that only say what field a policy is in: "foreign policy", "international security policy" name none
GENERIC_POLICY_WORDS = {"foreign", "international", "domestic", "national", "public", "security", "defence", "defense",
                        "economic", "government", "official", "general", "political", "regional", "global"}
# A country's commitments: what it gives ("military and humanitarian support", "defence aid", "assistance to X")
SUPPORT_HEADS = {"support", "aid", "assistance"}
SUPPORT_KINDS = {"military", "financial", "economic", "humanitarian", "defence", "defense", "security", "development",
                 "budgetary", "technical", "political", "lethal", "macro-financial", "reconstruction"}
# A country's forces sent or moved: "Dutch naval deployments", "the realignment of US forces"
DEPLOYMENT_HEADS = {"deployment", "deployments", "contribution", "contributions", "realignment", "redeployment",
                    "drawdown"}
# Positions by the words a government uses for them ("Peru's core interests", "a two-state solution")
POSITION_HEADS = {"solution", "interests", "interest"}
# A government's measures against another's ("countermeasures", "sanctions", "restrictive measures")
COUNTERMEASURES = {"countermeasures", "counter-measures"}
# The European Union acts as one party in treaties and policies (code as the UN and World Bank write it)
UNION_CODE = "EUU"
UNION_NAMES = re.compile(r"\b(?:European Union|EU|E\.U\.)(?![\w-])")
POLICY_VERBS = {"ban": "banned", "acquire": "adopted", "procure": "adopted", "select": "adopted",
                "adopt": "adopted", "introduce": "introduced", "announce": "announced"}
ACQUISITION_VERBS = {"acquire": "acquisition", "procure": "procurement", "select": "selection"}

# --- the discourse -------------------------------------------------------------------------------

FIRST_PERSON = {"i", "we", "our", "my", "us"}
# Modifiers that say nothing of what a policy is ("the first initiative", "a new strategy").
BLAND = {"first", "second", "third", "new", "major", "key", "important", "latest", "next", "current", "this",
          "that", "its", "their", "our", "his", "her", "same", "other", "such", "overall", "whole", "broader"}
THIRD_PERSON = {"he", "she"}


# Words that name an agreement (a pledge "to ratify the treaty" is the treaty's story, not a policy).
AGREEMENT_WORDS = {h.lower() for h in TREATY_HEADS} | {"treaty", "agreement", "accord", "pact", "memorandum", "roadmap",
                                                       "partnership", "alliance", "declaration", "framework", "charter"}
