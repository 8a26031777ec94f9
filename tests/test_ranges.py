import pytest
import shapely

from conftest import EQUAL_AREA, ranges, square
from coverage.ranges import dissolve, prepare_ranges


def test_parts_are_filtered_repaired_and_dissolved_without_double_counting():
    layer = ranges([{"sci_name": "A", "geometry": square(0, 0, 10)},
                    {"sci_name": "A", "geometry": square(5, 0, 10)},             # overlaps the first part
                    {"sci_name": "A", "presence": 5, "geometry": square(50, 0, 10)},  # extinct: filtered out
                    {"sci_name": "B", "geometry": square(100, 0, 1)}])
    parts = prepare_ranges(layer, EQUAL_AREA)
    assert len(parts) == 3
    species = dissolve(parts)
    assert species["sci_name"].tolist() == ["A", "B"]
    assert shapely.area(species.geometry.to_numpy()).tolist() == pytest.approx([150e6, 1e6])
