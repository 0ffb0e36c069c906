"""Scoring extracted triples the way the WebNLG 2020 text-to-RDF challenge does.

The challenge's script (WebNLG/WebNLG-Text-to-triples, ``Evaluation_script.py``) defines
four levels — *exact*, *strict*, *partial* and *ent_type* — from the SemEval-2013 named
entity measures, applied to the subject, predicate and object of every triple. This
module re-implements that definition, so that figures quoted beside other systems'
figures mean the same thing:

1. Triples are normalised: camelCase split, ``_`` → space, lower case, and a trailing
   parenthesis dropped from the object (``"Swords (Dublin)"`` → ``"swords"``).
2. Per text, the shorter of the candidate and reference lists is padded with empty
   triples, so both have ``n`` entries; each candidate/reference pair is scored, and the
   one-to-one pairing with the highest sum of the four F1s' mean is kept.
3. A pair is scored element by element on tokens: the longest shared n-grams are matched
   first; the candidate's tokens become spans (matched blocks, linked neighbours, and
   stray words, which count as spurious) that are compared with the reference element's
   span as SemEval-2013 does (exact boundaries, overlap, label). When neither subject
   nor object match, subject and object are tried swapped (likewise subject/predicate,
   then predicate/object), labelled with the slot they came from.
4. Each level's precision, recall and F1 are the mean over all kept pairs (padding
   pairs count, with F1 0): a missing or an extra triple costs a whole pair.

The official script's quirks are kept where they change scores: a reference span can be
answered by several overlapping candidate spans (the later ones are spurious), and the
predicate is re-read from the swapped words after a subject/object swap. Tokens follow
NLTK's Treebank rules (:func:`tokens`). For more than :data:`BRUTE_FORCE_UP_TO` triples per
text the best pairing is found by the Hungarian method instead of enumerating
permutations (the same optimum; ties may pick a different pair with the same mean).
"""

from __future__ import annotations

import itertools
import re
import string
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from kg_extract.facts import Fact

LEVELS: Final = ("exact", "strict", "partial", "ent_type")
SLOTS: Final = ("SUB", "PRED", "OBJ")
#: Texts with up to this many (padded) triples are paired by enumerating permutations.
BRUTE_FORCE_UP_TO: Final = 7

Triple = tuple[str, str, str]
#: Properties WebNLG 2020 writes under one label of its own: its data merges DBpedia's
#: ``associatedBand`` and ``associatedMusicalArtist`` (neither appears alone there).
WEBNLG_LABELS: Final = {
    "associatedBand": "associatedBand/associatedMusicalArtist",
    "associatedMusicalArtist": "associatedBand/associatedMusicalArtist",
}

_PUNCT = re.escape(string.punctuation)
_ALL_PUNCT = re.compile(rf"^[{_PUNCT}]+$")
_ONE_PUNCT = re.compile(rf"^[{_PUNCT}]$")
_ANY_PUNCT = re.compile(rf"[{_PUNCT}]")


@dataclass(frozen=True)
class WebNLGEntry:
    """One text with the triples it states (WebNLG's modified triple set)."""

    text: str
    triples: tuple[Triple, ...]
    category: str
    size: int


def read_webnlg(folder: Path) -> list[WebNLGEntry]:
    """Every (text, triples) pair of the WebNLG XML files under ``folder``, in file order.

    Files are read in sorted path order, entries in document order, each ``<lex>`` a text.

    Raises:
        ValueError: When ``folder`` holds no XML file or one cannot be parsed.
    """
    paths = sorted(folder.rglob("*.xml"))
    if not paths:
        raise ValueError(f"{folder}: no WebNLG XML files")
    entries = []
    for path in paths:
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError as error:
            raise ValueError(f"{path}: not WebNLG XML ({error})") from None
        for entry in root.iter("entry"):
            triples = tuple(
                _split_triple(m.text) for m in entry.iter("mtriple") if m.text and m.text.strip()
            )
            for lex in entry.iter("lex"):
                if lex.text and lex.text.strip():
                    entries.append(
                        WebNLGEntry(
                            text=" ".join(lex.text.split()),
                            triples=triples,
                            category=entry.get("category", ""),
                            size=int(entry.get("size", len(triples))),
                        )
                    )
    return entries


def _split_triple(text: str) -> Triple:
    parts = [p.strip() for p in text.split("|")]
    if len(parts) != 3:
        raise ValueError(f"not a triple: {text!r}")
    return parts[0], parts[1], parts[2]


