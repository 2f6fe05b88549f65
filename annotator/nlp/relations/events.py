"""Event relations from the dependency parse: who (subject / agent) does what to whom.

A trigger is a verb, a noun or a phrase of the lexicon. Its actor is the subject (the
"by" agent in the passive; the shared subject of coordinated verbs; the noun a relative
clause or participle hangs on; the object of a governing "call on X to ..."; else the
nearest governing verb's subject), its recipient the object, a prepositional object, or
the subject of its clause ("demands that Maduro step down"). Verbs the lexicon does not
know still yield untyped candidates, which only project memory can type.
"""

from __future__ import annotations

from collections.abc import Iterator

from annotator.nlp.relations.base import CLAUSE_DEPS, PATIENT_PREPS, Candidate, Ent, Sentence
from annotator.nlp.relations.lexicon import Lexicon
from annotator.nlp.relations.parsed import Tok

_VERBISH = ("VERB", "AUX")
_RELATIVE = ("which", "who", "that", "whom")
_PRONOUNS = ("it", "they", "he", "she", "its", "their", "his", "her")
_CARRY_WEAPONS = ("MOBILIZE", "AID", "SUPPORT", "OPERATES", "COOPERATE")


def event_candidates(s: Sentence, lex: Lexicon) -> Iterator[Candidate]:
    if len(s.ents) < 2:
        return
    yield from _phrases(s, lex)
    for t in s.toks:
        if t.i in s.tok_ent or t.dep in ("amod", "compound"):  # "state-backed", not a verb here
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
        if t.dep == "acl" and s.inside(t.head) and not agents:
            if t.tag == "VBN":  # "troops sent by Russia"
                patients = patients or [t.head]
                agents = [o.i for a in p.kids(t.i, "agent") for o in p.kids(a.i, "pobj")]
            else:  # "the secretary of state, Mike Pompeo, called on Russia"
                agents = [t.head]
    if via is not None:
        patients = _pobjs(s, via) or patients
    else:
        patients += [o for k in p.kids(t.i, "prep") if k.lemma in PATIENT_PREPS
                     for o in _pobjs(s, k.i)]
    patients += [c.i for k in p.kids(t.i, *CLAUSE_DEPS, "advcl")
                 if k.dep != "advcl" or any(m.lower == "for" for m in p.kids(k.i, "mark"))
                 for c in p.kids(k.i, "nsubj")]
    patients = [i for i in patients if i != keyed]  # "send troops": troops is the key
    if not patients and label:
        patients = _next_entity(s, t.i)
    if not agents and not passive:
        agents = _inherited_subject(s, t)
    agents = [_resolve(s, t, i) for i in agents]
    heads, children = s.args(agents), s.args(patients)
    if reverse:
        heads, children = children, heads
    trigger = key or t.lemma
    why = f"verb '{trigger}'" if label else ""
    for h in heads:
        for c in children:
            if h != c:
                lab = "OPERATES" if c.label == "WEAPON" and label in _CARRY_WEAPONS else label
                yield Candidate(h, c, lab, "rule", trigger, why, anchor=t.i)


def _pobjs(s: Sentence, prep: int) -> list[int]:
    """Objects of a preposition, through a second one ("outside of Caracas")."""
    out = [o.i for o in s.p.kids(prep, "pobj")]
    if not out:
        out = [o.i for k in s.p.kids(prep, "prep", "pcomp") for o in s.p.kids(k.i, "pobj")]
    return out


def _verb_type(s: Sentence, t: Tok, lex: Lexicon) -> tuple[str, str, int | None, int]:
    """(type, lexicon key, preposition token the key names, token the key consumed).

    Type and key are "" for a verb the lexicon does not know. Keys are tried from the
    most specific: verb + particle / preposition / object / clause marker ("call for
    Maduro to step down", "tell Russia to get out"), then the verb alone.
    """
    p = s.p
    extra = [(k, k.dep == "prep") for k in p.kids(t.i, "prt", "prep", "dobj", "advmod")]
    extra += [(m, False) for k in p.kids(t.i, "xcomp", "ccomp", "advcl")
              for m in p.kids(k.i, "mark", "aux") if m.lower in ("for", "to", "that")]
    for k, is_prep in extra:
        for word in {k.lemma, k.lower}:
            key = f"{t.lemma} {word}"
            for table in (lex.verbs, lex.reverse):
                if key in table:
                    return table[key], key, (k.i if is_prep else None), k.i
    for table in (lex.verbs, lex.reverse):
        if t.lemma in table:
            return table[t.lemma], t.lemma, None, -1
    return "", "", None, -1


