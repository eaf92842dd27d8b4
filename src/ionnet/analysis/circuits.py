"""Circuit families for sweeps and comparisons, each with its expected answer.

* ``ghz``: H then a CX chain, all qubits measured; the answer is all zeros or all ones.
* ``bv``: Bernstein-Vazirani with n - 1 data qubits, one ancilla and the all-ones secret; the
  answer is the secret (one string).
* ``qft``: prepare the basis state of the alternating string 1010..., apply the QFT and its
  inverse, measure; the answer is the prepared string (a QFT round trip: all-to-all phases).

>>> qc, expected = family_circuit("ghz", 3)
>>> qc.num_qubits, sorted(expected)
(3, ['000', '111'])
>>> family_circuit("bv", 4)[1]
('111',)
>>> family_circuit("qft", 4)[1]
('1010',)
"""

from __future__ import annotations

from qiskit import QuantumCircuit
from qiskit.circuit.library import QFTGate

from ionnet.errors import ConfigError

FAMILIES = ("ghz", "bv", "qft")
MIN_QUBITS = 2


def check_family(family: object, num_qubits: object) -> None:
    """Raise ConfigError naming ``circuit.family`` or ``circuit.num_qubits`` when invalid."""
    if family not in FAMILIES:
        raise ConfigError(f"'circuit.family' must be one of {', '.join(FAMILIES)} (got {family!r})")
    if not isinstance(num_qubits, int) or isinstance(num_qubits, bool) or num_qubits < MIN_QUBITS:
        raise ConfigError(f"'circuit.num_qubits' must be an integer >= {MIN_QUBITS} (got {num_qubits!r})")


def family_circuit(family: str, num_qubits: int) -> tuple[QuantumCircuit, tuple[str, ...]]:
    """The circuit of ``family`` on ``num_qubits`` qubits and its expected bitstrings."""
    check_family(family, num_qubits)
    return {"ghz": ghz, "bv": bernstein_vazirani, "qft": qft_round_trip}[family](num_qubits)


def ghz(n: int) -> tuple[QuantumCircuit, tuple[str, ...]]:
    """GHZ state on ``n`` qubits, measured."""
    qc = QuantumCircuit(n, n, name=f"ghz_{n}")
    qc.h(0)
    for q in range(n - 1):
        qc.cx(q, q + 1)
    qc.measure(range(n), range(n))
    return qc, ("0" * n, "1" * n)


def bernstein_vazirani(n: int) -> tuple[QuantumCircuit, tuple[str, ...]]:
    """Bernstein-Vazirani: ``n - 1`` data qubits, ancilla last, secret all ones."""
    data = n - 1
    qc = QuantumCircuit(n, data, name=f"bv_{n}")
    qc.x(data)
    qc.h(range(n))
    for q in range(data):
        qc.cx(q, data)
    qc.h(range(data))
    qc.measure(range(data), range(data))
    return qc, ("1" * data,)


def qft_round_trip(n: int) -> tuple[QuantumCircuit, tuple[str, ...]]:
    """QFT then inverse QFT on the basis state with qubits 1, 3, 5, ... set (decomposed)."""
    qc = QuantumCircuit(n, n, name=f"qft_{n}")
    ones = [q for q in range(n) if q % 2 == 1]
    if ones:
        qc.x(ones)
    qc.append(QFTGate(n), range(n))
    qc.append(QFTGate(n).inverse(), range(n))
    qc.measure(range(n), range(n))
    expected = "".join("1" if q in ones else "0" for q in reversed(range(n)))
    return qc.decompose(reps=3), (expected,)