def candidate_triples(facts: Iterable[Fact]) -> list[Triple]:
    """Facts as WebNLG candidate triples, in order and without repeats.

    Labels name the nodes (a literal by its value); a mapped predicate is its IRI's last
    segment, in WebNLG's label where WebNLG has its own (:data:`WEBNLG_LABELS`). Types and
    a scene's anonymous instances are left out: WebNLG's triples state neither.
    """
    triples = []
    for f in facts:
        if f.predicate == "type" or f.subject.kind == "instance":
            continue
        predicate = f.predicate.rsplit("/", 1)[-1] if "://" in f.predicate else f.predicate
        obj = f.object.key if f.object.kind == "literal" else f.object.label or f.object.key
        triples.append(
            (f.subject.label or f.subject.key, WEBNLG_LABELS.get(predicate, predicate), obj)
        )
    return list(dict.fromkeys(triples))


def normalise(triple: Sequence[str]) -> list[str]:
    """A triple's elements as the challenge compares them (step 1 of the module doc)."""
    text = re.sub(r"([a-z])([A-Z])", r"\g<1> \g<2>", " | ".join(triple)).lower()
    text = re.sub(r"\s+", " ", text.replace("_", " "))
    parts = text.split(" | ")
    trailing = re.search(r"^(.*?)(\s\((.*?)\))$", parts[-1])
    if trailing:
        parts[-1] = trailing.group(1)
    return parts


# --- NLTK Treebank word tokenisation (the rules that apply to single phrases) ---------
_STARTING_QUOTES = [
    (re.compile("([«“‘„]|[`]+)", re.U), r" \1 "),
    (re.compile(r"^\""), r"``"),
    (re.compile(r"(``)"), r" \1 "),
    (re.compile(r"([ \(\[{<])(\"|\'{2})"), r"\1 `` "),
    (re.compile(r"(?i)(?<!\w)(\')(?!(?:re|ve|ll|m|t|s|d|n)\b)(?=\w)", re.U), r"\1 "),
]
_PUNCTUATION = [
    (re.compile(r'([^\.])(\.)([\]\)}>"\'' "»”’ " r"]*+)\s*$", re.U), r"\1 \2 \3 "),
    (re.compile(r"([:,])([^\d])"), r" \1 \2"),
    (re.compile(r"([:,])$"), r" \1 "),
    (re.compile(r"\.{2,}", re.U), r" \g<0> "),
    (re.compile(r"[;@#$%&]"), r" \g<0> "),
    (re.compile(r"[\u2012-\u2015]", re.U), r" \g<0> "),
    (re.compile(r'([^\.])(\.)([\]\)}>"\']*)\s*$'), r"\1 \2\3 "),
    (re.compile(r"[?!]"), r" \g<0> "),
    (re.compile(r"([^'])' "), r"\1 ' "),
    (re.compile(r"[*]", re.U), r" \g<0> "),
]
_PARENS = (re.compile(r"[\]\[\(\)\{\}\<\>]"), r" \g<0> ")
_DASHES = (re.compile(r"--"), r" -- ")
_ENDING_QUOTES = [
    (re.compile("([»”’])", re.U), r" \1 "),
    (re.compile(r"''"), " '' "),
    (re.compile(r'"'), " '' "),
    (re.compile(r"\s+"), " "),
    (re.compile(r"([^' ])('[sS]|'[mM]|'[dD]|') "), r"\1 \2 "),
    (re.compile(r"([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) "), r"\1 \2 "),
]
_CONTRACTIONS = [
    re.compile(p, re.I)
    for p in (
        r"\b(can)(?#X)(not)\b", r"\b(d)(?#X)('ye)\b", r"\b(gim)(?#X)(me)\b",
        r"\b(gon)(?#X)(na)\b", r"\b(got)(?#X)(ta)\b", r"\b(lem)(?#X)(me)\b",
        r"\b(more)(?#X)('n)\b", r"\b(wan)(?#X)(na)(?=\s)", r" ('t)(?#X)(is)\b",
        r" ('t)(?#X)(was)\b",
    )
]  # fmt: skip


