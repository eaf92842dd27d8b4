"""Checks shared by the frozen parameter objects: each names the field and the value.

>>> require_probability("detector_efficiency", 0.9)
>>> require_probability("detector_efficiency", 1.5)
Traceback (most recent call last):
...
ionnet.errors.ConfigError: 'detector_efficiency' must be in [0, 1] (got 1.5)
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from collections.abc import Mapping
from typing import Any, TypeVar

from ionnet.errors import ConfigError

T = TypeVar("T")


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def require_number(name: str, value: object) -> None:
    """Raise ConfigError unless ``value`` is a finite real number."""
    if not _is_number(value):
        raise ConfigError(f"'{name}' must be a finite number (got {value!r})")


def require_probability(name: str, value: object) -> None:
    """Raise ConfigError unless ``value`` lies in [0, 1]."""
    require_number(name, value)
    if not 0.0 <= value <= 1.0:  # type: ignore[operator]
        raise ConfigError(f"'{name}' must be in [0, 1] (got {value!r})")


def require_non_negative(name: str, value: object) -> None:
    """Raise ConfigError unless ``value`` >= 0."""
    require_number(name, value)
    if value < 0:  # type: ignore[operator]
        raise ConfigError(f"'{name}' must be >= 0 (got {value!r})")


def require_positive(name: str, value: object) -> None:
    """Raise ConfigError unless ``value`` > 0."""
    require_number(name, value)
    if value <= 0:  # type: ignore[operator]
        raise ConfigError(f"'{name}' must be > 0 (got {value!r})")


def require_positive_int(name: str, value: object, minimum: int = 1) -> None:
    """Raise ConfigError unless ``value`` is an integer >= ``minimum``."""
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ConfigError(f"'{name}' must be an integer >= {minimum} (got {value!r})")


def require_choice(name: str, value: object, choices: typing.Iterable[str]) -> None:
    """Raise ConfigError unless ``value`` is one of ``choices``."""
    options = tuple(choices)
    if value not in options:
        raise ConfigError(f"'{name}' must be one of {', '.join(options)} (got {value!r})")


def _coerce(name: str, value: Any, annotation: Any) -> Any:
    """Coerce a TOML value to a dataclass field's type: ints become floats for float fields."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (types.UnionType, typing.Union):
        if value is None and type(None) in args:
            return None
        inner = [a for a in args if a is not type(None)]
        return _coerce(name, value, inner[0]) if len(inner) == 1 else value
    if annotation is float:
        if not _is_number(value):
            raise ConfigError(f"'{name}' must be a number (got {value!r})")
        return float(value)
    if annotation is int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise ConfigError(f"'{name}' must be an integer (got {value!r})")
        return value
    if annotation is str:
        if not isinstance(value, str):
            raise ConfigError(f"'{name}' must be a string (got {value!r})")
        return value
    if annotation is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"'{name}' must be true or false (got {value!r})")
        return value
    return value


def from_table(cls: type[T], table: Mapping[str, Any], where: str, base: T | None = None) -> T:
    """Build the frozen dataclass ``cls`` from a TOML table, rejecting unknown keys.

    Missing keys keep the value of ``base`` (or the field default when ``base`` is None).
    ``where`` names the table in error messages, e.g. ``[link]``.
    """
    hints = typing.get_type_hints(cls)
    fields = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    for key in table:
        if key not in fields:
            raise ConfigError(f"unknown key '{key}' in {where} (known: {', '.join(sorted(fields))})")
    values = {key: _coerce(key, value, hints[key]) for key, value in table.items()}
    if base is not None:
        return dataclasses.replace(base, **values)  # type: ignore[type-var]
    return cls(**values)
