"""Hand-drawn proposal layers: polygons with an id or a name become proposals, each default logged."""

import logging

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from conftest import run_pacov, square
from pacov.errors import PacovError
from pacov.reading.drawn import FIRST_ID, as_proposals, id_field_of, is_drawn
from scenario_helpers import CRS, write_world


def drawn(**columns):
    n = len(next(iter(columns.values())))
    return gpd.GeoDataFrame(columns, geometry=[square(10 * k, 0, 5) for k in range(n)], crs=CRS)


def test_defaults_are_filled_and_each_is_logged(caplog):
    layer = drawn(name=["north", "south"])
    assert is_drawn(layer)
    with caplog.at_level(logging.WARNING, logger="pacov.reading.drawn"):
        out = as_proposals(layer, "drawn.gpkg")
    assert list(out["WDPAID"]) == [FIRST_ID, FIRST_ID + 1] and FIRST_ID > 555_999_999
    assert list(out["NAME"]) == ["north", "south"]
    assert set(out["STATUS"]) == {"Proposed"} and set(out["IUCN_CAT"]) == {"Not Reported"}
    logged = " ".join(r.getMessage() for r in caplog.records)
    for default in ("WDPAID generated", "STATUS set to Proposed", "IUCN_CAT set to Not Reported", "NAME taken from"):
        assert default in logged and "drawn.gpkg" in logged


def test_id_field_is_one_filled_in_for_every_polygon():
    assert id_field_of(drawn(id=[None, None], name=["a", "b"]), "x") == "name"  # QGIS leaves "id" empty
    assert id_field_of(drawn(id=[1, 2], name=["a", "a"]), "x") == "id"
    with pytest.raises(PacovError, match="unique id or name"):
        id_field_of(drawn(name=["a", "a"]), "x")
    with pytest.raises(PacovError, match="fields now: none"):
        id_field_of(gpd.GeoDataFrame(geometry=[square(0, 0, 1)], crs=CRS), "x")


def test_a_scenario_adds_a_drawn_polygon_by_its_id(tmp_path):
    write_world(tmp_path)
    # only an integer "id": reading upper-cases it (ID), the scenario still finds id 7
    gpd.GeoDataFrame({"id": [7]}, geometry=[square(45, 0, 10)], crs=CRS).to_file(tmp_path / "drawn.gpkg")
    (tmp_path / "s.toml").write_text(
        'name = "s"\n[baseline]\nprotected = "pa.gpkg"\nranges = "ranges.gpkg"\n'
        '[[operations]]\nop = "add"\nlayer = "drawn.gpkg"\nid_field = "id"\nids = [7]\n',
        encoding="utf-8",
    )
    done = run_pacov("scenario", "run", tmp_path / "s.toml", "--out-dir", tmp_path)
    assert done.returncode == 0, done.stderr
    assert "STATUS set to Proposed" in done.stderr and "WDPAID generated" in done.stderr
    gain = pd.read_csv(tmp_path / "scenario_s_operations.csv").set_index("species").at["A", "range_gain_ha"]
    sites = gpd.read_file(tmp_path / "pa.gpkg").union_all()
    rng = gpd.read_file(tmp_path / "ranges.gpkg").set_index("sci_name").geometry["A"]
    expected = shapely.difference(shapely.intersection(square(45, 0, 10), rng), sites).area / 1e4
    # by hand: x 45–50 km of range A (5,000 ha) less site 3's x 45–46, y 0–5 km (500 ha)
    assert gain == pytest.approx(expected, abs=0.01) and expected == pytest.approx(4_500)
