"""Document sets cross between lists of numbers and ints without changing (search/bitsets.py)."""

from __future__ import annotations

import random

import numpy as np

from catalogue.search.bitsets import as_bytes, bits_from_ids, ids_from_bits


def reference_bits(ids: list[int]) -> int:
    return sum(1 << docnum for docnum in set(ids))


def test_a_set_becomes_the_int_with_those_bits_and_back() -> None:
    generator = random.Random(12)
    for size in (1, 7, 8, 9, 1000, 20_003):
        ids = sorted(generator.sample(range(size), generator.randint(1, size)))
        bits = bits_from_ids(ids, size)
        assert bits == reference_bits(ids)
        assert ids_from_bits(bits) == ids


def test_numbers_in_any_order_and_numpy_arrays_give_the_same_set() -> None:
    ids = [9, 3, 3, 0, 17]
    assert bits_from_ids(ids, 18) == bits_from_ids(np.array(ids, dtype=np.int64), 18)
    assert ids_from_bits(bits_from_ids(ids, 18)) == [0, 3, 9, 17]


def test_the_empty_set() -> None:
    assert bits_from_ids([], 100) == 0
    assert ids_from_bits(0) == []
    assert as_bytes(0) == b"\x00"


def test_bytes_keep_document_n_at_bit_n_mod_8_of_byte_n_div_8() -> None:
    data = as_bytes(bits_from_ids([0, 10], 16))
    assert data[0] == 1 and data[1] == 1 << 2
