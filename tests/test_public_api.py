"""The curated public API is complete, sorted and importable."""

import pytest

import ionnet


def test_all_is_sorted_and_unique():
    assert list(ionnet.__all__) == sorted(set(ionnet.__all__))


def test_all_names_exist():
    for name in ionnet.__all__:
        assert hasattr(ionnet, name), name


def test_every_lazy_name_is_public():
    assert set(ionnet._LAZY) <= set(ionnet.__all__)


def test_unknown_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = ionnet.no_such_name
