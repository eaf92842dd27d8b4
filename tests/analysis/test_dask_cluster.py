"""A real Dask cluster on loopback: a scheduler and two workers as subprocesses; one worker is
killed (SIGKILL) mid-sweep and every point is still computed once and stored."""

import csv
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ionnet.analysis.spec import load_sweep
from ionnet.analysis.store import ResultStore
from ionnet.analysis.sweep import run_sweep

distributed = pytest.importorskip("distributed")

BIN = Path(sys.executable).parent
SWEEP = """
[sweep]
name = "dask"
kind = "link"
outputs = ["rate_hz", "fidelity", "sim_rate_hz"]

[fixed]
duration_s = 1000.0                  # about 12 ms of herald sampling per point

[axes]
"link.fiber_length_m" = { start = 1.0, stop = 100.0, num = 40, scale = "log" }
seed = [0, 1, 2, 3, 4, 5]
"""
POINTS = 240


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stored(store: Path) -> int:
    if not store.exists():
        return 0
    with sqlite3.connect(store) as db:
        try:
            return db.execute("SELECT COUNT(*) FROM points").fetchone()[0]
        except sqlite3.OperationalError:
            return 0


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path) as f:
        return [{k: v for k, v in r.items() if not k.endswith("wall_s")} for r in csv.DictReader(f)]


@pytest.fixture
def cluster():
    address = f"tcp://127.0.0.1:{_free_port()}"
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": env}
    host, port = address.removeprefix("tcp://").split(":")
    procs = [
        subprocess.Popen(
            [BIN / "dask", "scheduler", "--host", host, "--port", port, "--no-dashboard"], **quiet
        )
    ]
    for name in ("wa", "wb"):
        cmd = [
            BIN / "dask",
            "worker",
            address,
            "--nthreads",
            "1",
            "--no-nanny",
            "--no-dashboard",
            "--name",
            name,
        ]
        procs.append(subprocess.Popen(cmd, **quiet))
    client = distributed.Client(address, timeout="30s")
    try:
        client.wait_for_workers(2, timeout=60)
        pids = client.run(os.getpid)
        yield address, client, pids, procs
    finally:
        client.close()
        for proc in reversed(procs):
            if proc.poll() is None:
                proc.kill()
            proc.wait()


def test_sweep_survives_a_worker_killed_mid_sweep(tmp_path, cluster):
    address, client, pids, _procs = cluster
    sweep = tmp_path / "s.toml"
    sweep.write_text(SWEEP)
    store = tmp_path / "dask.db"
    cmd = [sys.executable, "-m", "ionnet", "sweep", str(sweep), "--scheduler", address, "--store", str(store),
           "--csv", str(tmp_path / "dask.csv"), "--json", "--no-progress"]  # fmt: skip
    sweep_proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while _stored(store) == 0 and time.monotonic() < deadline and sweep_proc.poll() is None:
        time.sleep(0.01)
    assert sweep_proc.poll() is None, sweep_proc.communicate()
    assert _stored(store) < POINTS, "the sweep finished before a worker could be killed"
    busy = [addr for addr, keys in client.processing().items() if keys]
    victim_pid = pids[busy[0]]
    os.kill(victim_pid, signal.SIGKILL)
    out, err = sweep_proc.communicate(timeout=120)
    assert sweep_proc.returncode == 0, err
    summary = json.loads(out)
    assert (summary["points"], summary["computed"], summary["reused"]) == (POINTS, POINTS, 0)
    assert _stored(store) == POINTS
    assert len(client.scheduler_info()["workers"]) == 1  # the killed worker is gone

    # rerun: every point is found, none recomputed; and the results are those of a local run
    spec = load_sweep(sweep)
    assert run_sweep(spec, store_path=store, progress=False).computed == 0
    run_sweep(spec, store_path=tmp_path / "local.db", progress=False)
    with ResultStore(tmp_path / "local.db") as local:
        local.write_csv(tmp_path / "local.csv", spec.axis_names, spec.outputs)
    assert _rows(tmp_path / "dask.csv") == _rows(tmp_path / "local.csv")
