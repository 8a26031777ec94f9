import pytest

from conftest import ranges, square
from pacov.errors import PacovError
from pacov.reading.iucn import filter_codes, normalize


def coded(*codes):
    return ranges(
        [
            {"sci_name": "Saiga tatarica", "presence": p, "origin": o, "seasonal": s, "geometry": square(i * 20, 0, 10)}
            for i, (p, o, s) in enumerate(codes)
        ]
    )


def test_dopa_default_filter():
    layer = normalize(coded((1, 1, 1), (2, 2, 3), (3, 1, 1), (1, 3, 1), (1, 1, 4), (5, 1, 1)), "r")
    assert filter_codes(layer).index.tolist() == [0, 1]
    assert filter_codes(layer, presence=(1, 2, 3, 5)).index.tolist() == [0, 1, 2, 5]


def test_binomial_is_accepted_and_codes_validated():
    layer = coded((1, 1, 1)).rename(columns={"sci_name": "binomial", "presence": "PRESENCE"})
    assert normalize(layer, "r")["sci_name"].iloc[0] == "Saiga tatarica"
    with pytest.raises(PacovError, match=r"feature 1 \(sci_name Saiga tatarica\) has origin '9'; valid codes are 1–6"):
        normalize(coded((1, 9, 1)), "r")


def test_missing_name_or_code_field():
    with pytest.raises(PacovError, match="no field sci_name or binomial"):
        normalize(coded((1, 1, 1)).drop(columns="sci_name"), "r")
    with pytest.raises(PacovError, match="no field seasonal"):
        normalize(coded((1, 1, 1)).drop(columns="seasonal"), "r")
