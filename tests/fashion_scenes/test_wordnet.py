from pathlib import Path

import pytest

from fashion_scenes.wordnet import (
    WordNet,
    WordNetError,
    class_closures,
    knowledge_sentences,
    lemma_classes,
    make_word_lists,
    sentence,
    word_lists,
)

MINI = Path(__file__).parent / "data" / "mini-wordnet"


@pytest.fixture(scope="module")
def wordnet():
    return WordNet(MINI)


def test_synsets_are_found_by_their_nltk_names(wordnet):
    assert "T-shirt" in wordnet.synset("jersey.n.03").lemmas
    assert wordnet.synset("parka.n.01").definition.startswith("a kind of heavy jacket")
    with pytest.raises(WordNetError, match=r"no noun sense parka\.n\.7"):
        wordnet.synset("parka.n.7")


def test_a_class_closure_holds_hyponyms_and_leaves_out_excluded_subtrees(wordnet):
    closures = class_closures(wordnet)
    coat = {lemma for s in closures[4] for lemma in s.lemmas}
    assert {"coat", "jacket", "parka"} <= coat
    shirt = {lemma for s in closures[6] for lemma in s.lemmas}
    assert "T-shirt" not in shirt  # the T-shirt class is its own


def test_words_get_the_class_of_their_first_sense(wordnet):
    classes = lemma_classes(wordnet)
    assert classes["parka"] == 4 and classes["sandal"] == 5


def test_glosses_become_sentences_without_their_examples():
    assert sentence("parka", "a kind of heavy jacket") == "A parka is a kind of heavy jacket."
    assert sentence("moccasin", "soft leather shoe; originally worn by Native Americans") == (
        "A moccasin is a soft leather shoe; originally worn by Native Americans."
    )


def test_the_knowledge_speaks_of_classes_by_their_caption_names(wordnet):
    text = " ".join(knowledge_sentences(wordnet))
    assert "A t-shirt is a close-fitting pullover shirt." in text
    assert "An ankle boot is" in text
    assert '"' not in text  # quoted examples are left out


def test_a_class_synsets_own_lemmas_are_said_to_be_the_class(wordnet):
    sentences = knowledge_sentences(wordnet)
    assert "A boot is an ankle boot." in sentences  # so "a combat boot is a boot" reaches it
    assert "A frock is a dress." in sentences
    assert "A dress is a dress." not in sentences
    assert "A T-shirt is a t-shirt." not in sentences  # the caption name, spelt otherwise


def test_zero_shot_words_are_hyponyms_not_the_class_synonyms(wordnet):
    lists = make_word_lists(wordnet)
    words = {w for pool in lists.values() for ws in pool.values() for w in ws}
    assert "parka" in words and "jacket" in words
    assert not words & {"coat", "trousers", "pants", "frock", "sneaker"}


def test_a_missing_dictionary_says_what_to_install(tmp_path):
    with pytest.raises(WordNetError, match=r"data\.noun: not found \(install wordnet-base"):
        WordNet(tmp_path)


def test_a_corrupt_data_line_is_named(tmp_path):
    (tmp_path / "data.noun").write_text("02773037 06 n zz bag\n")
    (tmp_path / "index.noun").write_text("")
    with pytest.raises(WordNetError, match=r"data\.noun:1: not a data\.noun line"):
        WordNet(tmp_path)


def test_the_committed_knowledge_is_what_the_dictionary_gives_today():
    from fashion_scenes.dataset import KNOWLEDGE_FILE
    from fashion_scenes.wordnet import DEFAULT_DICT

    if not (DEFAULT_DICT / "data.noun").is_file():
        pytest.skip("WordNet is not installed (apt-get install wordnet-base)")
    wordnet = WordNet(DEFAULT_DICT)
    expected = "\n".join(knowledge_sentences(wordnet)) + "\n"
    assert KNOWLEDGE_FILE.read_text(encoding="utf-8") == expected
    lists = {k: {c: tuple(v) for c, v in d.items()} for k, d in make_word_lists(wordnet).items()}
    assert word_lists() == lists
