"""Dictionary-style definitions and clothing words, as WordNet glosses and captions use them."""


def test_a_kind_of_states_the_class(facts_of):
    facts = facts_of("A parka is a kind of heavy jacket.")
    assert ("parka", "type", "jacket") in facts
    assert not any(p == "kind_of" for _, p, _ in facts)


def test_a_class_with_a_part_is_still_that_class(facts_of):
    facts = facts_of("A dirndl is a dress with a tight bodice and full skirt.")
    assert ("dirndl", "type", "dress") in facts
    assert ("dirndl", "with", "bodice") in facts


def test_a_compound_class_is_a_kind_of_its_head_noun(facts_of):
    facts = facts_of("A moccasin is a soft leather shoe; originally worn by Native Americans.")
    assert ("moccasin", "type", "leather shoe") in facts or (
        "moccasin",
        "subclass_of",
        "leather shoe",
    ) in facts
    assert ("leather shoe", "type", "shoe") in facts


def test_a_definition_may_place_its_subject(facts_of):
    facts = facts_of("A breeches is a trousers ending above the knee.")
    assert any(s == "breeches" and o == "trousers" for s, _, o in facts)


def test_a_hyphenated_noun_is_one_object(facts_of):
    facts = facts_of("A large blue t-shirt is left of a small flip-flop.")
    objects = {s for s, p, o in facts if p == "type" and o == "Object"}
    assert len(objects) == 2
    assert any(p == "type" and o == "t-shirt" for _, p, o in facts)


def test_a_plural_only_noun_is_one_object(facts_of):
    facts = facts_of("A small shirt is left of the white trousers.")
    objects = {s for s, p, o in facts if p == "type" and o == "Object"}
    assert len(objects) == 2