def _inherited_subject(s: Sentence, t: Tok, skip: frozenset[int] = frozenset()) -> list[int]:
    """The actor of a verb or noun without a subject of its own, from what governs it."""
    p = s.p
    if t.dep == "relcl" and s.inside(t.head):  # "Russia, which backs Maduro"
        return [t.head]
    cur, hops = t, 0
    while hops < 4 and cur.head != cur.i and s.inside(cur.head):
        dep, cur, hops = cur.dep, p.toks[cur.head], hops + 1
        if cur.pos in _VERBISH:
            if dep == "xcomp":  # object control: "called on Russia to cease", "urged X to"
                objs = [k.i for k in p.kids(cur.i, "dobj") if k.i in s.tok_ent]
                objs += [o for k in p.kids(cur.i, "prep") if k.lemma == "on"
                         for o in _pobjs(s, k.i)]
                if objs:
                    return objs
            subj = [k.i for k in p.kids(cur.i, "nsubj") if k.i not in skip]
            if subj:
                if p.toks[subj[0]].lower in _RELATIVE and cur.dep == "relcl":
                    return [cur.head]
                return subj
        elif cur.pos in ("NOUN", "PROPN") and cur.i not in s.tok_ent:
            owner = [k.i for k in p.kids(cur.i, "poss", "compound") if k.i in s.tok_ent]
            if owner:  # "US moves to sanction Maduro"
                return owner
    return []


def _resolve(s: Sentence, t: Tok, i: int) -> int:
    """Relative and personal pronouns as the entity they stand for, in the same sentence."""
    tok = s.p.toks[i]
    if tok.lower in _RELATIVE and t.dep == "relcl" and s.inside(t.head):
        return t.head
    if tok.pos != "PRON" or tok.lower not in _PRONOUNS:
        return i
    for j in _inherited_subject(s, s.p.toks[tok.head] if tok.dep == "poss" else t):
        if j in s.tok_ent and j != i:
            return j
    return i


def _next_entity(s: Sentence, i: int) -> list[int]:
    """The parse found no object: an entity right after the verb ("demands that Maduro")."""
    for j in range(i + 1, min(i + 4, s.end)):
        t = s.p.toks[j]
        if j in s.tok_ent:
            return [j]
        if t.lower not in ("that", "the", "on", "for"):
            return []
    return []


def _noun(s: Sentence, t: Tok, lex: Lexicon) -> Iterator[Candidate]:
    p = s.p
    preps = list(p.kids(t.i, "prep"))
    label, key = "", ""
    for k in [*preps, *p.kids(t.i, "amod")]:
        for cand in (f"{t.lemma} {k.lemma}", f"{k.lemma} {t.lemma}"):
            if cand in lex.nouns:
                label, key = lex.nouns[cand], cand
    if not label and t.lemma in lex.nouns:
        label, key = lex.nouns[t.lemma], t.lemma
    if not label:
        return
    agents = [k.i for k in p.kids(t.i, "poss", "compound", "amod")
              if k.i in s.tok_ent or k.lower in _PRONOUNS]
    agents = [_resolve(s, t, i) for i in agents]
    agents += [o for k in preps if k.lemma in ("by", "from") for o in _pobjs(s, k.i)]
    patients = [o for k in preps if k.lemma in PATIENT_PREPS and k.lemma != "from"
                for o in _pobjs(s, k.i)]
    between = [o for k in preps if k.lemma == "between" for o in _pobjs(s, k.i)]
    if between:  # "tensions between Russia and the U.S."
        ends = s.args(between)
        for a, b in zip(ends, ends[1:], strict=False):
            yield Candidate(a, b, label, "rule", key, f"noun '{key}'", anchor=t.i)
        return
    around: list[int] = []
    if t.dep == "appos" and s.inside(t.head):
        around = [t.head]
    elif t.dep in ("attr", "pobj", "dobj"):
        around = _inherited_subject(s, t)
    if not agents:
        agents = around
    elif not patients and t.dep in ("attr", "appos"):
        patients = around  # "Venezuela has been Russia's biggest partner"
    for h in s.args(agents, norp=True):
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
            inside = frozenset(range(anchor, anchor + n))
            agents = [c.i for i in inside for c in s.p.kids(i, "nsubj") if c.i not in inside]
            agents = agents or _inherited_subject(s, s.p.toks[anchor], inside)
            after = [e for e in s.ents if e.start >= s.p.toks[anchor + n - 1].end]
            text = " ".join(phrase)
            for h in s.args(agents):
                for c in _first_other(after, h):
                    yield Candidate(h, c, label, "rule", text, f"phrase '{text}'",
                                    dict(lex.phrase_attrs.get(phrase, {})), anchor=anchor)


def _first_other(ents: list[Ent], h: Ent) -> list[Ent]:
    for e in sorted(ents, key=lambda e: e.start):
        if e != h and e.label != "NORP":
            return [e]
    return []
