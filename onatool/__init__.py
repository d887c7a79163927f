"""onatool: organisational network analysis for health and care partnerships.

The public API is re-exported here and loaded on first use (PEP 562), so ``import onatool``
and ``onatool --help`` stay fast and import no analysis stack until a name is asked for.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Public name -> the module that defines it.
_HOMES = {
    "Analysis": "onatool.metrics",
    "analyse": "onatool.metrics",
    "write_analysis": "onatool.outputs.writers",
    "Comparison": "onatool.compare",
    "compare_waves": "onatool.compare",
    "write_comparison": "onatool.outputs.writers",
    "Network": "onatool.network",
    "ProjectInfo": "onatool.store",
    "WaveInfo": "onatool.store",
    "Workspace": "onatool.store",
    **{
        name: "onatool.errors"
        for name in (
            "DuplicateNameError", "EmptyNetworkError", "InputFormatError", "NetworkValidationError",
            "NotDefinedError", "NotFoundError", "OnaError", "SuppressedError", "UnknownPersonError",
            "UnsafeFileError", "WorkspaceError",
        )
    },
}

__all__ = sorted([*_HOMES, "__version__"])

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only (re-exports)
    from onatool.compare import Comparison, compare_waves  # noqa: F401
    from onatool.errors import (  # noqa: F401
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
    from onatool.metrics import Analysis, analyse  # noqa: F401
    from onatool.network import Network  # noqa: F401
    from onatool.outputs.writers import write_analysis, write_comparison  # noqa: F401
    from onatool.store import ProjectInfo, WaveInfo, Workspace  # noqa: F401


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'onatool' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])
