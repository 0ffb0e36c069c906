import pytest

# Each case: text, facts that must be present, facts that must be absent.
CASES = [
    (
        "A small red circle is to the left of a big blue square.",
        {
            ("0", "size", "small"),
            ("0", "colour", "red"),
            ("0", "shape", "circle"),
            ("1", "size", "large"),
            ("1", "colour", "blue"),
            ("1", "shape", "square"),
            ("0", "left_of", "1"),
        },
        set(),
    ),
    (
        "There is a circle on the left of a glorp. The circle is cyan and little.",
        {
            ("0", "shape", "circle"),
            ("1", "type", "glorp"),
            ("0", "left_of", "1"),
            ("0", "colour", "cyan"),
            ("0", "size", "small"),
        },
        {("2", "type", "Object")},
    ),
    (
        "A red circle and a blue square are above a gray triangle.",
        {("0", "above", "2"), ("1", "above", "2")},
        set(),
    ),
    (
        "A little red circle, which is on the left of a cyan triangle, is above a kest.",
        {("0", "left_of", "1"), ("0", "above", "2"), ("2", "type", "kest")},
        {("1", "above", "2")},
    ),
    (
        "A gray trel is right of a purple trel. The purple trel is under the gray trel.",
        {("0", "right_of", "1"), ("1", "below", "0")},
        {("2", "type", "Object")},
    ),
    (
        "There is a square. It is beneath a green circle.",
        {("0", "below", "1")},
        set(),
    ),
    (
        "A yellow square is not above a red circle.",
        {("0", "colour", "yellow")},
        {("0", "above", "1")},
    ),
]


@pytest.mark.parametrize(("text", "present", "absent"), CASES, ids=[c[0][:40] for c in CASES])
def test_scene_parser_extract_descriptions(facts_of, text, present, absent):
    facts = set(facts_of(text))
    assert present <= facts, present - facts
    assert not (absent & facts)


@pytest.mark.parametrize(
    ("text", "concept", "expected"),
    [
        (
            "A glorp is a small red triangle.",
            "glorp",
            {"size": "small", "colour": "red", "shape": "triangle"},
        ),
        (
            "Zibs are large. A zib is green and round.",
            "zib",
            {"size": "large", "colour": "green", "shape": "circle"},
        ),
        (
            "Every fep is a big purple square.",
            "fep",
            {"size": "large", "colour": "purple", "shape": "square"},
        ),
        (
            "A quib is a kind of triangle. Quibs are little and orange.",
            "quib",
            {"shape": "triangle", "size": "small", "colour": "orange"},
        ),
        ("Morps are boxy.", "morp", {"shape": "square"}),
    ],
)
def test_scene_parser_generic_sentences_define_concepts(facts_of, text, concept, expected):
    facts = facts_of(text)
    got = {p: o for s, p, o in facts if s == concept and p in ("size", "colour", "shape")}
    assert got == expected
    assert not any(p == "type" and o == "Object" for _, p, o in facts)


def test_scene_parser_descriptive_sentence_makes_typed_instance(facts_of):
    facts = set(facts_of("A glorp is above a blue circle."))
    assert ("0", "type", "glorp") in facts
    assert ("0", "above", "1") in facts
    assert not any(s == "glorp" for s, _, _ in facts)


def test_scene_parser_leave_unexplained_sentences_to_dependency_rules(facts_of):
    facts = set(facts_of("The red square was painted by Ada Lindqvist."))
    assert not any(p == "colour" for _, p, _ in facts)
    assert any(s == "Ada Lindqvist" for s, _, _ in facts)
