"""The workspace: one SQLite file that keeps every project between runs (:class:`Workspace`)."""

from onatool.store.db import SCHEMA_VERSION
from onatool.store.records import ProjectInfo, WaveInfo, default_path
from onatool.store.workspace import Workspace

__all__ = ["SCHEMA_VERSION", "ProjectInfo", "WaveInfo", "Workspace", "default_path"]
