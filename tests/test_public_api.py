"""The curated public API is complete, sorted and importable."""

import ionnet


def test_all_is_sorted_and_unique():
    assert list(ionnet.__all__) == sorted(set(ionnet.__all__))


def test_all_names_exist():
    for name in ionnet.__all__:
        assert hasattr(ionnet, name), name
