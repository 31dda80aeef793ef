"""Write output files atomically: one file to a temporary file beside the target, then
rename; a set of files (a build) to a new folder, then swap one link."""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any


@contextlib.contextmanager
def atomic_write(path: Path, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO[str]]:
    """Open a temporary file for writing; on success it replaces ``path``, on error it is removed.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_write(target) as fh:
    ...     _ = fh.write("hello")
    >>> target.read_text()
    'hello'
    >>> oct(target.stat().st_mode & 0o777) == oct(0o666 & ~_current_umask())
    True
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp creates 0600 files; give the output the permissions a plain open() would
        os.fchmod(fd, 0o666 & ~_current_umask())
        with os.fdopen(fd, mode, encoding=encoding if "b" not in mode else None) as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _current_umask() -> int:
    """The process umask (reading it means setting it; it is set back at once)."""
    umask = os.umask(0)
    os.umask(umask)
    return umask


def write_text(path: Path, text: str) -> None:
    """Atomically write a whole text file."""
    with atomic_write(path) as fh:
        fh.write(text)


CURRENT = ".current"
"""The link in an output directory that names its published set."""
SETS = ".sets"
"""The folder of an output directory that holds the sets (the published one, the previous one
while readers may still hold it, and a set being written)."""
MANIFEST = "manifest.json"


class OutputSet:
    """A set of output files published at once: written into a new folder under
    ``<out>/.sets/``, then made current by swapping one symlink (``<out>/.current``) with an
    atomic rename. ``<out>/<name>`` are links through ``.current``, so a reader sees the whole
    previous set or the whole new one, never a mix; an interrupted or failed write (a full disk)
    leaves the previous set current and removes the new folder.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> with OutputSet(out, ["a.txt"]) as s:
    ...     _ = s.path("a.txt").write_text("one")
    ...     s.publish({"n": 1})
    >>> (out / "a.txt").read_text(), read_manifest(out)["n"]
    ('one', 1)
    """

    def __init__(self, out_dir: Path, names: list[str]) -> None:
        self.out = out_dir
        self.names = names
        self.staging = out_dir / SETS / f".new-{os.getpid()}-{os.urandom(4).hex()}"
        self.published: Path | None = None

    def __enter__(self) -> OutputSet:
        self.staging.mkdir(parents=True)
        return self

    def path(self, name: str) -> Path:
        """Where to write output ``name`` of the new set."""
        return self.staging / name

    def publish(self, manifest: dict[str, object]) -> None:
        """Write the manifest (what the set holds and was built from), then make the set
        current."""
        import json

        files = {}
        for name in self.names:
            stat = (self.staging / name).stat()
            files[name] = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
        body = {**manifest, "files": files}
        (self.staging / MANIFEST).write_text(json.dumps(body, indent=1, sort_keys=True) + "\n")
        final = self.out / SETS / f"{time.time_ns()}-{os.getpid()}"
        os.rename(self.staging, final)
        self.staging = final
        link = self.out / f".{CURRENT}.{os.getpid()}.tmp"
        with contextlib.suppress(FileNotFoundError):
            os.unlink(link)
        os.symlink(f"{SETS}/{final.name}", link)
        os.replace(link, self.out / CURRENT)  # the swap: one atomic rename
        self.published = final
        for name in [*self.names, MANIFEST]:
            _link(self.out / name, f"{CURRENT}/{name}")
        _prune(self.out / SETS, keep={final.name, *_previous(self.out)})

    def __exit__(self, *exc: object) -> None:
        if self.published is None:
            import shutil

            shutil.rmtree(self.staging, ignore_errors=True)


_KEEP = 2
"""Sets kept: the current one and the one before it (a reader may still be reading it)."""


def _link(path: Path, target: str) -> None:
    """Make ``path`` a symlink to ``target`` (atomically; a file of the old layout becomes a
    link)."""
    if path.is_symlink() and os.readlink(path) == target:
        return
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tmp)
    os.symlink(target, tmp)
    os.replace(tmp, path)


def _previous(out: Path) -> list[str]:
    sets = sorted(p.name for p in (out / SETS).iterdir() if not p.name.startswith("."))
    return sets[-_KEEP:]


def _prune(folder: Path, keep: set[str]) -> None:
    import shutil

    for child in folder.iterdir():
        stale_tmp = child.name.startswith(".new-") and not _alive(child.name)
        if (not child.name.startswith(".") and child.name not in keep) or stale_tmp:
            shutil.rmtree(child, ignore_errors=True)


def _alive(staging_name: str) -> bool:
    """Whether the process that is writing a ``.new-<pid>-…`` set still runs."""
    try:
        pid = int(staging_name.split("-")[1])
        os.kill(pid, 0)
    except (ValueError, IndexError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


def read_manifest(out_dir: Path) -> dict[str, Any] | None:
    """The manifest of the published set of ``out_dir``, when there is one and every file it
    lists is there, linked through ``.current``, with the size and time it was written with
    (``None`` otherwise: no set, an old layout, a file replaced or edited since)."""
    import json

    try:
        manifest: dict[str, Any] = json.loads((out_dir / CURRENT / MANIFEST).read_text())
        current = (out_dir / CURRENT).resolve(strict=True)
        for name, meta in manifest["files"].items():
            path = out_dir / name
            if path.resolve(strict=True) != current / name:
                return None
            stat = path.stat()
            if stat.st_size != meta["size"] or stat.st_mtime_ns != meta["mtime_ns"]:
                return None
    except (OSError, ValueError, KeyError, TypeError, RuntimeError):
        return None
    return manifest
