"""analysis layer: sweeps, modular against monolithic, plots (see docs/architecture.md).

Modules (imported one by one so that a sweep worker loads only what its tasks need):

* :mod:`~ionnet.analysis.spec`: sweep files (TOML) and their validation;
* :mod:`~ionnet.analysis.params`: dotted parameter names applied to a network;
* :mod:`~ionnet.analysis.tasks`, :mod:`~ionnet.analysis.kinds`, :mod:`~ionnet.analysis.runkind`,
  :mod:`~ionnet.analysis.estimate`: content-addressed tasks and what each kind computes;
* :mod:`~ionnet.analysis.store`: the SQLite result store and CSV export;
* :mod:`~ionnet.analysis.executor`, :mod:`~ionnet.analysis.sweep`: local pool or Dask, resume;
* :mod:`~ionnet.analysis.circuits`: circuit families with expected answers;
* :mod:`~ionnet.analysis.monolithic`, :mod:`~ionnet.analysis.compare`: modular vs monolithic;
* :mod:`~ionnet.analysis.plots`: figures.
"""
