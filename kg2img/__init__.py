"""kg2img: shared infrastructure of the stage packages (atomic file writes, run records).

The stages themselves are the packages ``shapes_world``, ``kg_extract``, ``kg_embed``,
``generator`` and ``pipeline``.
"""

__version__ = "0.1.0"
