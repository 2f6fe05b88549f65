"""Relation attributes read around the trigger: negated, modality.

* negated: "not", "never", "n't" on the trigger, or a negating governor ("denied
  sending", "refused to recognize");
* hypothetical: a modal ("would", "could", "may") or an "if" clause;
* future: "will", or a governor such as "plans to" / "is set to";
* reported-claim: the trigger sits in the clause of a reporting verb ("said", "claimed",
  "alleged", "is believed to") or the sentence says "according to".
"""

from __future__ import annotations

from typing import Any

from annotator.nlp.relations.base import Sentence
from annotator.nlp.relations.lexicon import Lexicon

_CLAUSAL = ("ccomp", "xcomp", "advcl", "conj", "relcl", "acl", "pcomp", "pobj", "prep")


def attributes(s: Sentence, anchor: int, lex: Lexicon) -> dict[str, Any]:
    if anchor < 0:
        return {}
    p = s.p
    t = p.toks[anchor]
    out: dict[str, Any] = {}
    kids = list(p.kids(anchor))
    if t.dep == "attr" and s.inside(t.head):  # "Venezuela isn't Russia's ally": the copula's
        kids += list(p.kids(t.head))
    if any(k.dep == "neg" or k.lower in lex.cue("negation") for k in kids
           if k.dep in ("neg", "advmod", "det")):
        out["negated"] = True
    modality = ""
    for k in kids:
        if k.dep in ("aux", "auxpass", "mark", "advmod"):
            if k.lower in lex.cue("hypothetical"):
                modality = "hypothetical"
            elif k.lower in lex.cue("future") and not modality:
                modality = "future"
    cur, hops = t, 0
    while not modality and hops < 4 and cur.head != cur.i and s.inside(cur.head):
        dep, cur, hops = cur.dep, p.toks[cur.head], hops + 1
        if dep not in _CLAUSAL:
            break
        if cur.lemma in lex.cue("negating_verbs") and hops == 1 and dep in ("xcomp", "ccomp"):
            out["negated"] = not out.get("negated", False)
        if dep in ("xcomp", "ccomp", "conj") and any(
                k.dep == "aux" and k.lower in lex.cue("hypothetical") for k in p.kids(cur.i)):
            modality = "hypothetical"  # "could be planning to establish a base"
            break
        if any(k.dep == "mark" and k.lower in ("if", "unless") for k in p.kids(cur.i)):
            modality = "hypothetical"
        elif cur.lemma in lex.cue("future_verbs") and dep == "xcomp":
            modality = "future"
        elif cur.lemma in lex.cue("hypothetical_verbs") and dep in ("xcomp", "ccomp"):
            modality = "hypothetical"
        elif cur.lemma in lex.cue("reporting_verbs") and dep in ("ccomp", "xcomp"):
            modality = "reported-claim"
    if not modality:
        text = " ".join(x.lower for x in s.toks)
        if any(f" {ph} " in f" {text} " for ph in lex.cue("reporting_phrases")):
            modality = "reported-claim"
    if modality:
        out["modality"] = modality
    return out