def tokens(text: str) -> list[str]:
    """Word tokens of one phrase by NLTK's Treebank rules (``NLTKWordTokenizer``, NLTK 3.9)."""
    for pattern, replacement in _STARTING_QUOTES:
        text = pattern.sub(replacement, text)
    for pattern, replacement in _PUNCTUATION:
        text = pattern.sub(replacement, text)
    text = _PARENS[0].sub(_PARENS[1], text)
    text = _DASHES[0].sub(_DASHES[1], text)
    text = " " + text + " "
    for pattern, replacement in _ENDING_QUOTES:
        text = pattern.sub(replacement, text)
    for pattern in _CONTRACTIONS:
        text = pattern.sub(r" \1 \2 ", text)
    return text.split()


# --- element matching ------------------------------------------------------------------
@dataclass(frozen=True)
class _Span:
    label: str
    start: int
    end: int


@dataclass
class _Element:
    found: bool
    reference: list[_Span]
    candidate: list[_Span]
    width: int  # positions this element takes on the shared axis


def _find(part: Sequence[str], within: Sequence[str]) -> int | None:
    n = len(part)
    for i in range(len(within) - n + 1):
        if list(within[i : i + n]) == list(part):
            return i
    return None


def _match_ngrams(ref: list[str], cand: list[str], block: int, n: int) -> None:
    """Marks shared n-grams, longest first, in place (the script's ``nonrefwords``)."""
    while n > 0:
        for gram in [cand[i : i + n] for i in range(len(cand) - n + 1)]:
            at = _find(gram, ref)
            if at is None:
                continue
            own = _find(gram, cand)
            if own is None:  # consumed by a deeper match meanwhile
                continue
            for offset in range(n):
                ref[at + offset] = f"FOUNDREF-{block}-{at + offset}"
                cand[own + offset] = f"FOUNDCAND-{block}-{at + offset}"
            block += 1
            _match_ngrams(ref, cand, block, n)
        n -= 1


def _block(token: str) -> str:
    found = re.search(r"^((.*?)-\d+)", token)
    return found.group(1) if found else token


def _spans(ref: list[str], cand: list[str], ref_label: str, cand_label: str, base: int) -> _Element:
    """Reference and candidate spans of one element (the script's ``getrefdict``)."""
    found_at = [i for i, t in enumerate(cand) if t.startswith("FOUNDCAND")]
    if not found_at:
        if not ref:
            return _Element(False, [], [_Span(cand_label, base, base + len(cand) - 1)], len(cand))
        if not cand:
            return _Element(False, [_Span(ref_label, base, base + len(ref) - 1)], [], 1)
        return _Element(
            False,
            [_Span(ref_label, base, base + len(ref) - 1)],
            [_Span(cand_label, base + len(ref), base + len(ref) + len(cand) - 1)],
            len(ref) + len(cand),
        )
    first = found_at[0]
    first_block = _block(cand[first]) if cand[first].endswith("-0") else None
    last_index: int | None = None
    last_block = ""
    if ref[-1].startswith("FOUNDREF") and not cand[-1].startswith("FOUNDCAND"):
        last = cand[found_at[-1]]
        if last == ref[-1].replace("FOUNDREF", "FOUNDCAND"):
            last_index = cand.index(last)
            last_block = _block(last)
    before: list[str] = []
    after: list[str] = []
    stray: list[str] = []
    stray_number = 1
    for i, token in enumerate(cand):
        if token.startswith("FOUNDCAND"):
            stray_number += 1
        elif i < first and first_block is not None:
            cand[i] = f"{first_block}-LINKED"
            before.append(cand[i])
        elif last_index is not None and i > last_index:
            cand[i] = f"{last_block}-LINKED"
            after.append(cand[i])
        else:
            stray.append(f"NOTFOUND-{stray_number}")
    axis = [t.replace("FOUNDREF", "FOUNDCAND") for t in before + ref + after + stray]
    reference = [_Span(ref_label, base + len(before), base + len(before) + len(ref) - 1)]
    candidate: list[_Span] = []
    current, begin, collecting = "", 0, False
    for i, token in enumerate(axis):
        if token.startswith(("FOUNDCAND", "NOTFOUND")):
            collecting = True
            block = _block(token)
            if block != current:
                if current:
                    candidate.append(_Span(cand_label, base + begin, base + i - 1))
                current, begin = block, i
            if i == len(axis) - 1:
                candidate.append(_Span(cand_label, base + begin, base + i))
        elif collecting:
            # The script closes a span at every unmatched reference word without starting
            # a new one, so a reference with gaps yields overlapping candidate spans.
            candidate.append(_Span(cand_label, base + begin, base + i - 1))
    return _Element(True, reference, candidate, len(axis))


