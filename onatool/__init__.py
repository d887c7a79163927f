"""onatool: organisational network analysis for health and care partnerships."""

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
]
