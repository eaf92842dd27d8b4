"""The StateBackend contract, run on every backend, and Clifford programs cross-checked."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ionnet.errors import BackendError
from ionnet.seeding import stream
from ionnet.states import (
    BACKENDS,
    StateBackend,
    amplitude_damping_kraus,
    gate_unitary,
    make_backend,
    pauli_matrix,
)

NAMES = sorted(BACKENDS)
BELL = np.array([1, 0, 0, 1]) / math.sqrt(2)
Z_95 = 1.96
Z_WIDE = 4.0  # a stated 4-sigma band: a correct backend fails it with probability < 1e-4


def new(name: str, seed: int = 0, tag: str = "contract") -> StateBackend:
    return make_backend(name, stream(seed, "tests", tag, name))


@pytest.fixture(params=NAMES)
def backend(request: pytest.FixtureRequest) -> StateBackend:
    return new(request.param)


def test_allocate_gives_fresh_zero_qubits(backend: StateBackend) -> None:
    q = backend.allocate(3)
    assert len(set(q)) == 3 and backend.num_qubits == 3
    assert all(backend.expectation("Z", [x]) == pytest.approx(1.0) for x in q)
    assert backend.allocate(1)[0] not in q


def test_release_drops_the_qubit(backend: StateBackend) -> None:
    a, b = backend.allocate(2)
    backend.release(a)
    assert backend.qubits == (b,)
    with pytest.raises(BackendError, match=f"qubit {a}"):
        backend.apply_gate("X", [a])


def test_release_keeps_the_partner_reduced_state(backend: StateBackend) -> None:
    a, b = backend.allocate(2)
    backend.apply_gate("X", [a])
    backend.apply_gate("CX", [a, b])
    backend.release(a)
    assert backend.expectation("Z", [b]) == pytest.approx(-1.0)


def test_bell_state_expectations_and_fidelity(backend: StateBackend) -> None:
    a, b = backend.allocate(2)
    backend.apply_gate("H", [a])
    backend.apply_gate("CX", [a, b])
    assert [backend.expectation(p, [a, b]) for p in ("ZZ", "XX", "YY", "ZI")] == pytest.approx([1, 1, -1, 0])
    assert backend.fidelity(BELL, [a, b]) == pytest.approx(1.0)
    assert backend.stabilizer_fidelity(["+XX", "+ZZ"], [a, b]) == pytest.approx(1.0)
    assert backend.stabilizer_fidelity(["+XX", "-ZZ"], [a, b]) == pytest.approx(0.0)


def test_reduced_fidelity_of_half_a_bell_pair_is_one_half(backend: StateBackend) -> None:
    a, b = backend.allocate(2)
    backend.apply_gate("H", [a])
    backend.apply_gate("CX", [a, b])
    assert backend.fidelity(np.array([1, 0]), [a]) == pytest.approx(0.5)


def test_measure_is_deterministic_on_basis_states_and_collapses(backend: StateBackend) -> None:
    a, b = backend.allocate(2)
    backend.apply_gate("X", [b])
    assert (backend.measure(a), backend.measure(b)) == (0, 1)
    backend.apply_gate("H", [a])
    backend.apply_gate("CX", [a, b])
    m = backend.measure(a)
    assert backend.measure(b) == 1 - m  # b was |1>, CX copies a onto it


def test_reset_returns_to_zero(backend: StateBackend) -> None:
    (a,) = backend.allocate(1)
    backend.apply_gate("H", [a])
    backend.reset(a)
    assert backend.expectation("Z", [a]) == pytest.approx(1.0)


@pytest.mark.parametrize("name", NAMES)
def test_measurement_statistics_of_plus_state(name: str) -> None:
    shots = 2000
    ones = 0
    backend = new(name, tag="plus")
    (a,) = backend.allocate(1)
    for _ in range(shots):
        backend.apply_gate("H", [a])
        ones += backend.measure(a)
        backend.reset(a)
    half_width = Z_WIDE * math.sqrt(0.25 / shots)
    assert abs(ones / shots - 0.5) < half_width


def test_seed_reproduces_outcomes() -> None:
    for name in NAMES:
        runs = []
        for _ in range(2):
            b = new(name, seed=3, tag="repro")
            q = b.allocate(4)
            for x in q:
                b.apply_gate("H", [x])
            runs.append([b.measure(x) for x in q])
        assert runs[0] == runs[1], name


def test_copy_is_independent(backend: StateBackend) -> None:
    (a,) = backend.allocate(1)
    other = backend.copy()
    other.apply_gate("X", [a])
    assert backend.expectation("Z", [a]) == pytest.approx(1.0)
    assert other.expectation("Z", [a]) == pytest.approx(-1.0)


def test_bad_requests_raise_backend_error(backend: StateBackend) -> None:
    a, b = backend.allocate(2)
    with pytest.raises(BackendError, match="unknown gate"):
        backend.apply_gate("FOO", [a])
    with pytest.raises(BackendError, match="acts on 2"):
        backend.apply_gate("CX", [a])
    with pytest.raises(BackendError, match="distinct"):
        backend.apply_gate("CX", [a, a])
    with pytest.raises(BackendError, match="not unitary"):
        backend.apply_gate(np.ones((2, 2)), [a])
    with pytest.raises(BackendError, match="sum to 1"):
        backend.apply_pauli_channel([a], {"X": 0.7, "Z": 0.7})
    with pytest.raises(BackendError, match="trace preserving"):
        backend.apply_kraus([np.eye(2) * 2], [a])
    with pytest.raises(BackendError, match="Pauli string"):
        backend.expectation("XQ", [a, b])


def test_size_limit_is_enforced() -> None:
    b = make_backend("density", stream(0, "limit"), max_qubits=2)
    b.allocate(2)
    with pytest.raises(BackendError, match="at most 2"):
        b.allocate(1)


def test_stabilizer_rejects_non_clifford() -> None:
    b = new("stabilizer")
    (a,) = b.allocate(1)
    with pytest.raises(BackendError, match="not a Clifford"):
        b.apply_gate("T", [a])
    with pytest.raises(BackendError, match="not a Clifford"):
        b.apply_gate("RZ", [a], [0.3])
    with pytest.raises(BackendError, match="not a stabilizer state"):
        b.fidelity(np.array([1, np.exp(1j * np.pi / 4)]) / math.sqrt(2), [a])


def _mean_z_after(name: str, shots: int, prepare, channel) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Mean and 95 % half-width of <Z> after ``channel`` (exact on the density backend)."""
    b = new(name, tag="channel")
    (a,) = b.allocate(1)
    values = []
    for _ in range(1 if b.is_exact else shots):
        prepare(b, a)
        channel(b, a)
        values.append(b.expectation("Z", [a]))
        b.reset(a)
    return float(np.mean(values)), Z_WIDE * float(np.std(values)) / math.sqrt(len(values))


