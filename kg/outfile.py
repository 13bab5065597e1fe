"""Writing an output file whole or not at all: a temporary file beside it, renamed over it.

A full disk, a size limit or a crash while writing leaves the previous file as it was and no
partial one. Without `force` an existing file is never replaced, even one that appears while the
output was being made.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

from kg.errors import KgError, UsageError


def check_writable(path: Path, force: bool) -> None:
    """Refuse, before any work is done, an output that cannot or must not be written."""
    if path.is_dir():
        raise UsageError(f"{path} is a folder, not a file name")
    if not force and (path.exists() or path.is_symlink()):
        raise UsageError(f"{path} exists (use --force to overwrite it)")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"cannot write {path}: there is no folder {parent}")


def write_whole(path: Path, data: bytes, force: bool) -> None:
    """Write `data` to `path` through a temporary file in the same folder, then rename it."""
    check_writable(path, force)
    parent = path.parent if str(path.parent) else Path(".")
    try:
        fd, temp = tempfile.mkstemp(dir=parent, prefix=f".{path.name}.", suffix=".part")
    except OSError as e:
        raise _write_error(path, e) from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o666 & ~_umask())
        if force:
            os.replace(temp, path)
        else:
            _place_new(Path(temp), path)
    except BaseException as e:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(e, OSError):
            raise _write_error(path, e) from None
        raise


def _place_new(temp: Path, path: Path) -> None:
    """Put `temp` at `path` only if nothing is there: a hard link fails if the name is taken."""
    try:
        os.link(temp, path)
    except FileExistsError:
        raise UsageError(f"{path} exists (use --force to overwrite it)") from None
    except OSError as e:
        if e.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
            raise
        # A file system without hard links: check, then rename (a narrow race, not a lost file).
        if path.exists():
            raise UsageError(f"{path} exists (use --force to overwrite it)") from None
        os.replace(temp, path)
        return
    os.unlink(temp)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write_error(path: Path, error: OSError) -> KgError:
    if isinstance(error, PermissionError):
        return KgError(f"cannot write {path}: permission denied")
    reason = (error.strerror or str(error)).lower()
    return KgError(f"cannot write {path}: {reason}; the previous file, if any, is unchanged")
