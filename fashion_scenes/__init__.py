"""FashionScenes: the second built-in world (``shared/spec/fashion-scenes.md``).

Real Fashion-MNIST photos, tinted, sized and placed on a black canvas with English
captions, and real WordNet glosses as the knowledge. ``fashion_scenes.dataset`` makes the
splits in the project's annotation schema (the ``fashion`` data adapter), ``judge`` reads
images back, ``evaluate`` scores a model, ``wordnet`` writes the knowledge text.
"""
