"""WordNet 3.0 nouns (read from ``data.noun``/``index.noun``) and FashionScenes' knowledge.

Each synset under a class synset of the spec becomes one plain English sentence per
lemma, its gloss as the definition ("A parka is a kind of heavy jacket."); the extractor
reads those like any corpus. Example sentences (quoted parts of a gloss) are left out.
The word lists for zero-shot evaluation come from the same closure: hyponym lemmas whose
first noun sense lies under exactly one class.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from fashion_scenes import spec

#: Debian's ``wordnet-base`` location.
DEFAULT_DICT: Final = Path("/usr/share/wordnet")

LICENCE_NOTICE: Final = (
    "The sentences in this file are made from WordNet 3.0 glosses.\n\n"
    "WordNet Release 3.0. This software and database is being provided to you, the LICENSEE, by "
    "Princeton University under the following license. By obtaining, using and/or copying this "
    "software and database, you agree that you have read, understood, and will comply with these "
    "terms and conditions.: Permission to use, copy, modify and distribute this software and "
    "database and its documentation for any purpose and without fee or royalty is hereby granted, "
    "provided that you agree to comply with the following copyright notice and statements, "
    "including the disclaimer, and that the same appear on ALL copies of the software, database "
    "and documentation, including modifications that you make for internal use or for "
    "distribution. WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved. "
    'THIS SOFTWARE AND DATABASE IS PROVIDED "AS IS" AND PRINCETON UNIVERSITY MAKES NO '
    "REPRESENTATIONS OR WARRANTIES, EXPRESS OR IMPLIED. BY WAY OF EXAMPLE, BUT NOT LIMITATION, "
    "PRINCETON UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES OF MERCHANT- ABILITY OR FITNESS "
    "FOR ANY PARTICULAR PURPOSE OR THAT THE USE OF THE LICENSED SOFTWARE, DATABASE OR "
    "DOCUMENTATION WILL NOT INFRINGE ANY THIRD PARTY PATENTS, COPYRIGHTS, TRADEMARKS OR OTHER "
    "RIGHTS. The name of Princeton University or Princeton may not be used in advertising or "
    "publicity pertaining to distribution of the software and/or database. Title to copyright in "
    "this software, database and any associated documentation shall at all times remain with "
    "Princeton University and LICENSEE agrees to preserve same. "
)


class WordNetError(ValueError):
    """A WordNet file is missing or unreadable (the message names it)."""


@dataclass(frozen=True)
class Synset:
    """One noun synset.

    Attributes:
        offset: Its byte offset in ``data.noun`` (the synset's id).
        lemmas: Its words, as WordNet spells them (``tee_shirt``).
        hypernyms: Offsets of its hypernyms (``@``).
        hyponyms: Offsets of its hyponyms (``~``).
        gloss: Definition and examples, as written.
    """

    offset: str
    lemmas: tuple[str, ...]
    hypernyms: tuple[str, ...]
    hyponyms: tuple[str, ...]
    gloss: str

    @property
    def definition(self) -> str:
        """The gloss without its quoted examples, trimmed of trailing separators."""
        parts = [p.strip() for p in self.gloss.split(";")]
        kept = [p for p in parts if p and not p.startswith('"')]
        return "; ".join(kept).strip()


class WordNet:
    """The noun part of a WordNet 3.0 dictionary folder."""

    def __init__(self, root: Path = DEFAULT_DICT) -> None:
        self.root = root
        self.synsets = _read_data(root / "data.noun")
        self.senses = _read_index(root / "index.noun")

    def synset(self, name: str) -> Synset:
        """A synset by its NLTK-style name (``jersey.n.03``).

        Raises:
            WordNetError: For an unknown lemma or sense number.
        """
        match = re.fullmatch(r"(.+)\.n\.(\d+)", name)
        if not match:
            raise WordNetError(f"{name!r}: expected LEMMA.n.NN")
        offsets = self.senses.get(match.group(1).lower(), ())
        number = int(match.group(2))
        if not 1 <= number <= len(offsets):
            raise WordNetError(f"{self.root / 'index.noun'}: no noun sense {name}")
        return self.synsets[offsets[number - 1]]

    def closure(self, roots: Iterable[Synset], excluded: Iterable[Synset] = ()) -> list[Synset]:
        """``roots`` and every hyponym below them, less the subtrees under ``excluded``."""
        skip = {s.offset for s in excluded}
        seen: dict[str, Synset] = {}
        stack = [r for r in roots if r.offset not in skip]
        while stack:
            synset = stack.pop()
            if synset.offset in seen:
                continue
            seen[synset.offset] = synset
            stack.extend(
                self.synsets[h] for h in synset.hyponyms if h not in skip and h in self.synsets
            )
        return sorted(seen.values(), key=lambda s: s.offset)

    def first_sense(self, lemma: str) -> Synset | None:
        """The first noun sense of ``lemma`` (WordNet's most frequent), if any."""
        offsets = self.senses.get(lemma.lower().replace(" ", "_"))
        return self.synsets.get(offsets[0]) if offsets else None


def _read_lines(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8", errors="strict")
    except FileNotFoundError:
        raise WordNetError(f"{path}: not found (install wordnet-base, or pass --dict)") from None
    except (OSError, UnicodeDecodeError) as error:
        raise WordNetError(f"{path}: unreadable ({error})") from None
    return [line for line in text.splitlines() if line and not line.startswith("  ")]


def _read_data(path: Path) -> dict[str, Synset]:
    synsets: dict[str, Synset] = {}
    for number, line in enumerate(_read_lines(path), 1):
        head, _, gloss = line.partition(" | ")
        fields = head.split()
        try:
            offset, word_count = fields[0], int(fields[3], 16)
            lemmas = tuple(re.sub(r"\(.*\)$", "", w) for w in fields[4 : 4 + 2 * word_count : 2])
            at = 4 + 2 * word_count
            pointer_count = int(fields[at])
            pointers = [fields[at + 1 + 4 * i : at + 5 + 4 * i] for i in range(pointer_count)]
        except (IndexError, ValueError):
            raise WordNetError(f"{path}:{number}: not a data.noun line") from None
        synsets[offset] = Synset(
            offset=offset,
            lemmas=lemmas,
            hypernyms=tuple(p[1] for p in pointers if p[0] == "@" and p[2] == "n"),
            hyponyms=tuple(p[1] for p in pointers if p[0] == "~" and p[2] == "n"),
            gloss=gloss.strip(),
        )
    if not synsets:
        raise WordNetError(f"{path}: no synsets")
    return synsets


def _read_index(path: Path) -> dict[str, tuple[str, ...]]:
    senses: dict[str, tuple[str, ...]] = {}
    for number, line in enumerate(_read_lines(path), 1):
        fields = line.split()
        try:
            synset_count, pointer_count = int(fields[2]), int(fields[3])
            senses[fields[0]] = tuple(fields[6 + pointer_count : 6 + pointer_count + synset_count])
        except (IndexError, ValueError):
            raise WordNetError(f"{path}:{number}: not an index.noun line") from None
    return senses


def class_closures(wordnet: WordNet) -> list[list[Synset]]:
    """Every class's synsets and their hyponyms, in label order (the spec's table)."""
    closures = []
    for label, names in enumerate(spec.CLASS_SYNSETS):
        roots = [wordnet.synset(n) for n in names]
        excluded = [wordnet.synset(n) for n in spec.CLASS_EXCLUDES.get(label, ())]
        closures.append(wordnet.closure(roots, excluded))
    return closures


def word(lemma: str) -> str:
    """A WordNet lemma as written in text: ``tee_shirt`` → ``tee shirt``."""
    return lemma.replace("_", " ")


def lemma_classes(wordnet: WordNet) -> dict[str, int]:
    """Each lemma under the classes whose class the spec's rule decides.

    The class is the one whose closure holds the lemma's first noun sense; lemmas whose
    first sense lies under none or under two classes are left out.
    """
    closures = class_closures(wordnet)
    member: dict[str, list[int]] = {}
    for label, closure in enumerate(closures):
        for synset in closure:
            member.setdefault(synset.offset, []).append(label)
    found: dict[str, int] = {}
    for synset in (s for c in closures for s in c):
        for lemma in synset.lemmas:
            first = wordnet.first_sense(lemma)
            labels = member.get(first.offset, []) if first else []
            if len(set(labels)) == 1:
                found[lemma.lower()] = labels[0]
    return dict(sorted(found.items()))


def sentence(lemma: str, definition: str) -> str:
    """``A <lemma> is <definition>.``, with an article where the gloss has none."""
    text = definition.strip().rstrip(".;, ")
    if not re.match(r"(?i)(a|an|the|any|one|\()\b", text):
        text = ("an " if text[:1].lower() in "aeiou" else "a ") + text
    subject = word(lemma)
    article = "An" if subject[:1].lower() in "aeiou" else "A"
    return f"{article} {subject} is {text}."


def knowledge_sentences(wordnet: WordNet) -> list[str]:
    """One sentence per lemma of every synset under the classes, in offset order.

    Class synsets use the spec's caption name as well as their own lemmas, so the
    knowledge speaks of "a t-shirt" as the captions do, and their own lemmas are said to
    be the class ("A boot is an ankle boot."): WordNet's synonymy, which no gloss states,
    so that "a combat boot is a boot" reaches the class the captions call "ankle boot".
    """
    sentences: list[str] = []
    seen: set[str] = set()
    caption_name = {
        wordnet.synset(names[0]).offset: spec.CLASS_NAMES[label]
        for label, names in enumerate(spec.CLASS_SYNSETS)
    }
    closures = class_closures(wordnet)
    for synset in sorted(
        {s.offset: s for c in closures for s in c}.values(), key=lambda s: s.offset
    ):
        if not synset.definition:
            continue
        lemmas = list(synset.lemmas)
        if synset.offset in caption_name:
            lemmas.insert(0, caption_name[synset.offset])
        texts = [sentence(lemma, synset.definition) for lemma in lemmas]
        if synset.offset in caption_name:
            name = caption_name[synset.offset]
            texts += [
                sentence(lemma, name)
                for lemma in synset.lemmas
                if word(lemma).lower() != name.lower()
            ]
        for text in texts:
            if text.lower() not in seen:
                seen.add(text.lower())
                sentences.append(text)
    return sentences


def write_knowledge(wordnet: WordNet, out: Path) -> int:
    """Write the knowledge text (licence notice as a comment-free first paragraph).

    Returns:
        The number of sentences written.
    """
    from kg2img.atomic import atomic_write_bytes

    sentences = knowledge_sentences(wordnet)
    text = "\n".join(sentences) + "\n"
    atomic_write_bytes(out, text.encode("utf-8"))
    atomic_write_bytes(out.with_name(out.name + ".LICENSE"), (LICENCE_NOTICE + "\n").encode())
    return len(sentences)


def zero_shot_split(lemma: str) -> str:
    """``train``, ``dev`` or ``test`` for a hyponym word, by a fixed hash of the word.

    Training captions may use ``train`` words (through is-a edges, as ShapesWorld's
    invented concepts); ``dev`` and ``test`` words never appear in a training caption.
    """
    bucket = int(hashlib.sha256(lemma.encode()).hexdigest(), 16) % 10
    return "dev" if bucket < 2 else "test" if bucket < 4 else "train"


_WORD_LISTS: Final = Path(__file__).parent / "data" / "words.json"


def make_word_lists(wordnet: WordNet) -> dict[str, dict[int, list[str]]]:
    """Hyponym words per class, split into ``train``, ``dev`` and ``test`` pools.

    Hyponyms only (the class synsets' own lemmas are synonyms with no is-a edge to the
    class), written in lower case as one or two plain words, whose class the spec's rule
    decides; split by :func:`zero_shot_split`.
    """
    own = {
        lemma.lower() for names in spec.CLASS_SYNSETS for lemma in wordnet.synset(names[0]).lemmas
    } | {n for n in spec.CLASS_NAMES}
    lists: dict[str, dict[int, list[str]]] = {"train": {}, "dev": {}, "test": {}}
    for lemma, label in lemma_classes(wordnet).items():
        text = word(lemma)
        if lemma in own or not re.fullmatch(r"[a-z]+( [a-z]+)?", text):
            continue
        lists[zero_shot_split(text)].setdefault(label, []).append(text)
    return {k: {c: sorted(v) for c, v in sorted(d.items())} for k, d in lists.items()}


def word_lists() -> dict[str, dict[int, tuple[str, ...]]]:
    """The committed word lists (``data/words.json``), keyed by pool then class label."""
    import json

    data = json.loads(_WORD_LISTS.read_text(encoding="utf-8"))
    return {k: {int(c): tuple(v) for c, v in d.items()} for k, d in data["pools"].items()}


def write_word_lists(lists: dict[str, dict[int, list[str]]], out: Path) -> None:
    """Write the word lists as :func:`word_lists` reads them (atomically)."""
    import json

    from kg2img.atomic import atomic_write_text

    about = (
        "FashionScenes hyponym words by pool and class label (kg2img knowledge wordnet "
        "--words writes this file). train: training captions may use them; dev: zero-shot "
        "development; test: zero-shot test, never in a training caption."
    )
    atomic_write_text(out, json.dumps({"about": about, "pools": lists}, indent=1) + "\n")
