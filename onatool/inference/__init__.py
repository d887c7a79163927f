"""Inference for claims an evaluator must defend: network regression (MRQAP), intervals by
resampling respondents, change on the balanced panel, and non-response sensitivity."""

from onatool.inference.nonresponse import reconstruct, sensitivity
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
from onatool.inference.resampling import attach_intervals, balanced_panel, intervals, panel_change

__all__ = ["DEFAULT_PERMUTATIONS", "MODELS", "Design", "Regression", "attach_intervals", "balanced_panel",
           "describe_term", "design", "intervals", "mrqap", "panel_change", "reconstruct", "regress", "sensitivity"]