def _words(text: str, drop_any_punctuation: bool, reference: bool) -> list[str]:
    words = tokens(text)
    if drop_any_punctuation:
        return [w.lower() for w in words if not _ANY_PUNCT.search(w)]
    pattern = _ALL_PUNCT if reference else _ONE_PUNCT
    return [w.lower() for w in words if not pattern.match(w)]


def _element(ref_text: str, cand_text: str, labels: tuple[str, str], base: int,
             swapped: bool = False) -> tuple[_Element, list[str], list[str]]:  # fmt: skip
    ref = _words(ref_text, swapped, reference=True)
    cand = _words(cand_text, swapped, reference=False)
    _match_ngrams(ref, cand, 1, len(cand))
    return _spans(ref, cand, labels[0], labels[1], base), ref, cand


# --- SemEval-2013 counting (nervaluate 0.1.x) --------------------------------------------
def _overlaps(a: _Span, b: _Span) -> bool:
    return bool(set(range(a.start, a.end + 1)) & set(range(b.start, b.end + 1)))


def semeval_counts(true: list[_Span], pred: list[_Span]) -> dict[str, dict[str, float]]:
    """Correct/incorrect/partial/missed/spurious per level, then precision, recall, F1."""
    counts = {level: dict.fromkeys(("correct", "incorrect", "partial", "missed", "spurious"), 0)
              for level in LEVELS}  # fmt: skip
    touched: list[_Span] = []

    def add(**per_level: str) -> None:
        for level, outcome in per_level.items():
            counts[level][outcome] += 1

    for p in pred:
        if p in true:
            touched.append(p)
            add(strict="correct", ent_type="correct", exact="correct", partial="correct")
            continue
        found = False
        for t in true:
            if t.start == p.start and t.end == p.end and t.label != p.label:
                add(strict="incorrect", ent_type="incorrect", partial="correct", exact="correct")
                touched.append(t)
                found = True
                break
            if _overlaps(t, p) and t not in touched:
                touched.append(t)
                same = "correct" if t.label == p.label else "incorrect"
                add(strict="incorrect", ent_type=same, partial="partial", exact="incorrect")
                found = True
                break
        if not found:
            add(strict="spurious", ent_type="spurious", partial="spurious", exact="spurious")
    for t in true:
        if t not in touched:
            add(strict="missed", ent_type="missed", partial="missed", exact="missed")
    scores: dict[str, dict[str, float]] = {}
    for level, c in counts.items():
        possible = c["correct"] + c["incorrect"] + c["partial"] + c["missed"]
        actual = c["correct"] + c["incorrect"] + c["partial"] + c["spurious"]
        right = c["correct"] + (0.5 * c["partial"] if level in ("partial", "ent_type") else 0)
        precision = right / actual if actual else 0.0
        recall = right / possible if possible else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[level] = {**c, "precision": precision, "recall": recall, "f1": f1}
    return scores


def score_pair(reference: str, candidate: str) -> dict[str, dict[str, float]]:
    """The four levels for one normalised reference/candidate pair.

    Both are ``"s | p | o"`` strings; ``""`` is a padding triple.
    """
    ref = reference.split(" | ")
    cand = candidate.split(" | ")
    if len(ref) > 1 and len(cand) > 1:
        slots = len(ref)
    elif len(ref) == 1:
        slots, ref = len(cand), ["", "", ""]
    else:
        slots, cand = len(ref), ["", "", ""]
    if slots != 3:
        raise ValueError(f"not a triple: {reference!r} / {candidate!r}")
    sub, _, _ = _element(ref[0], cand[0], ("SUB", "SUB"), 0)
    pred, _, _ = _element(ref[1], cand[1], ("PRED", "PRED"), sub.width)
    obj, _, _ = _element(ref[2], cand[2], ("OBJ", "OBJ"), sub.width + pred.width)
    swapped = False
    if not sub.found and not obj.found:
        new_sub, _, _ = _element(ref[0], cand[2], ("SUB", "OBJ"), 0, swapped=True)
        new_obj, ref_words, cand_words = _element(
            ref[2], cand[0], ("OBJ", "SUB"), new_sub.width + pred.width, swapped=True
        )
        if new_sub.found or new_obj.found:
            sub, obj = new_sub, new_obj
            # As in the script: the predicate is re-read from the last pair of words.
            pred = _spans(ref_words, cand_words, "PRED", "PRED", sub.width)
            swapped = True
    if not swapped and not sub.found and not pred.found:
        new_sub, _, _ = _element(ref[0], cand[1], ("SUB", "PRED"), 0, swapped=True)
        new_pred, _, _ = _element(ref[1], cand[0], ("PRED", "SUB"), new_sub.width, swapped=True)
        if new_sub.found or new_pred.found:
            sub, pred, swapped = new_sub, new_pred, True
    if not swapped and not pred.found and not obj.found:
        new_pred, _, _ = _element(ref[1], cand[2], ("PRED", "OBJ"), sub.width, swapped=True)
        new_obj, _, _ = _element(
            ref[2], cand[1], ("OBJ", "PRED"), sub.width + new_pred.width, swapped=True
        )
        if new_pred.found or new_obj.found:
            pred, obj = new_pred, new_obj
    true = sub.reference + pred.reference + obj.reference
    predicted = sub.candidate + pred.candidate + obj.candidate
    return semeval_counts(true, predicted)


