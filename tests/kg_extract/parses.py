"""Parses built as the small model gives them, for repairs no invented sentence reproduces."""

from spacy.tokens import Doc


def model_parse(words, heads, deps, tags, pos, lemmas=None, ents=None):
    """A parse as the small model gives it, without running the model."""
    import spacy

    vocab = spacy.blank("en").vocab  # with English lexical attributes ("lower")
    return Doc(
        vocab, words=words, heads=heads, deps=deps, tags=tags, pos=pos, lemmas=lemmas, ents=ents
    )
