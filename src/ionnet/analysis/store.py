"""The result store: one SQLite row per finished sweep point, keyed by its task id.

Each point is committed as soon as it arrives, in WAL mode with ``synchronous=NORMAL``: a
committed point survives the process being killed (``kill -9``); only an operating-system crash
or power loss can drop the last commits. A rerun of the sweep reads the ids already stored and
computes only the others. No timestamps or worker ids are stored, so two stores of the same sweep
differ only in their ``*wall_s`` values.

>>> import tempfile, pathlib
>>> from ionnet.analysis.tasks import Task
>>> path = pathlib.Path(tempfile.mkdtemp()) / "s.db"
>>> task = Task.from_inputs({"kind": "link", "x": 1.0}, {"x": 1.0})
>>> with ResultStore(path) as store:
...     store.add(task, {"rate_hz": 5.0, "error": "", "task_wall_s": 0.1})
...     store.add(task, {"rate_hz": 6.0, "error": "", "task_wall_s": 0.1})
...     len(store), store.records()[0].outputs["rate_hz"]
True
False
(1, 5.0)
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from ionnet.analysis.tasks import Task, canonical_json
from ionnet.errors import SweepError
from ionnet.fileio import replacing

STORE_FORMAT = "1"
SQLITE_HEADER = b"SQLite format 3\x00"
POINT_COLUMNS = ("task_id", "kind", "inputs", "axes", "outputs")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS points (
    task_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    inputs TEXT NOT NULL,
    axes TEXT NOT NULL,
    outputs TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class Record:
    """One stored point: its id, inputs, axis values and outputs."""

    task_id: str
    inputs: Mapping[str, Any]
    axes: Mapping[str, Any]
    outputs: Mapping[str, Any]


class ResultStore:
    """A SQLite file of finished points (use as a context manager)."""

    def __init__(self, path: str | Path, readonly: bool = False) -> None:
        """Open (or create) the store at ``path``; ``readonly`` never creates or changes it.

        An existing file is checked before anything is written to it: a file that is not an
        SQLite database, an SQLite database that is not an ionnet store, a store of another
        format, or a corrupt store raises SweepError and is left byte for byte as it was.
        """
        self.path = Path(path)
        if self.path.is_dir():
            raise SweepError(f"result store {self.path} is a directory, not a file")
        existing = self.path.exists() and self.path.stat().st_size > 0
        if existing:
            check_store_file(self.path)
        elif readonly:
            raise SweepError(f"result store {self.path} does not exist")
        try:
            if readonly:
                self._db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(self.path, isolation_level=None)
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA busy_timeout=10000")
            if not readonly:
                self._db.executescript(_SCHEMA)
                self._db.execute("INSERT OR IGNORE INTO meta VALUES ('store_format', ?)", (STORE_FORMAT,))
        except (sqlite3.Error, OSError) as exc:
            raise SweepError(f"cannot open result store {self.path}: {exc}") from None

    def __enter__(self) -> ResultStore:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def __len__(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM points").fetchone()[0])

    def stored_ids(self, ids: Iterable[str] | None = None) -> set[str]:
        """The ids already stored (among ``ids`` when given)."""
        found = {row[0] for row in self._db.execute("SELECT task_id FROM points")}
        return found if ids is None else found & set(ids)

    def add(self, task: Task, outputs: Mapping[str, Any]) -> bool:
        """Store one finished point and commit; False if it was already stored."""
        cursor = self._db.execute(
            "INSERT OR IGNORE INTO points VALUES (?, ?, ?, ?, ?)",
            (
                task.task_id,
                str(task.inputs.get("kind", "")),
                canonical_json(task.inputs),
                canonical_json(task.axes),
                canonical_json(outputs),
            ),
        )
        return cursor.rowcount == 1

    def records(self, ids: Iterable[str] | None = None) -> list[Record]:
        """Stored points sorted by task id (only ``ids`` when given)."""
        wanted = None if ids is None else set(ids)
        try:
            rows = self._db.execute("SELECT task_id, inputs, axes, outputs FROM points ORDER BY task_id")
            return [
                Record(tid, json.loads(inputs), json.loads(axes), json.loads(outputs))
                for tid, inputs, axes, outputs in rows
                if wanted is None or tid in wanted
            ]
        except (sqlite3.Error, TypeError, ValueError) as exc:
            raise SweepError(f"result store {self.path} has a corrupt point: {exc}") from None

    def write_csv(self, path: str | Path, axes: Sequence[str] = (), outputs: Sequence[str] = ()) -> int:
        """Write every stored point to ``path`` (see :func:`write_csv`); returns the row count."""
        return write_csv(self.records(), path, axes, outputs)


def check_store_file(path: Path) -> None:
    """Raise SweepError unless ``path`` is an intact ionnet result store (reads only)."""
    try:
        with open(path, "rb") as f:
            head = f.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise SweepError(f"cannot read result store {path}: {exc.strerror}") from None
    if head != SQLITE_HEADER:
        raise SweepError(f"{path} is not an ionnet result store (not an SQLite file); left unchanged")
    db = None
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        columns = tuple(row[1] for row in db.execute("PRAGMA table_info(points)"))
        if not {"meta", "points"} <= tables or columns != POINT_COLUMNS:
            raise SweepError(
                f"{path} is an SQLite file but not an ionnet result store "
                f"(tables: {', '.join(sorted(tables)) or 'none'}); left unchanged"
            )
        row = db.execute("SELECT value FROM meta WHERE key = 'store_format'").fetchone()
        if row is None or row[0] != STORE_FORMAT:
            found = "none" if row is None else repr(row[0])
            raise SweepError(
                f"result store {path} has format {found} (expected {STORE_FORMAT!r}); left unchanged"
            )
        check = db.execute("PRAGMA quick_check").fetchone()
        if check is None or check[0] != "ok":
            raise SweepError(f"result store {path} is corrupt ({check[0] if check else '?'}); left unchanged")
    except sqlite3.Error as exc:
        raise SweepError(f"result store {path} is corrupt or unreadable ({exc}); left unchanged") from None
    finally:
        if db is not None:
            db.close()


def csv_columns(
    records: Sequence[Record], axes: Sequence[str] = (), outputs: Sequence[str] = ()
) -> list[str]:
    """Columns: task_id, network, seed, the axes, the outputs, error, then the ``*wall_s`` columns.

    Axes and outputs found in the records but not named are added in sorted order.
    """
    seen_axes = sorted({k for r in records for k in r.axes} - set(axes))
    seen_out = {k for r in records for k in r.outputs} - {"error"}
    walls = sorted(k for k in seen_out if k.endswith("wall_s"))
    extra = sorted(seen_out - set(outputs) - set(walls)) if not outputs else []
    named = [o for o in outputs if not o.endswith("wall_s")]
    base = ["task_id", "network", "seed"]
    axis_cols = [a for a in [*axes, *seen_axes] if a not in base]
    return [*base, *axis_cols, *named, *extra, "error", *walls]


def record_row(record: Record) -> dict[str, Any]:
    """The flat row of one record (axis values and outputs by name)."""
    network = record.inputs.get("network", {})
    name = network.get("network", {}).get("name", "") if isinstance(network, Mapping) else network
    return {
        "task_id": record.task_id,
        "network": name,
        "seed": record.inputs.get("seed", ""),
        **record.axes,
        **record.outputs,
    }


def write_csv(
    records: Sequence[Record], path: str | Path, axes: Sequence[str] = (), outputs: Sequence[str] = ()
) -> int:
    """Write ``records`` sorted by task id, one row each; returns the number of rows.

    The rows go to a temporary file renamed over ``path`` when complete.
    """
    columns = csv_columns(records, axes, outputs)
    with replacing(path) as tmp, open(tmp, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for record in sorted(records, key=lambda r: r.task_id):
            row = record_row(record)
            writer.writerow({k: _cell(row.get(k)) for k in columns})
    return len(records)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, sort_keys=True)
    return value