@pytest.mark.parametrize("name", NAMES)
def test_pauli_channel_statistics(name: str) -> None:
    mean, hw = _mean_z_after(
        name, 4000, lambda b, a: None, lambda b, a: b.apply_pauli_channel([a], {"X": 0.2, "Y": 0.1})
    )
    assert abs(mean - (1 - 2 * 0.3)) <= hw + 1e-12


@pytest.mark.parametrize("name", NAMES)
def test_amplitude_damping_exact_and_twirled(name: str) -> None:
    gamma = 0.4
    mean, hw = _mean_z_after(
        name,
        4000,
        lambda b, a: b.apply_gate("X", [a]),
        lambda b, a: b.apply_kraus(amplitude_damping_kraus(gamma), [a]),
    )
    # exact: |1> decays to |0> with probability gamma; stim's twirl flips with gamma/2 (X or Y)
    expected = -(1 - 2 * gamma / 2) if name == "stabilizer" else -1 + 2 * gamma
    assert abs(mean - expected) <= hw + 1e-12


CLIFFORD_GATES = [
    ("H", ()),
    ("S", ()),
    ("SDG", ()),
    ("SX", ()),
    ("X", ()),
    ("Y", ()),
    ("RZ", (np.pi / 2,)),
    ("RX", (np.pi,)),
    ("GPI", (0.0,)),
    ("GPI2", (np.pi / 2,)),
    ("R", (np.pi / 2, 0.0)),
    ("U", (np.pi / 2, 0.0, np.pi)),
    ("CX", ()),
    ("CZ", ()),
    ("SWAP", ()),
    ("MS", (0.0, 0.0, np.pi / 2)),
    ("ZZ", (np.pi / 2,)),
    ("CP", (np.pi,)),
]


