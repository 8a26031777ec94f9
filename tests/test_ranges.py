import pytest
import shapely

from conftest import EQUAL_AREA, ranges, square
from pacov.engine.ranges import dissolve, prepare_ranges
from pacov.runner import Serial


def test_parts_are_filtered_repaired_and_dissolved_without_double_counting():
    layer = ranges(
        [
            {"sci_name": "A", "geometry": square(0, 0, 10)},
            {"sci_name": "A", "geometry": square(5, 0, 10)},  # overlaps the first part
            {"sci_name": "A", "presence": 5, "geometry": square(50, 0, 10)},  # extinct: filtered out
            {"sci_name": "B", "geometry": square(100, 0, 1)},
        ]
    )
    parts = prepare_ranges(layer, EQUAL_AREA)
    assert len(parts) == 3
    species = dissolve(parts)
    assert species["sci_name"].tolist() == ["A", "B"]
    assert shapely.area(species.geometry.to_numpy()).tolist() == pytest.approx([150e6, 1e6])


def test_dissolve_is_geopandas_dissolve_for_several_keys():
    layer = ranges(
        [
            {"sci_name": name, "geometry": square(x, y, 10)}
            for name, x, y in [("B", 0, 0), ("A", 5, 0), ("B", 5, 5), ("A", 40, 0), ("C", 90, 0)]
        ]
    )
    layer["zone"] = [2, 1, 2, 1, 1]
    ours = dissolve(layer, ["sci_name", "zone"], runner=Serial(progress=True))  # several chunks
    theirs = layer[["sci_name", "zone", "geometry"]].dissolve(by=["sci_name", "zone"], as_index=False, method="unary")
    assert ours[["sci_name", "zone"]].equals(theirs[["sci_name", "zone"]])
    assert ours.crs == layer.crs and all(shapely.equals(ours.geometry.to_numpy(), theirs.geometry.to_numpy()))

    layer["zone"] = [2, None, 2, None, None]  # no zone: dropped, as geopandas does
    assert dissolve(layer, ["zone"])["zone"].tolist() == [2]


def test_a_lone_valid_part_is_its_own_union():
    """No union is run for a species of one row: a valid multipolygon's parts never overlap."""
    layer = ranges([{"sci_name": "A", "geometry": shapely.union(square(0, 0, 10), square(30, 0, 10))}])
    parts = prepare_ranges(layer, EQUAL_AREA)
    species = dissolve(parts)
    assert species.geometry.iloc[0] is parts.geometry.iloc[0]  # the very geometry, not rebuilt
    assert species.geometry.iloc[0].area == pytest.approx(200e6)  # two 10 km squares, by hand
