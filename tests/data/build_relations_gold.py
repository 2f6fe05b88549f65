"""Writes relations_gold.json from the hand annotations below (run it after editing them).

The annotations were made by reading the sample articles 003 and 004 (no model), after
docs/schema.md. Each relation names the sentence it is in (a snippet of the text), its
head and child by their text in that snippet ("text#2": the second occurrence there), the
type and the attributes; every occurrence of the snippet in the document's region gets it
(the articles repeat paragraphs). Gold entities are every occurrence of the names listed
in ENTITIES (whole words, longest first) plus the ends of the gold relations.

    python tests/data/build_relations_gold.py
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "projects" / "venezuela-2019"
OUT = Path(__file__).with_name("relations_gold.json")

# (document, first line of the region, last line of the region): 003 holds its articles
# twice, the second copy (from line 92) is left out; 004's reader comments are left out.
# 002 was annotated last, after the extraction rules were written and before running them
# on it: a held-out check ("split": "heldout"); 003 and 004 are the set ("dev"),
# which the rules were developed on.
DOCS = [("003_216fda9d4ad3e29a.txt", 1, 91, "dev"), ("004_9da43677d73d9e47.txt", 1, 76, "dev"),
        ("002_8ebd6bf6a5acdb52.txt", 1, 45, "heldout")]

ENTITIES = {
    "GPE": ["Russia", "Venezuela", "Caracas", "Moscow", "Washington", "U.S.", "US",
            "United States", "China", "Turkey", "Syria", "Ukraine", "Crimea", "Colombia",
            "America", "Belarus", "Kazakhstan", "Colombia", "Rome"],
    "NORP": ["Russian", "Venezuelan", "Venezuelans", "Russians", "Western", "Americans",
             "American", "Italian", "Syrians"],
    "PERSON": ["Donald Trump", "Trump", "Juan Guaido", "Juan Guaidó", "Guaido", "Guaidó",
               "Nicolas Maduro", "Nicolás Maduro", "Maduro", "Jose Rafael Torrealba Perez",
               "Maria Zakharova", "Dmitry Peskov", "Mike Pompeo", "Pompeo", "Robert Palladino",
               "Palladino", "Sergei Lavrov", "Sergey Lavrov", "Lavrov", "Javier Mayorca",
               "Mayorca", "Vasily Tonkoshkurov", "Vladimir Putin", "Putin", "Vladimir Rouvinski",
               "Igor Sechin", "Alexander Gabuev", "Tom Balmforth", "Maxim Rodionov",
               "Carlos Garcia Rawlins", "Polina Nikolskaya", "Gareth Jones", "Andrew Roth",
               "Carlos Jasso", "Alex Ward", "Vladimir Padrino", "Federico Parra",
               "Daria Litvinova", "Litvinova", "Bashar Assad", "Vladimir Frolov", "Frolov",
               "Tatyana Rusakova", "Rusakova", "Konstantin Makienko", "Makienko",
               "Ruslan Pukhov", "Bolton", "Elliot Abrams", "Abrams", "Sergei Ryabkov", "Ryabkov"],
    "ORG": ["Reuters", "Interfax", "Kremlin", "Trump administration", "state department",
            "State Department", "RIA Novosti", "Guardian", "CBS News", "Rosneft",
            "Wilson Center", "University of Cali", "Carnegie Moscow Center", "Financial Times",
            "Agence France-Presse", "Associated Press", "Russian foreign ministry",
            "Russian defence ministry", "Foreign Ministry", "National Assembly", "State Duma",
            "Centre for Analysis of Strategies and Technologies",
            "Center for Crisis Society Studies", "Maduro regime", "Maduro government",
            "Thomson Reuters", "The Military Times", "US State Department", "CIA"],
    "ARMED_GROUP": ["Wagner Group"],
    "MIL_UNIT": ["Russian air force", "Russian Air Force", "Venezuelan national guardsmen",
                 "mobilisation directorate", "Russian Armed Forces", "Russian Ground Forces"],
    "FAC": ["Maiquetía airport", "Maiquetia International Airport", "Oval Office",
            "Maiquetia airport"],
    "LOC": ["Caribbean", "Latin America", "Europe", "Middle East", "South America"],
    "WEAPON": ["TU-160", "Tupolev Tu-160", "Il-62", "An-124", "F-35", "Kalashnikov"],
}

RC = {"modality": "reported-claim"}
HYP = {"modality": "hypothetical"}
FUT = {"modality": "future"}
NEG = {"negated": True}

# (doc prefix, sentence snippet, head, head label, type, child, child label, attrs)
R003 = [
    ("Russia says it sent \"specialists\" to Venezuela, rebuffs Trump",
     "Russia", "GPE", "MOBILIZE", "Venezuela", "GPE", RC),
    ("Russia says it sent \"specialists\" to Venezuela, rebuffs Trump",
     "Russia", "GPE", "REJECT", "Trump", "PERSON", {}),
    ("Russia said on Thursday it had sent “specialists” to Venezuela",
     "Russia", "GPE", "MOBILIZE", "Venezuela", "GPE", RC),
    ("Russia said on Thursday it had sent “specialists” to Venezuela under a military cooperation"
     " deal but said they posed no threat to regional stability, brushing aside a call from U.S."
     " President Donald Trump", "Russia", "GPE", "REJECT", "Donald Trump", "PERSON", {}),
    ("Russia said on Thursday it had sent “specialists” to Venezuela under a military cooperation"
     " deal but said they posed no threat to regional stability, brushing aside a call from U.S."
     " President Donald Trump to remove", "Donald Trump", "PERSON", "REQUEST", "Russia", "GPE",
     {}),
    ("U.S. President Donald Trump", "Donald Trump", "PERSON", "LEADER_OF", "U.S.", "GPE", {}),
    ("Venezuelan opposition leader Juan Guaido, who many nations",
     "Juan Guaido", "PERSON", "NATIONALITY", "Venezuelan", "NORP", {}),
    ("political leaders in Caracas, Venezuela", "Caracas", "GPE", "LOCATED_IN", "Venezuela",
     "GPE", {}),
    ("Trump said on Wednesday that “all options” were open to make Russia pull troops",
     "Trump", "PERSON", "THREATEN", "Russia", "GPE", HYP),
    ("two Russian air force planes landed outside Caracas on Saturday",
     "Russian air force", "MIL_UNIT", "MOBILIZE", "Caracas", "GPE", RC),
    ("Russia has emerged as a staunch backer of President Nicolas Maduro",
     "Russia", "GPE", "SUPPORT", "Nicolas Maduro", "PERSON", {}),
    ("Venezuela’s military attache in Moscow said on Thursday Russia had sent “servicemen” to"
     " Venezuela", "Russia", "GPE", "MOBILIZE", "Venezuela#2", "GPE", RC),
    ("Russian foreign ministry spokeswoman Maria Zakharova",
     "Maria Zakharova", "PERSON", "ROLE_IN", "Russian foreign ministry", "ORG", {}),
    ("Kremlin spokesman Dmitry Peskov", "Dmitry Peskov", "PERSON", "ROLE_IN", "Kremlin", "ORG",
     {}),
    ("Russia and China have backed Maduro", "Russia", "GPE", "SUPPORT", "Maduro", "PERSON", {}),
    ("Russia and China have backed Maduro", "China", "GPE", "SUPPORT", "Maduro", "PERSON", {}),
    ("the United States and most other Western countries support opposition leader Juan Guaido",
     "United States", "GPE", "SUPPORT", "Juan Guaido", "PERSON", {}),
    ("U.S. stalls F-35 supplies to Turkey", "U.S.", "GPE", "SANCTION", "Turkey", "GPE", {}),
    ("Guaido invoked the constitution to assume Venezuela’s interim presidency, arguing that"
     " Maduro’s", "Guaido", "PERSON", "ACCUSE", "Maduro", "PERSON", {}),
    ("Maduro, who retains control of state functions and the country’s military, has said Guaido",
     "Maduro", "PERSON", "ACCUSE", "Guaido", "PERSON", {}),
    ("Russian military arrive in Venezuela", "Russian military", "MIL_UNIT", "MOBILIZE",
     "Venezuela", "GPE", {}),
    ("signals Moscow’s support for embattled Maduro", "Moscow", "GPE", "SUPPORT", "Maduro",
     "PERSON", {}),
    ("Maiquetía airport in Caracas, Venezuela", "Maiquetía airport", "FAC", "LOCATED_IN",
     "Caracas", "GPE", {}),
    ("Maiquetía airport in Caracas, Venezuela", "Caracas", "GPE", "LOCATED_IN", "Venezuela",
     "GPE", {}),
    ("Moscow’s support for the country’s embattled president, Nicolás Maduro",
     "Moscow", "GPE", "SUPPORT", "Nicolás Maduro", "PERSON", {}),
    ("spotted at Maiquetía airport outside Caracas", "Maiquetía airport", "FAC", "LOCATED_IN",
     "Caracas", "GPE", {}),
    ("the US secretary of state, Mike Pompeo, called on Russia", "Mike Pompeo", "PERSON",
     "ROLE_IN", "US", "GPE", {}),
    ("the US secretary of state, Mike Pompeo, called on Russia", "Mike Pompeo", "PERSON",
     "REQUEST", "Russia", "GPE", RC),
    ("called on Russia to “cease its unconstructive behaviour” by supporting Maduro",
     "Russia", "GPE", "SUPPORT", "Maduro", "PERSON", RC),
    ("The state department spokesman Robert Palladino", "Robert Palladino", "PERSON", "ROLE_IN",
     "state department", "ORG", {}),
    ("said Pompeo had spoken to the Russian foreign minister, Sergei Lavrov",
     "Pompeo", "PERSON", "CONSULT", "Sergei Lavrov", "PERSON", RC),
    ("the Russian foreign minister, Sergei Lavrov", "Sergei Lavrov", "PERSON", "NATIONALITY",
     "Russian", "NORP", {}),
    ("Russian foreign minister Lavrov that", "Lavrov", "PERSON", "NATIONALITY", "Russian",
     "NORP", {}),
    ("the United States and regional countries will not stand idly by as Russia",
     "United States", "GPE", "THREATEN", "Russia", "GPE", RC),
    ("condemned Russian military support for the “illegitimate regime of Nicolás Maduro”",
     "Russian", "NORP", "AID", "Nicolás Maduro", "PERSON", {}),
    ("for Wagner Group paramilitaries active in Syria", "Wagner Group", "ARMED_GROUP",
     "LOCATED_IN", "Syria", "GPE", {}),
    ("Russia’s military has been accused of using its aircraft to provide logistics for private"
     " military companies, in particular for Wagner Group", "Russia", "GPE", "AID",
     "Wagner Group", "ARMED_GROUP", RC),
    ("a Russian air force plane, apparently headed to Caracas", "Russian air force", "MIL_UNIT",
     "MOBILIZE", "Caracas", "GPE", {}),
    ("Javier Mayorca, a Venezuelan journalist", "Javier Mayorca", "PERSON", "NATIONALITY",
     "Venezuelan", "NORP", {}),
    ("Gen Vasily Tonkoshkurov, head of the mobilisation directorate", "Vasily Tonkoshkurov",
     "PERSON", "LEADER_OF", "mobilisation directorate", "MIL_UNIT", {}),
    ("the mobilisation directorate of Russia’s armed forces", "mobilisation directorate",
     "MIL_UNIT", "SUBORDINATE_TO", "Russia", "GPE", {}),
    ("Russia backs Maduro, who has rejected demands from the US", "Russia", "GPE", "SUPPORT",
     "Maduro", "PERSON", {}),
    ("Russia backs Maduro, who has rejected demands from the US", "Maduro", "PERSON", "REJECT",
     "US", "GPE", {}),
    ("Russia backs Maduro, who has rejected demands from the US", "US", "GPE", "REQUEST",
     "Maduro", "PERSON", {}),
    ("Russia and China are the main allies of Venezuela", "Russia", "GPE", "ALLIED_WITH",
     "Venezuela", "GPE", {}),
    ("Russia and China are the main allies of Venezuela", "China", "GPE", "ALLIED_WITH",
     "Venezuela", "GPE", {}),
    ("Russia has also vocally opposed US moves", "Russia", "GPE", "ACCUSE", "US", "GPE", {}),
    ("US moves to sanction Maduro", "US", "GPE", "SANCTION", "Maduro", "PERSON", {}),
    ("US moves to sanction Maduro and his government, and to recognise the opposition leader,"
     " Juan Guaidó", "US", "GPE", "SUPPORT", "Juan Guaidó", "PERSON", {}),
    ("US moves against Caracas have ratcheted up in recent weeks, with Donald Trump warning",
     "Donald Trump", "PERSON", "THREATEN", "Caracas", "GPE", HYP),
    ("US sanctions are set to escalate with a ban on crude oil imports from Venezuela",
     "US", "GPE", "SANCTION", "Venezuela", "GPE", FUT),
    ("Russia has previously signalled its support for Maduro", "Russia", "GPE", "SUPPORT",
     "Maduro", "PERSON", {}),
    ("Russia has previously signalled its support for Maduro by sending two TU-160 bombers to"
     " Venezuela", "Russia", "GPE", "MOBILIZE", "Venezuela", "GPE", {}),
    ("Russia has previously signalled its support for Maduro by sending two TU-160 bombers",
     "Russia", "GPE", "OPERATES", "TU-160", "WEAPON", {}),
    ("Russia’s president, Vladimir Putin", "Vladimir Putin", "PERSON", "LEADER_OF", "Russia",
     "GPE", {}),
    ("Vladimir Putin, has a record of ordering his military – or paramilitary – forces into"
     " several theatres to challenge US strategies, notably in Syria and Ukraine",
     "Vladimir Putin", "PERSON", "MOBILIZE", "Syria", "GPE", {}),
    ("Vladimir Putin, has a record of ordering his military – or paramilitary – forces into"
     " several theatres to challenge US strategies, notably in Syria and Ukraine",
     "Vladimir Putin", "PERSON", "MOBILIZE", "Ukraine", "GPE", {}),
    ("Russia could be planning to establish a base in Venezuela", "Russia", "GPE", "MOBILIZE",
     "Venezuela", "GPE", HYP),
    ("Trump, who has routinely avoided criticising Putin", "Trump", "PERSON", "ACCUSE", "Putin",
     "PERSON", NEG),
    ("Why Russia just sent troops to Venezuela", "Russia", "GPE", "MOBILIZE", "Venezuela", "GPE",
     {}),
    ("upon landing at Maiquetia International Airport, just north of Caracas",
     "Maiquetia International Airport", "FAC", "LOCATED_IN", "Caracas", "GPE", {}),
    ("Russian Air Force personnel stand in front of a supersonic bomber aircraft upon landing at"
     " Maiquetia International Airport", "Russian Air Force", "MIL_UNIT", "MOBILIZE",
     "Maiquetia International Airport", "FAC", {}),
    ("Russia recently sent two military planes full of troops and equipment to Venezuela",
     "Russia", "GPE", "MOBILIZE", "Venezuela", "GPE", {}),
    ("Around 100 Russians landed outside of Caracas", "Russians", "NORP", "MOBILIZE", "Caracas",
     "GPE", {}),
    ("outside of Caracas, Venezuela’s capital", "Caracas", "GPE", "LOCATED_IN", "Venezuela",
     "GPE", {}),
    ("help Venezuelan President Nicolás Maduro", "Nicolás Maduro", "PERSON", "NATIONALITY",
     "Venezuelan", "NORP", {}),
    ("While Russia has in the past sent a few advisers to Venezuela", "Russia", "GPE", "MOBILIZE",
     "Venezuela", "GPE", RC),
    ("the 100 or so Russians are in Venezuela to help themselves, not Maduro", "Russians", "NORP",
     "AID", "Maduro", "PERSON", NEG),
    ("Moscow might intervene militarily in Venezuela’s crisis like it did in Syria", "Moscow",
     "GPE", "ASSAULT", "Venezuela", "GPE", HYP),
    ("Moscow might intervene militarily in Venezuela’s crisis like it did in Syria", "Moscow",
     "GPE", "ASSAULT", "Syria", "GPE", {}),
    ("the Trump administration, joined by governments in Latin America and Europe, has called for"
     " Maduro", "Trump administration", "ORG", "REQUEST", "Maduro", "PERSON", {}),
    ("The US and others now recognize Guaidó", "US", "GPE", "SUPPORT", "Guaidó", "PERSON", {}),
    ("said Russian President Vladimir Putin", "Vladimir Putin", "PERSON", "NATIONALITY",
     "Russian", "NORP", {}),
    ("the Kremlin insists it has a right to send Russian troops to Venezuela", "Kremlin", "ORG",
     "MOBILIZE", "Venezuela", "GPE", HYP),
    ("Secretary of State Mike Pompeo told Russian Foreign Minister Sergei Lavrov",
     "Mike Pompeo", "PERSON", "CONSULT", "Sergei Lavrov", "PERSON", RC),
    ("Russian Foreign Minister Sergei Lavrov in a March 25 call", "Sergei Lavrov", "PERSON",
     "NATIONALITY", "Russian", "NORP", {}),
    ("that America “will not stand idly by as Russia", "America", "GPE", "THREATEN", "Russia",
     "GPE", RC),
    ("seated alongside Guaidó’s wife in the Oval Office, President Donald Trump said, “Russia has"
     " to get out”", "Donald Trump", "PERSON", "REQUEST", "Russia", "GPE", {}),
    ("seated alongside Guaidó’s wife in the Oval Office, President Donald Trump", "Donald Trump",
     "PERSON", "LOCATED_IN", "Oval Office", "FAC", {}),
    ("The US focus on Venezuela, long a target of anti-socialists in the United States, has led it"
     " into a small-scale proxy war with Russia", "US", "GPE", "HOSTILE_TO", "Russia", "GPE", {}),
    ("Russia built and maintained its friendship with Venezuela", "Russia", "GPE", "ALLIED_WITH",
     "Venezuela", "GPE", {}),
    ("Vladimir Rouvinski, an expert on Russia-Venezuela relations at Colombia’s University of Cali",
     "Vladimir Rouvinski", "PERSON", "ROLE_IN", "University of Cali", "ORG", {}),
    ("Colombia’s University of Cali", "University of Cali", "ORG", "LOCATED_IN", "Colombia",
     "GPE", {}),
    ("the Wilson Center in Washington", "Wilson Center", "ORG", "LOCATED_IN", "Washington", "GPE",
     {}),
    ("Russia’s national oil company, Rosneft", "Rosneft", "ORG", "SUBORDINATE_TO", "Russia", "GPE",
     {}),
    ("Igor Sechin, Rosneft’s chief", "Igor Sechin", "PERSON", "LEADER_OF", "Rosneft", "ORG", {}),
    ("Alexander Gabuev, an expert at the Carnegie Moscow Center", "Alexander Gabuev", "PERSON",
     "ROLE_IN", "Carnegie Moscow Center", "ORG", {}),
]

R004 = [
    ("Russia Is Sending Troops and Military Equipment to Venezuela", "Russia", "GPE", "MOBILIZE",
     "Venezuela", "GPE", {}),
    ("has fueled tensions between Russia and the U.S.", "Russia", "GPE", "HOSTILE_TO", "U.S.",
     "GPE", {}),
    ("has fuelled tensions between Russia and the U.S.", "Russia", "GPE", "HOSTILE_TO", "U.S.",
     "GPE", {}),
    ("Venezuelan Defense Minister Vladimir Padrino", "Vladimir Padrino", "PERSON", "NATIONALITY",
     "Venezuelan", "NORP", {}),
    ("two Russian Tupolev Tu-160", "Russian", "NORP", "OPERATES", "Tupolev Tu-160", "WEAPON", {}),
    ("at Maiquetia International Airport, north of Caracas, Venezuela",
     "Maiquetia International Airport", "FAC", "LOCATED_IN", "Caracas", "GPE", {}),
    ("at Maiquetia International Airport, north of Caracas, Venezuela", "Caracas", "GPE",
     "LOCATED_IN", "Venezuela", "GPE", {}),
    ("Russian Foreign Minister Sergey Lavrov", "Sergey Lavrov", "PERSON", "NATIONALITY",
     "Russian", "NORP", {}),
    ("The U.S., along with dozens of other countries, has thrown its support behind Venezuelan"
     " opposition leader Juan Guaido", "U.S.", "GPE", "SUPPORT", "Juan Guaido", "PERSON", {}),
    ("Venezuelan opposition leader Juan Guaido", "Juan Guaido", "PERSON", "NATIONALITY",
     "Venezuelan", "NORP", {}),
    ("Moscow, however, insists Maduro is still the country's legitimate leader", "Moscow", "GPE",
     "SUPPORT", "Maduro", "PERSON", {}),
    ("The Kremlin claims, however, that they were sent to do maintenance work on military"
     " equipment Russia supplied to Venezuela", "Russia", "GPE", "AID", "Venezuela", "GPE", RC),
    ("President Donald Trump told Russia \"to get out,\"", "Donald Trump", "PERSON", "REQUEST",
     "Russia", "GPE", {}),
    ("Russia's Foreign Ministry shot back that the U.S. should get out of Syria", "Foreign Ministry",
     "ORG", "REQUEST", "U.S.", "GPE", {}),
    ("Russia's Foreign Ministry", "Foreign Ministry", "ORG", "SUBORDINATE_TO", "Russia", "GPE", {}),
    ("Russian President Vladimir Putin coming to the rescue", "Vladimir Putin", "PERSON",
     "NATIONALITY", "Russian", "NORP", {}),
    ("Russian President Vladimir Putin coming to the rescue has arguably kept dictator Bashar"
     " Assad", "Vladimir Putin", "PERSON", "AID", "Bashar Assad", "PERSON", {}),
    ("Russia does have assets in Venezuela and close ties with the Maduro regime", "Russia", "GPE",
     "ALLIED_WITH", "Maduro regime", "ORG", {}),
    ("Venezuela has been Russia's biggest partner in Latin America", "Venezuela", "GPE",
     "ALLIED_WITH", "Russia", "GPE", {}),
    ("Tatyana Rusakova, Latin America analyst at the Moscow-based Center for Crisis Society"
     " Studies", "Tatyana Rusakova", "PERSON", "ROLE_IN", "Center for Crisis Society Studies",
     "ORG", {}),
    ("the Moscow-based Center for Crisis Society Studies", "Center for Crisis Society Studies",
     "ORG", "LOCATED_IN", "Moscow", "GPE", {}),
    ("Moscow has also earned $11.4 billion selling military equipment to Caracas", "Moscow", "GPE",
     "COOPERATE", "Caracas", "GPE", {}),
    ("The Kremlin loaned at least $2 billion to Caracas", "Kremlin", "ORG", "AID", "Caracas", "GPE",
     RC),
    ("Konstantin Makienko, deputy director of the Centre for Analysis of Strategies and"
     " Technologies", "Konstantin Makienko", "PERSON", "ROLE_IN",
     "Centre for Analysis of Strategies and Technologies", "ORG", {}),
    ("the Centre for Analysis of Strategies and Technologies, a Moscow-based defense think-tank",
     "Centre for Analysis of Strategies and Technologies", "ORG", "LOCATED_IN", "Moscow", "GPE",
     {}),
    ("Makienko, who is also a member of the defense expert council in the State Duma", "Makienko",
     "PERSON", "MEMBER_OF", "State Duma", "ORG", {}),
    ("the State Duma, the lower house of Russia's parliament", "State Duma", "ORG",
     "SUBORDINATE_TO", "Russia", "GPE", {}),
    ("that Moscow also continues to supply parts for equipment sold to Venezuela", "Moscow", "GPE",
     "AID", "Venezuela", "GPE", RC),
    ("The Russian military also gives Venezuela's military guidance and advice",
     "Russian military", "MIL_UNIT", "AID", "Venezuela", "GPE", {}),
    ("\"Venezuela isn't Russia's military ally, like, say, Belarus or Kazakhstan,\"", "Venezuela",
     "GPE", "ALLIED_WITH", "Russia", "GPE", {"negated": True, "modality": "reported-claim"}),
    ("\"Venezuela isn't Russia's military ally, like, say, Belarus or Kazakhstan,\"", "Belarus",
     "GPE", "ALLIED_WITH", "Russia", "GPE", RC),
    ("\"Venezuela isn't Russia's military ally, like, say, Belarus or Kazakhstan,\"", "Kazakhstan",
     "GPE", "ALLIED_WITH", "Russia", "GPE", RC),
    ("Ruslan Pukhov, director of the Centre for Analysis of Strategies and Technologies",
     "Ruslan Pukhov", "PERSON", "LEADER_OF", "Centre for Analysis of Strategies and Technologies",
     "ORG", {}),
]

R002 = [
    ("it is clear that the Trump administration is — not really building up for an invasion, but"
     " — intent on giving the appearance it might be willing to stage one as a form of pressure"
     " on Caracas", "Trump administration", "ORG", "THREATEN", "Caracas", "GPE", HYP),
    ("Russia for its part has warned Washington", "Russia", "GPE", "THREATEN", "Washington",
     "GPE", {}),
    ("a direct US military intervention against Caracas", "US", "GPE", "ASSAULT", "Caracas",
     "GPE", HYP),
    ("it seems that Russia reiterated a grave warning to the US", "Russia", "GPE", "THREATEN",
     "US", "GPE", {}),
    ("between US “special envoy” on Venezuelan affairs Elliot Abrams and Russia’s deputy foreign"
     " minister Sergei Ryabkov", "Elliot Abrams", "PERSON", "CONSULT", "Sergei Ryabkov",
     "PERSON", {}),
    ("US “special envoy” on Venezuelan affairs Elliot Abrams", "Elliot Abrams", "PERSON",
     "ROLE_IN", "US", "GPE", {}),
    ("Russia’s deputy foreign minister Sergei Ryabkov", "Sergei Ryabkov", "PERSON", "ROLE_IN",
     "Russia", "GPE", {}),
    ("Abrams seems, according to US reporting, to have flown to Rome with the expectation of"
     " working out with Ryabkov", "Abrams", "PERSON", "CONSULT", "Ryabkov", "PERSON", RC),
    ("Abrams seems, according to US reporting, to have flown to Rome", "Abrams", "PERSON",
     "CONSULT", "Rome", "GPE", RC),
    ("spotted at Maiquetia airport outside Caracas", "Maiquetia airport", "FAC", "LOCATED_IN",
     "Caracas", "GPE", {}),
    ("a transport jet of the Russian Armed Forces have landed in Venezuela",
     "Russian Armed Forces", "MIL_UNIT", "MOBILIZE", "Venezuela", "GPE", {}),
    ("Moscow tells Washington to better treat its", "Moscow", "GPE", "REQUEST", "Washington",
     "GPE", {}),
    ("the Russians which have been propping up the Syrians", "Russians", "NORP", "SUPPORT",
     "Syrians", "NORP", {}),
    ("some permutation of CIA/special operations/opposition gunmen could use to try and"
     " assassinate Maduro", "CIA", "ORG", "ASSAULT", "Maduro", "PERSON", HYP),
]


def _region(text: str, first: int, last: int) -> tuple[int, int]:
    lines = text.split("\n")
    start = sum(len(x) + 1 for x in lines[: first - 1])
    end = start + sum(len(x) + 1 for x in lines[first - 1 : last])
    return start, min(end, len(text))


def _find(snippet: str, what: str, base: int) -> tuple[int, int]:
    name, _, nth = what.partition("#")
    hits = [m.start() for m in re.finditer(re.escape(name), snippet)]
    k = int(nth or 1) - 1
    if len(hits) <= k:
        raise SystemExit(f"{name!r} not in snippet {snippet!r}")
    return base + hits[k], base + hits[k] + len(name)


def _entities(text: str, lo: int, hi: int) -> list[dict]:
    names = sorted(((n, lab) for lab, ns in ENTITIES.items() for n in ns), key=lambda x: -len(x[0]))
    taken: set[int] = set()
    out = []
    for name, label in names:
        for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text[lo:hi]):
            s, e = lo + m.start(), lo + m.end()
            if taken & set(range(s, e)):
                continue
            taken.update(range(s, e))
            out.append({"text": name, "start": s, "end": e, "label": label})
    return out


def build() -> dict:
    docs = []
    for (name, first, last, split), rels in zip(DOCS, (R003, R004, R002), strict=True):
        text = (SAMPLE / name).read_text(encoding="utf-8")
        lo, hi = _region(text, first, last)
        plain = text.replace("\u00a0", " ")  # snippets are typed with plain spaces
        relations, ends = [], {}
        for snippet, head, hl, rtype, child, cl, attrs in rels:
            bases = [m.start() for m in re.finditer(re.escape(snippet), plain[lo:hi])]
            if not bases:
                raise SystemExit(f"{name}: snippet not found: {snippet!r}")
            for b in bases:
                hs, he = _find(snippet, head, lo + b)
                cs, ce = _find(snippet, child, lo + b)
                rel = {"type": rtype,
                       "head": {"text": text[hs:he], "start": hs, "end": he, "label": hl},
                       "child": {"text": text[cs:ce], "start": cs, "end": ce, "label": cl},
                       "attrs": attrs, "sentence": snippet}
                key = (hs, he, cs, ce, rtype)
                if key not in {(r["head"]["start"], r["head"]["end"], r["child"]["start"],
                                r["child"]["end"], r["type"]) for r in relations}:
                    relations.append(rel)
                ends[(hs, he)] = hl
                ends[(cs, ce)] = cl
        ents = _entities(text, lo, hi)
        # a relation end wins over a listed name at the same place ("Russian military")
        ents = [e for e in ents if not any(s < e["end"] and e["start"] < en
                                           for (s, en) in ends)]
        ents += [{"text": text[s:e], "start": s, "end": e, "label": lab}
                 for (s, e), lab in ends.items()]
        docs.append({"name": name, "split": split, "region": [lo, hi],
                     "entities": sorted(ents, key=lambda e: (e["start"], e["end"])),
                     "relations": sorted(relations, key=lambda r: (r["head"]["start"],
                                                                   r["child"]["start"]))})
    return {"about": "Hand-made gold relations on sample articles 003 and 004 (dev) and 002"
                     " (held out); see build_relations_gold.py for how they were made.",
            "documents": docs}


if __name__ == "__main__":
    OUT.write_text(json.dumps(build(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")
