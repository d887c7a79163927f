"""onatool: organisational network analysis for health and care partnerships."""

from onatool.compare import Comparison, compare_waves, write_comparison
from onatool.errors import (
    EmptyNetworkError,
    InputFormatError,
    NetworkValidationError,
    NotDefinedError,
    OnaError,
    SuppressedError,
    UnknownPersonError,
    UnsafeFileError,
)
from onatool.network import Network

__version__ = "0.1.0"

__all__ = [
    "Comparison",
    "EmptyNetworkError",
    "InputFormatError",
    "Network",
    "NetworkValidationError",
    "NotDefinedError",
    "OnaError",
    "SuppressedError",
    "UnknownPersonError",
    "UnsafeFileError",
    "__version__",
    "compare_waves",
    "write_comparison",
]
