"""Standing relations from noun-phrase patterns: titles, apposition, location, possession.

* "Venezuelan President Nicolas Maduro", "Russia's deputy foreign minister Sergei Ryabkov",
  "Igor Sechin, Rosneft's chief", "head of X", "an expert at X": a title next to a PERSON
  gives LEADER_OF (leader titles) or ROLE_IN (role titles) to the first GPE/ORG there,
  NATIONALITY to a NORP; "the directorate of Russia's armed forces": SUBORDINATE_TO.
* "Maiquetia airport in Caracas", "north of Caracas", "Caracas, Venezuela", "Caracas,
  Venezuela's capital", "the Moscow-based Center": LOCATED_IN.
* "Russia's Foreign Ministry": SUBORDINATE_TO; "Russia's S-300s": OPERATES.
"""

from __future__ import annotations

from collections.abc import Iterator

from annotator.nlp.relations.base import NP_DEPS, Candidate, Ent, Sentence
from annotator.nlp.relations.lexicon import Lexicon

_AFFILIATION = ("GPE", "ORG", "MIL_UNIT", "ARMED_GROUP")
_PLACES = ("GPE", "LOC", "FAC")
_SUBORDINATE_TITLES = frozenset({"deputy", "vice"})
_DIRECTIONS = frozenset({"north", "south", "east", "west", "outside", "near", "northeast",
                         "northwest", "southeast", "southwest"})
_SEATS = frozenset({"capital", "city", "province", "region", "port", "state"})


def standing_candidates(s: Sentence, lex: Lexicon) -> Iterator[Candidate]:
    if len(s.ents) < 2:
        return
    p = s.p
    for e, h in s.ent_head.items():
        if e.label == "PERSON":
            yield from _titles(s, e, h, lex)
        if e.label != "NORP":
            yield from _located(s, e, h, lex)
        if e.label in ("ORG", "MIL_UNIT", "WEAPON"):
            for k in p.kids(h, "poss"):
                owner = s.tok_ent.get(k.i)
                if owner is None or owner == e:
                    continue
                if e.label == "WEAPON":
                    yield Candidate(owner, e, "OPERATES", "rule", "", "pattern: possessive")
                elif owner.label == "GPE":
                    yield Candidate(e, owner, "SUBORDINATE_TO", "rule", "",
                                    "pattern: possessive")


def _region(s: Sentence, root: int, skip: set[int], preps: tuple[str, ...]) -> list[int]:
    """Tokens of the noun phrase around ``root``, breadth first, with its "of" phrases."""
    out, queue = [], [root]
    while queue:
        j = queue.pop(0)
        if j in skip or not s.inside(j) or j in out:
            continue
        out.append(j)
        for k in s.p.kids(j):
            if k.dep in (*NP_DEPS, "det", "pobj", "case") or (k.dep == "prep"
                                                               and k.lemma in preps):
                queue.append(k.i)
    return out


def _titles(s: Sentence, person: Ent, h: int, lex: Lexicon) -> Iterator[Candidate]:
    p = s.p
    own = {i for i, e in s.tok_ent.items() if e == person}
    preps = ("of", "at")
    regions = [_region(s, h, set(), preps)]
    head = p.toks[h]
    if head.dep == "appos" and s.inside(head.head):  # "Rosneft's chief, Igor Sechin"
        regions.append(_region(s, head.head, set(p.subtree(h)), preps))
    regions += [_region(s, k.i, set(), preps) for k in p.kids(h, "appos")]
    titles_all = lex.leader_titles | lex.role_titles
    for region in regions:
        toks = [p.toks[i] for i in region if i not in own]
        words = {t.lemma for t in toks} | {t.lower for t in toks}
        titles = [t for t in toks if t.lemma in titles_all or t.lower in titles_all]
        if not titles:
            continue
        title = titles[0].lower
        leader = bool(words & lex.leader_titles) and not words & _SUBORDINATE_TITLES
        rtype = "LEADER_OF" if leader else "ROLE_IN"
        first: Ent | None = None
        seen: set[Ent] = set()
        for i in region:
            e = s.tok_ent.get(i)
            if e is None or e == person or e in seen:
                continue
            seen.add(e)
            why = f"pattern: title '{title}'"
            if e.label == "NORP":
                yield Candidate(person, e, "NATIONALITY", "rule", "", why)
            elif e.label in _AFFILIATION and first is None:
                first = e
                yield Candidate(person, e, rtype, "rule", "", why)
            elif e.label in _AFFILIATION:  # "head of the directorate of Russia's armed forces"
                yield Candidate(first, e, "SUBORDINATE_TO", "rule", "", "pattern: 'X of Y'")


def _located(s: Sentence, e: Ent, h: int, lex: Lexicon) -> Iterator[Candidate]:
    p = s.p
    hosts = [h]
    if p.toks[h].dep == "compound" and s.inside(p.toks[h].head) and p.toks[h].head not in s.tok_ent:
        hosts.append(p.toks[h].head)  # "Wagner Group paramilitaries active in Syria"
    preps = [k for x in hosts for k in p.kids(x, "prep") if k.lemma in lex.location_preps]
    preps += [k for x in hosts for a in p.kids(x, "amod", "advmod", "npadvmod")
              if a.lower in _DIRECTIONS or a.pos == "ADJ" for k in p.kids(a.i, "prep")
              if k.lemma in lex.location_preps or (k.lemma == "of" and a.lower in _DIRECTIONS)]
    for k in preps:
        for o in p.kids(k.i, "pobj"):
            place = s.tok_ent.get(o.i)
            if place and place != e and place.label in _PLACES:
                yield Candidate(e, place, "LOCATED_IN", "rule", "", f"pattern: '{k.lower}' + place")
    tok = p.toks[h]
    if e.label == "GPE":
        for a in p.kids(h, "appos"):  # "Caracas, Venezuela's capital"
            if a.lemma in _SEATS:
                for k in p.kids(a.i, "poss"):
                    country = s.tok_ent.get(k.i)
                    if country and country != e and country.label == "GPE":
                        yield Candidate(e, country, "LOCATED_IN", "rule", "",
                                        f"pattern: '{a.lower}' of place")
        if tok.dep == "appos" and s.inside(tok.head):  # "Caracas, Venezuela"
            outer = s.tok_ent.get(tok.head)
            before = [t for t in p.toks[s.start:s.end] if t.end <= e.start]
            if outer and outer != e and outer.label in ("GPE", "FAC") and before \
                    and before[-1].lower == ",":
                yield Candidate(outer, e, "LOCATED_IN", "rule", "", "pattern: 'place, country'")
    if e.label in ("GPE", "LOC"):  # "the Moscow-based Center"
        after = [t for t in p.toks[s.start:s.end] if t.start >= e.end][:2]
        if after and after[-1].lower == "based":
            target = p.toks[after[-1].head]
            org = s.tok_ent.get(target.i)
            if org is None and target.dep == "appos":
                org = s.tok_ent.get(target.head)
            if org and org != e and org.label not in ("NORP", "GPE"):
                yield Candidate(org, e, "LOCATED_IN", "rule", "", "pattern: '-based'")
