"""Owner-only files and folders: the one place that sets what onatool creates to 0600 / 0700.

Everything onatool writes (the workspace and its audit log, key files, exports, reports,
private analyst folders, stashed uploads) describes colleagues, so nobody but the
owner of the file should be able to read it on a shared computer. Every call site that
creates a file or a folder goes through one of these helpers:

- :func:`owner_only_folder` creates a folder (and any missing parents) readable by its
  owner only; folders that already exist are left as the user made them, except when
  ``tighten=True`` (onatool's own folders: the workspace's default home, an upload stash);
- :func:`write_owner_only` writes text or bytes into a file created 0600 from the first
  byte (no moment where it is world-readable);
- :func:`owner_only` tightens a file that a library wrote (xlsxwriter, matplotlib,
  networkx), or a whole folder tree it filled;
- :func:`owner_only_umask` makes the process create every new file 0600 and folder 0700,
  whoever writes it: the command line and the app's server set it once at start.

On Windows, where POSIX modes do not apply, these create the files and change nothing else.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = [
    "FILE_MODE",
    "FOLDER_MODE",
    "PRIVATE_UMASK",
    "is_owner_only",
    "owner_only",
    "owner_only_folder",
    "owner_only_umask",
    "write_owner_only",
]

#: Read and write for the owner only.
FILE_MODE = 0o600
#: Read, write and enter for the owner only.
FOLDER_MODE = 0o700
#: The umask under which new files come out 0600 and folders 0700.
PRIVATE_UMASK = 0o077

_POSIX = os.name == "posix"


def owner_only_folder(path: str | os.PathLike[str], *, tighten: bool = False) -> Path:
    """Create ``path`` (and any missing parents) as folders only their owner can open.

    Parameters
    ----------
    path
        The folder.
    tighten
        Also set an existing ``path`` to 0700 (for onatool's own folders; a folder the
        user chose, such as an output folder that already exists, is left alone).

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    OSError
        If the folder cannot be created (callers turn this into one clear line).

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> folder = owner_only_folder(root / "a" / "b")
    >>> oct(folder.stat().st_mode & 0o777), oct((root / "a").stat().st_mode & 0o777)
    ('0o700', '0o700')
    """
    folder = Path(path)
    missing = []
    probe = folder
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for level in reversed(missing):
        try:
            level.mkdir(mode=FOLDER_MODE)
        except FileExistsError:  # another process was first; it is not ours to change
            continue
        _chmod(level, FOLDER_MODE)  # mkdir's mode is filtered by the umask
    if tighten and not missing:
        _chmod(folder, FOLDER_MODE)
    return folder


def write_owner_only(
    path: str | os.PathLike[str], data: str | bytes, *, encoding: str = "utf-8"
) -> Path:
    """Write ``data`` to ``path``, a file readable by its owner only from its first byte.

    An existing file is replaced and set to 0600; missing parent folders are created
    owner-only (:func:`owner_only_folder`).

    Parameters
    ----------
    path
        The file.
    data
        Text (written with ``encoding``) or bytes.
    encoding
        For text.

    Returns
    -------
    pathlib.Path
        ``path``.

    Examples
    --------
    >>> import tempfile
    >>> file = write_owner_only(Path(tempfile.mkdtemp()) / "notes.txt", "hello")
    >>> file.read_text(), oct(file.stat().st_mode & 0o777)
    ('hello', '0o600')
    """
    file = Path(path)
    owner_only_folder(file.parent)
    payload = data.encode(encoding) if isinstance(data, str) else bytes(data)
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
    descriptor = os.open(file, flags, FILE_MODE)
    try:
        if _POSIX:
            os.fchmod(descriptor, FILE_MODE)  # an existing file keeps its old mode otherwise
        with os.fdopen(descriptor, "wb") as handle:
            descriptor = -1
            handle.write(payload)
    finally:
        if descriptor != -1:
            os.close(descriptor)
    return file


def owner_only(path: str | os.PathLike[str]) -> Path:
    """Make a file 0600, or a folder and everything under it 0700 / 0600.

    For files a library has just written with the process's usual mode.

    Parameters
    ----------
    path
        A file or a folder.

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    target = Path(path)
    if target.is_dir() and not target.is_symlink():
        _chmod(target, FOLDER_MODE)
        for root, folders, files in os.walk(target):
            for name in folders:
                if not os.path.islink(os.path.join(root, name)):
                    _chmod(Path(root, name), FOLDER_MODE)
            for name in files:
                if not os.path.islink(os.path.join(root, name)):
                    _chmod(Path(root, name), FILE_MODE)
    elif target.exists() and not target.is_symlink():
        _chmod(target, FILE_MODE)
    return target


def owner_only_umask() -> int:
    """From now on, this process creates files 0600 and folders 0700, whoever writes them.

    Called once by each entry point (the command line, the app's server) so that files
    written by libraries (xlsxwriter, matplotlib, SQLite's ``-wal`` and ``-shm``
    companions) are owner-only too.

    Returns
    -------
    int
        The umask it replaced.
    """
    previous = os.umask(PRIVATE_UMASK)
    os.umask(previous | PRIVATE_UMASK)
    return previous


def is_owner_only(path: str | os.PathLike[str]) -> bool:
    """Whether nobody but the owner may read, write or enter ``path`` (always True off POSIX)."""
    if not _POSIX:
        return True
    return not stat.S_IMODE(Path(path).stat().st_mode) & 0o077


def _chmod(path: Path, mode: int) -> None:
    if _POSIX:
        os.chmod(path, mode)