def _random_clifford_program(seed: int, n: int, depth: int) -> list[tuple[str, tuple[float, ...], list[int]]]:
    rng = np.random.default_rng(seed)
    program = []
    for _ in range(depth):
        name, params = CLIFFORD_GATES[rng.integers(len(CLIFFORD_GATES))]
        k = 2 if name in {"CX", "CZ", "SWAP", "MS", "ZZ", "CP"} else 1
        program.append((name, params, [int(x) for x in rng.choice(n, size=k, replace=False)]))
    return program


@pytest.mark.parametrize("seed", range(5))
def test_clifford_programs_agree_exactly_without_noise(seed: int) -> None:
    program = _random_clifford_program(seed, 4, 30)
    paulis = ["ZIII", "XXII", "IYZI", "ZZZZ", "XIXY", "IIYX"]
    results = {}
    for name in NAMES:
        b = new(name, tag="clifford")
        q = b.allocate(4)
        for gate, params, where in program:
            b.apply_gate(gate, [q[i] for i in where], params)
        results[name] = [b.expectation(p, q) for p in paulis]
    for name in NAMES:
        assert results[name] == pytest.approx(results["density"], abs=1e-9), name


@pytest.mark.parametrize("name", ["statevector", "stabilizer"])
def test_noisy_clifford_program_statistics_match_density(name: str) -> None:
    program = _random_clifford_program(11, 3, 15)
    shots = 2000

    def run(b: StateBackend) -> list[int]:
        q = b.allocate(3)
        for gate, params, where in program:
            b.apply_gate(gate, [q[i] for i in where], params)
            b.depolarize([q[i] for i in where], 0.05)
        return q

    exact = new("density", tag="noisy")
    q = run(exact)
    p_one = [(1 - exact.expectation("Z", [x])) / 2 for x in q]
    sampler = new(name, tag="noisy")
    counts = np.zeros(3)
    for _ in range(shots):
        qs = run(sampler)
        counts += [sampler.measure(x) for x in qs]
        sampler.release(qs)
    for p, c in zip(p_one, counts, strict=True):
        assert abs(c / shots - p) < Z_WIDE * math.sqrt(max(p * (1 - p), 1e-4) / shots) + 1e-9


def test_statevector_matches_density_on_nine_qubits_with_permuted_axes() -> None:
    rng = np.random.default_rng(8)
    sv, dm = new("statevector", tag="nine"), new("density", tag="nine")
    qs, qd = sv.allocate(9), dm.allocate(9)
    program = [
        ("U", (0.3, 1.2, -0.4), [7]),
        ("MS", (0.1, 0.7, 1.0), [6, 8]),
        ("CX", (), [0, 7]),
        ("RY", (0.9,), [8]),
        ("CP", (0.4,), [7, 2]),
        ("SWAP", (), [6, 1]),
        ("R", (0.5, 0.2), [6]),
    ]
    program += [(n, p, [int(x) for x in rng.choice(9, size=len(w), replace=False)]) for n, p, w in program]
    for name, params, where in program:
        sv.apply_gate(name, [qs[i] for i in where], params)
        dm.apply_gate(name, [qd[i] for i in where], params)
    assert dm.fidelity(sv.statevector(), qd) == pytest.approx(1.0, abs=1e-10)
    assert sv.expectation("XZY", [qs[8], qs[0], qs[6]]) == pytest.approx(
        dm.expectation("XZY", [qd[8], qd[0], qd[6]])
    )
    assert sv.fidelity(
        dm.density_matrix([qd[7], qd[8]])[:, 0] * 0 + np.array([1, 0, 0, 0]), [qs[7], qs[8]]
    ) == (pytest.approx(float(np.real(dm.density_matrix([qd[7], qd[8]])[0, 0]))))


