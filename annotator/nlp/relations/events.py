"""Event relations from the dependency parse: who (subject / agent) does what to whom.

A trigger is a verb, a noun or a phrase of the lexicon. Its actor is the subject (the
"by" agent in the passive; the shared subject of coordinated verbs; the noun a relative
clause hangs on; else the nearest governing verb's subject), its recipient the object,
a prepositional object, or the subject of its clause ("demands that Maduro step down").
Verbs the lexicon does not know still yield untyped candidates, which only project
memory can type.
"""

from __future__ import annotations

from collections.abc import Iterator

from annotator.nlp.relations.base import CLAUSE_DEPS, PATIENT_PREPS, Candidate, Ent, Sentence
from annotator.nlp.relations.lexicon import Lexicon
from annotator.nlp.relations.parsed import Tok

_SUBJ = ("nsubj", "nsubjpass", "csubj")
_VERBISH = ("VERB", "AUX")


def event_candidates(s: Sentence, lex: Lexicon) -> Iterator[Candidate]:
    if len(s.ents) < 2:
        return
    yield from _phrases(s, lex)
    for t in s.toks:
        if t.i in s.tok_ent:
            continue
        if t.pos in _VERBISH or _misparsed_verb(s, t, lex):
            yield from _verb(s, t, lex)
        elif t.pos == "NOUN":
            yield from _noun(s, t, lex)


def _misparsed_verb(s: Sentence, t: Tok, lex: Lexicon) -> bool:
    """A lexicon verb tagged as a noun right after "and" ("... and demands that ...")."""
    if t.lemma not in lex.verbs or t.tag not in ("NNS", "VBZ") or t.i == s.start:
        return False
    return s.p.toks[t.i - 1].lower in ("and", "but", "while")


def _verb(s: Sentence, t: Tok, lex: Lexicon) -> Iterator[Candidate]:
    p = s.p
    passive = any(k.dep in ("nsubjpass", "auxpass") for k in p.kids(t.i))
    label, key, via, keyed = _verb_type(s, t, lex)
    reverse = key in lex.reverse
    if passive:
        agents = [o.i for a in p.kids(t.i, "agent") for o in p.kids(a.i, "pobj")]
        patients = [k.i for k in p.kids(t.i, "nsubjpass")]
    else:
        agents = [k.i for k in p.kids(t.i, "nsubj")]
        patients = [k.i for k in p.kids(t.i, "dobj", "dative")]
        if not patients and t.dep == "acl" and t.tag == "VBN":  # "troops sent by Russia"
            patients = [t.head]
            agents = [o.i for a in p.kids(t.i, "agent") for o in p.kids(a.i, "pobj")]
    if via is not None:
        patients = [o.i for o in p.kids(via, "pobj")] or patients
    else:
        patients += [o.i for k in p.kids(t.i, "prep") if k.lemma in PATIENT_PREPS
                     for o in p.kids(k.i, "pobj")]
    patients += [c.i for k in p.kids(t.i, *CLAUSE_DEPS)
                 for c in p.kids(k.i, "nsubj")]
    patients = [i for i in patients if i != keyed]  # "send troops": troops is the key
    if not patients and label:
        patients = _next_entity(s, t.i)
    if not agents:
        agents = _inherited_subject(s, t)
    agents = [t.head if t.dep == "relcl" and p.toks[i].lower in ("which", "who", "that")
              else _resolve_pronoun(s, i) for i in agents]
    heads, children = s.args(agents), s.args(patients)
    if reverse:
        heads, children = children, heads
    trigger = key or t.lemma
    for h in heads:
        for c in children:
            if h != c:
                yield Candidate(h, c, label, "rule", trigger,
                                f"verb '{trigger}'" if label else "", anchor=t.i)