def _mean_f1(scores: dict[str, dict[str, float]]) -> float:
    return sum(scores[level]["f1"] for level in LEVELS) / len(LEVELS)


def _best_pairing(table: list[list[float]]) -> list[int]:
    """Reference index per candidate maximising the summed table entries."""
    n = len(table)
    if n <= BRUTE_FORCE_UP_TO:
        best: tuple[int, ...] = tuple(range(n))
        best_total = None
        for order in itertools.permutations(range(n)):
            total = sum(table[c][r] for c, r in enumerate(order))
            if best_total is None or total > best_total:
                best, best_total = order, total
        return list(best)
    return _hungarian([[-x for x in row] for row in table])


def _hungarian(cost: list[list[float]]) -> list[int]:
    """Column per row minimising the total cost (Kuhn–Munkres with potentials, O(n³))."""
    n = len(cost)
    u, v = [0.0] * (n + 1), [0.0] * (n + 1)
    match, way = [0] * (n + 1), [0] * (n + 1)
    for row in range(1, n + 1):
        match[0] = row
        col0 = 0
        least = [float("inf")] * (n + 1)
        used = [False] * (n + 1)
        while True:
            used[col0] = True
            r0, delta, col1 = match[col0], float("inf"), 0
            for col in range(1, n + 1):
                if not used[col]:
                    reduced = cost[r0 - 1][col - 1] - u[r0] - v[col]
                    if reduced < least[col]:
                        least[col], way[col] = reduced, col0
                    if least[col] < delta:
                        delta, col1 = least[col], col
            for col in range(n + 1):
                if used[col]:
                    u[match[col]] += delta
                    v[col] -= delta
                else:
                    least[col] -= delta
            col0 = col1
            if match[col0] == 0:
                break
        while col0:
            col1 = way[col0]
            match[col0] = match[col1]
            col0 = col1
    assignment = [0] * n
    for col in range(1, n + 1):
        assignment[match[col] - 1] = col - 1
    return assignment


def score(
    candidates: Iterable[Sequence[Sequence[str]]], references: Iterable[Sequence[Sequence[str]]]
) -> dict[str, dict[str, float]]:
    """The challenge's four levels for a whole system.

    Per level: precision, recall and F1 averaged over every kept candidate/reference pair
    (see the module doc).

    Args:
        candidates: Per text, the extracted ``(subject, predicate, object)`` triples.
        references: Per text, the reference triples, in the same order.
    """
    kept: list[dict[str, dict[str, float]]] = []
    for cand, ref in zip(candidates, references, strict=True):
        cand_rows = [" | ".join(normalise(t)) for t in cand]
        ref_rows = [" | ".join(normalise(t)) for t in ref]
        n = max(len(cand_rows), len(ref_rows))
        if n == 0:
            continue
        cand_rows += [""] * (n - len(cand_rows))
        ref_rows += [""] * (n - len(ref_rows))
        pairs = [[score_pair(r, c) for r in ref_rows] for c in cand_rows]
        order = _best_pairing([[_mean_f1(s) for s in row] for row in pairs])
        kept.extend(pairs[c][r] for c, r in enumerate(order))
    result = {}
    for level in LEVELS:
        result[level] = {
            key: round(sum(s[level][key] for s in kept) / len(kept), 4) if kept else 0.0
            for key in ("precision", "recall", "f1")
        }
    return result
