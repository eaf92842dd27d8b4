"""Link layer: heralded ebits in simulated time, their storage and purification.

Imports ``ionnet.hardware`` only (see docs/architecture.md). The pieces a discrete-event
runtime drives: :func:`next_herald_delay_s` (time to one pair's next herald),
:func:`sample_herald_state` (the state of that herald) and :func:`stored_state` (the pair after
waiting). Vectorised streams: :func:`generate_ebits`; storage with blocking and cutoffs:
:func:`simulate_storage`; purification: :func:`bbpssw`, :func:`dejmps`; swapping of two
pairs: :func:`entanglement_swap`.
"""

from ionnet.link.buffer import Delivery, StoragePolicy, StorageResult, simulate_storage
from ionnet.link.ebits import Ebit, EbitBatch, generate_ebits, sample_herald_state
from ionnet.link.generation import (
    HeraldTimes,
    next_herald_delay_s,
    sample_herald_times,
    sample_herald_times_per_attempt,
)
from ionnet.link.memory import stored_state, swapped_to_memory
from ionnet.link.purification import PurificationResult, bbpssw, bilateral_cnot, dejmps
from ionnet.link.swapping import entanglement_swap

__all__ = [
    "Delivery",
    "Ebit",
    "EbitBatch",
    "HeraldTimes",
    "PurificationResult",
    "StoragePolicy",
    "StorageResult",
    "bbpssw",
    "bilateral_cnot",
    "dejmps",
    "entanglement_swap",
    "generate_ebits",
    "next_herald_delay_s",
    "sample_herald_state",
    "sample_herald_times",
    "sample_herald_times_per_attempt",
    "simulate_storage",
    "stored_state",
    "swapped_to_memory",
]