def _verb_type(s: Sentence, t: Tok, lex: Lexicon) -> tuple[str, str, int | None, int]:
    """(type, lexicon key, preposition token the key names, token the key consumed).

    Type and key are "" for a verb the lexicon does not know.
    """
    for k in s.p.kids(t.i, "prt", "prep", "dobj", "advmod"):
        key = f"{t.lemma} {k.lemma}"
        for table in (lex.verbs, lex.reverse):
            if key in table:
                return table[key], key, (k.i if k.dep == "prep" else None), k.i
    for table in (lex.verbs, lex.reverse):
        if t.lemma in table:
            return table[t.lemma], t.lemma, None, -1
    return "", "", None, -1


def _inherited_subject(s: Sentence, t: Tok, skip: frozenset[int] = frozenset()) -> list[int]:
    p = s.p
    if t.dep == "relcl" and s.inside(t.head):  # "Russia, which backs Maduro"
        return [t.head]
    cur, hops = t, 0
    while hops < 4 and cur.head != cur.i and s.inside(cur.head):
        cur, hops = p.toks[cur.head], hops + 1
        if cur.pos in _VERBISH:
            subj = [k.i for k in p.kids(cur.i, "nsubj") if k.i not in skip]
            if subj:
                return subj
    return []


def _next_entity(s: Sentence, i: int) -> list[int]:
    """The parse found no object: an entity right after the verb ("demands that Maduro")."""
    for j in range(i + 1, min(i + 4, s.end)):
        t = s.p.toks[j]
        if j in s.tok_ent:
            return [j]
        if t.pos in ("PUNCT", "VERB", "CCONJ") or t.lower not in ("that", "the", "on", "for"):
            return []
    return []


def _resolve_pronoun(s: Sentence, i: int) -> int:
    """ "Russia said it had sent ...": a pronoun subject is the governing verb's subject."""
    t = s.p.toks[i]
    if t.pos != "PRON" or t.lower not in ("it", "they", "he", "she"):
        return i
    for j in _inherited_subject(s, s.p.toks[t.head]):
        if j in s.tok_ent:
            return j
    return i


def _noun(s: Sentence, t: Tok, lex: Lexicon) -> Iterator[Candidate]:
    p = s.p
    preps = [k for k in p.kids(t.i, "prep")]
    label, key = "", ""
    for k in preps:
        if f"{t.lemma} {k.lemma}" in lex.nouns:
            label, key = lex.nouns[f"{t.lemma} {k.lemma}"], f"{t.lemma} {k.lemma}"
    if not label and t.lemma in lex.nouns:
        label, key = lex.nouns[t.lemma], t.lemma
    if not label:
        return
    agents = [k.i for k in p.kids(t.i, "poss", "compound", "amod") if k.i in s.tok_ent]
    if not agents:
        if t.dep == "appos" and s.inside(t.head):
            agents = [t.head]
        elif t.dep in ("attr", "pobj", "dobj"):
            agents = _inherited_subject(s, t)
    patients = [o.i for k in preps if k.lemma in PATIENT_PREPS for o in p.kids(k.i, "pobj")]
    for h in s.args(agents):
        for c in s.args(patients):
            if h != c:
                yield Candidate(h, c, label, "rule", key, f"noun '{key}'", anchor=t.i)


def _phrases(s: Sentence, lex: Lexicon) -> Iterator[Candidate]:
    lowers = [t.lower.strip("“”\"'") for t in s.toks]
    for phrase, label in lex.phrases.items():
        n = len(phrase)
        for k in range(len(lowers) - n + 1):
            if tuple(lowers[k:k + n]) != phrase:
                continue
            anchor = s.start + k
            inside = set(range(anchor, anchor + n))
            agents = _inherited_subject(s, s.p.toks[anchor], frozenset(inside))
            after = [e for e in s.ents if e.start >= s.p.toks[anchor + n - 1].end]
            heads = s.args(agents)
            text = " ".join(phrase)
            for h in heads:
                for c in _first_other(after, h):
                    yield Candidate(h, c, label, "rule", text, f"phrase '{text}'",
                                    dict(lex.phrase_attrs.get(phrase, {})), anchor=anchor)


def _first_other(ents: list[Ent], h: Ent) -> list[Ent]:
    for e in sorted(ents, key=lambda e: e.start):
        if e != h and e.label != "NORP":
            return [e]
    return []
