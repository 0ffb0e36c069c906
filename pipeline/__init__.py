"""kg2img pipeline: configs, training, evaluation, generation, reports and the CLI.

Example:
    >>> from pipeline import Pipeline
    >>> result = Pipeline.load().generate("a small red circle left of a big blue square", n=2)
    >>> [image.shape for image in result.images]
    [(64, 64, 3), (64, 64, 3)]
"""

from pipeline.generate import GenerationResult, NothingToDrawError, Pipeline

__all__ = ["GenerationResult", "NothingToDrawError", "Pipeline"]
