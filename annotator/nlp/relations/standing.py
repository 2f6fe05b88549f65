"""Standing relations from noun-phrase patterns: titles, apposition, location, possession.

* "Venezuelan President Nicolas Maduro", "Russia's deputy foreign minister Sergei Ryabkov",
  "Igor Sechin, Rosneft's chief", "head of X": a title next to a PERSON gives LEADER_OF
  (leader titles) or ROLE_IN (role titles) to the GPE/ORG there, NATIONALITY to a NORP.
* "Maiquetia airport in Caracas", "Caracas, Venezuela": LOCATED_IN.
* "Russia's S-300s": OPERATES.
"""

from __future__ import annotations

from collections.abc import Iterator

from annotator.nlp.relations.base import NP_DEPS, Candidate, Ent, Sentence
from annotator.nlp.relations.lexicon import Lexicon

_AFFILIATION = ("GPE", "ORG", "MIL_UNIT", "ARMED_GROUP")
_PLACES = ("GPE", "LOC", "FAC")
_SUBORDINATE_TITLES = frozenset({"deputy", "vice"})


def standing_candidates(s: Sentence, lex: Lexicon) -> Iterator[Candidate]:
    if len(s.ents) < 2:
        return
    for e, h in s.ent_head.items():
        if e.label == "PERSON":
            yield from _titles(s, e, h, lex)
        if e.label != "NORP":
            yield from _located(s, e, h, lex)
        if e.label == "WEAPON":
            for k in s.p.kids(h, "poss"):
                owner = s.tok_ent.get(k.i)
                if owner and owner != e:
                    yield Candidate(owner, e, "OPERATES", "rule", "", "pattern: possessive")


def _region(s: Sentence, root: int, skip: set[int]) -> list[int]:
    """Tokens of the noun phrase modifying ``root``, with "of" phrases, minus ``skip``."""
    out, stack = [], [root]
    while stack:
        j = stack.pop()
        if j in skip or not s.inside(j):
            continue
        out.append(j)
        for k in s.p.kids(j):
            if k.dep in (*NP_DEPS, "det", "prep", "pobj", "case") and (k.dep != "prep"
                                                                       or k.lemma == "of"):
                stack.append(k.i)
    return out


def _titles(s: Sentence, person: Ent, h: int, lex: Lexicon) -> Iterator[Candidate]:
    p = s.p
    own = {i for i, e in s.tok_ent.items() if e == person}
    regions = [_region(s, h, set())]
    head = p.toks[h]
    if head.dep == "appos" and s.inside(head.head):  # "Rosneft's chief, Igor Sechin"
        regions.append(_region(s, head.head, set(p.subtree(h))))
    regions += [_region(s, k.i, set()) for k in p.kids(h, "appos")]  # "Sechin, Rosneft's chief"
    for region in regions:
        toks = [p.toks[i] for i in region if i not in own]
        words = {t.lemma for t in toks} | {t.lower for t in toks}
        titles = [t for t in toks if t.lemma in lex.leader_titles | lex.role_titles
                  or t.lower in lex.leader_titles | lex.role_titles]
        if not titles:
            continue
        title = titles[0].lower
        leader = bool(words & lex.leader_titles) and not words & _SUBORDINATE_TITLES
        rtype = "LEADER_OF" if leader else "ROLE_IN"
        seen: set[Ent] = set()
        for i in region:
            e = s.tok_ent.get(i)
            if e is None or e == person or e in seen:
                continue
            seen.add(e)
            if e.label == "NORP":
                yield Candidate(person, e, "NATIONALITY", "rule", "", f"pattern: title '{title}'")
            elif e.label in _AFFILIATION:
                yield Candidate(person, e, rtype, "rule", "", f"pattern: title '{title}'")


def _located(s: Sentence, e: Ent, h: int, lex: Lexicon) -> Iterator[Candidate]:
    p = s.p
    for k in p.kids(h, "prep"):
        if k.lemma in lex.location_preps:
            for o in p.kids(k.i, "pobj"):
                place = s.tok_ent.get(o.i)
                if place and place != e and place.label in _PLACES:
                    yield Candidate(e, place, "LOCATED_IN", "rule", "",
                                    f"pattern: '{k.lower}' + place")
    if e.label in ("GPE", "FAC", "LOC") and p.toks[h].dep == "appos":
        outer = s.tok_ent.get(p.toks[h].head)
        toks = p.toks
        comma = toks[h - 1].lower == "," if h > 0 else False
        if outer and outer != e and outer.label in ("GPE", "FAC") and e.label == "GPE" and comma:
            yield Candidate(outer, e, "LOCATED_IN", "rule", "", "pattern: 'place, country'")
