"""Reading input files and writing output files safely (imports only ``ionnet.errors``).

Every file ionnet reads goes through :func:`read_text_file`: a missing file, a directory, an
unreadable, binary, non-UTF-8, empty or huge file raises one error that names the file and what
is wrong with it, never an ``OSError`` or a ``UnicodeDecodeError``. Every file ionnet writes goes
through :func:`replacing`: the output is written to a temporary file next to it and renamed over
the target only when writing succeeded, so a command that fails never truncates or overwrites a
file that was already there.

>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> (folder / "empty.toml").write_text("  \\n")
3
>>> read_text_file(folder / "empty.toml", "network file")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
ionnet.errors.ConfigError: network file ... is empty
>>> write_text_atomic(folder / "out.txt", "kept")
>>> try:
...     with replacing(folder / "out.txt") as tmp:
...         _ = tmp.write_text("half")
...         raise RuntimeError("failed halfway")
... except RuntimeError:
...     pass
>>> (folder / "out.txt").read_text()
'kept'
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ionnet.errors import ConfigError, IonnetError

MAX_INPUT_BYTES = 256 * 1024 * 1024
"""Largest input file read (256 MiB): bigger files are refused before they are read."""


def read_text_file(
    path: str | Path,
    what: str = "file",
    error: type[IonnetError] = ConfigError,
    allow_empty: bool = False,
) -> str:
    """The text of a UTF-8 file (a leading byte-order mark is dropped).

    Raises ``error`` (ConfigError by default) naming ``what`` and the path when the file is
    missing, a directory, unreadable, larger than :data:`MAX_INPUT_BYTES`, binary (a NUL byte),
    not UTF-8 (naming the first bad byte and its offset), or empty (only whitespace) unless
    ``allow_empty``.
    """
    path = Path(path)
    label = f"{what} {path}"
    try:
        if path.is_dir():
            raise error(f"{label} is a directory, not a file")
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise error(f"{label} is too large ({size} bytes; limit {MAX_INPUT_BYTES})")
        data = path.read_bytes()
    except FileNotFoundError:
        raise error(f"{label} does not exist") from None
    except PermissionError:
        raise error(f"{label} cannot be read: permission denied") from None
    except OSError as exc:
        raise error(f"{label} cannot be read: {exc.strerror or exc}") from None
    nul = data.find(b"\0")
    if nul >= 0:
        raise error(f"{label} is not a text file (binary: NUL byte at offset {nul})")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1].hex()
        raise error(f"{label} is not UTF-8 text (byte 0x{bad} at offset {exc.start})") from None
    if not allow_empty and not text.strip():
        raise error(f"{label} is empty")
    return text


def check_output_path(
    path: str | Path, option: str, suffixes: tuple[str, ...] = (), error: type[IonnetError] = ConfigError
) -> Path:
    """Check before any work that ``path`` can be written: not a directory, in a writable folder.

    A missing folder is allowed when it can be created (:func:`replacing` creates it).
    ``suffixes`` (lower case, with the dot) restricts the file name's suffix. ``option`` names the
    option in the message, e.g. ``'--out'``.
    """
    path = Path(path)
    if suffixes and path.suffix.lower() not in suffixes:
        raise error(f"{option} {path} must end in {' or '.join(suffixes)}")
    if path.is_dir():
        raise error(f"{option} {path} is a directory, not a file")
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise error(f"{option} {path}: {folder} is not a folder")
    if not os.access(folder, os.W_OK):
        raise error(f"{option} {path}: folder {folder} is not writable")
    if path.exists() and not os.access(path, os.W_OK):
        raise error(f"{option} {path} exists and is not writable")
    return path


@contextlib.contextmanager
def replacing(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path next to ``path`` (same suffix); rename it over ``path`` on success.

    The folder is created when missing. On any exception the temporary file is removed and
    ``path`` is left as it was.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=f".tmp{path.suffix}", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        if path.exists():
            with contextlib.suppress(OSError):
                os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def write_text_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename."""
    with replacing(path) as tmp:
        tmp.write_text(text)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
