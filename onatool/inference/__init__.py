"""Inference: network regression (MRQAP), and later resampling intervals and non-response
sensitivity, for claims an evaluator must defend."""

from onatool.inference.regression import (
    DEFAULT_PERMUTATIONS,
    MODELS,
    Design,
    Regression,
    describe_term,
    design,
    mrqap,
    regress,
)

__all__ = ["DEFAULT_PERMUTATIONS", "MODELS", "Design", "Regression", "describe_term", "design", "mrqap", "regress"]