def _reference_apply(psi: np.ndarray, u: np.ndarray, axes: list[int]) -> np.ndarray:
    k = len(axes)
    moved = np.tensordot(u.reshape((2,) * 2 * k), psi, axes=(list(range(k, 2 * k)), axes))
    return np.moveaxis(moved, list(range(k)), axes)


@pytest.mark.parametrize("n", [10, 13])
def test_statevector_matches_tensordot_reference_on_larger_registers(n: int) -> None:
    """Covers the axis permutation done for gates near the end of the tensor."""
    rng = np.random.default_rng(n)
    sv = new("statevector", tag=f"ref{n}")
    q = sv.allocate(n)
    psi = np.zeros((2,) * n, dtype=complex)
    psi[(0,) * n] = 1
    names = [("U", (0.3, 1.2, -0.4)), ("MS", (0.1, 0.7, 1.0)), ("CX", ()), ("RY", (0.9,)), ("CP", (0.4,))]
    for step in range(40):
        name, params = names[step % len(names)]
        width = 2 if name in ("MS", "CX", "CP") else 1
        where = [int(x) for x in rng.choice(n, size=width, replace=False)]
        if step % 3 == 0:  # favour the last axes, where the backend permutes
            where = [n - 1 - i for i in range(width)][:: (-1) ** step]
        sv.apply_gate(name, [q[i] for i in where], params)
        psi = _reference_apply(psi, gate_unitary(name, params), where)
    assert abs(np.vdot(psi.reshape(-1), sv.statevector())) == pytest.approx(1.0, abs=1e-10)
    assert sv.expectation("ZX", [q[n - 1], q[0]]) == pytest.approx(
        float(
            np.real(
                np.vdot(
                    psi.reshape(-1),
                    _reference_apply(
                        _reference_apply(psi, pauli_matrix("Z"), [n - 1]), pauli_matrix("X"), [0]
                    ).reshape(-1),
                )
            )
        )
    )


def test_density_two_qubit_channels_exact() -> None:
    b = new("density", tag="two-qubit-channels")
    a, c = b.allocate(2)
    b.apply_gate("H", [a])
    b.apply_gate("CX", [a, c])
    b.apply_pauli_channel([a, c], {"ZZ": 0.3})  # a stabilizer of |Φ+>: no effect
    assert b.fidelity(BELL, [a, c]) == pytest.approx(1.0)
    b.depolarize([a, c], 0.3)  # XX, YY, ZZ keep |Φ+>: F = 1 - p + 3p/15
    assert b.fidelity(BELL, [a, c]) == pytest.approx(1 - 0.3 + 0.3 / 5)
    b.apply_pauli_channel([a, c], {"XI": 0.25})
    assert b.expectation("ZZ", [a, c]) == pytest.approx((1 - 0.3 * 16 / 15) * (1 - 0.5))
    swap_half = [math.sqrt(0.5) * np.eye(4), math.sqrt(0.5) * gate_unitary("SWAP")]
    b.apply_kraus(swap_half, [a, c])  # the state is swap-symmetric: unchanged
    assert b.expectation("ZZ", [a, c]) == pytest.approx((1 - 0.3 * 16 / 15) * 0.5)
