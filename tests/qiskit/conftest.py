"""Shared backends for the Qiskit adapter tests (built once per session: a Target is not free)."""

from __future__ import annotations

import pytest

from ionnet.hardware import load_network
from ionnet.qiskit import IonnetBackend


@pytest.fixture(scope="session")
def net_2x3():
    """Two default (Aria-class) modules of 3 data qubits each."""
    return load_network("default").with_modules(2, capacity=3)


@pytest.fixture(scope="session")
def ideal_2x3(net_2x3):
    return IonnetBackend(net_2x3, ideal=True)


@pytest.fixture(scope="session")
def noisy_2x3(net_2x3):
    return IonnetBackend(net_2x3)


@pytest.fixture(scope="session")
def noisy_2x1():
    """Two modules of one data qubit: every two-qubit gate is teleported."""
    return IonnetBackend(load_network("default").with_modules(2, capacity=1))
