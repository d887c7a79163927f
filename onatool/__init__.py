"""onatool: organisational network analysis for health and care partnerships."""

from onatool.compare import Comparison, compare_waves, write_comparison
from onatool.errors import (
    DuplicateNameError,
    EmptyNetworkError,
    InputFormatError,
    NetworkValidationError,
    NotDefinedError,
    NotFoundError,
    OnaError,
    SuppressedError,
    UnknownPersonError,
    UnsafeFileError,
    WorkspaceError,
)
from onatool.metrics import Analysis, analyse, write_analysis
from onatool.network import Network
from onatool.store import ProjectInfo, WaveInfo, Workspace

__version__ = "0.1.0"

__all__ = [
    "Analysis",
    "Comparison",
    "DuplicateNameError",
    "EmptyNetworkError",
    "InputFormatError",
    "Network",
    "NetworkValidationError",
    "NotDefinedError",
    "NotFoundError",
    "OnaError",
    "ProjectInfo",
    "SuppressedError",
    "UnknownPersonError",
    "UnsafeFileError",
    "WaveInfo",
    "Workspace",
    "WorkspaceError",
    "__version__",
    "analyse",
    "compare_waves",
    "write_analysis",
    "write_comparison",
]
