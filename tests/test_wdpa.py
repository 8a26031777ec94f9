import pytest

from conftest import sites, square
from pacov.errors import PacovError
from pacov.reading.wdpa import normalize, schema_of


def test_legacy_schema_passes_through():
    out, log = normalize(sites([{"WDPAID": 5.0, "geometry": square(0, 0, 1)}]), "pa.gpkg")
    assert schema_of(out) == "wdpa-legacy"
    assert out["WDPAID"].dtype == "int64" and out["WDPAID"].iloc[0] == 5
    assert log.empty


def test_november_2025_schema_is_renamed():
    layer = sites([{"WDPAID": 0, "geometry": square(0, 0, 1)}]).drop(columns="WDPAID")
    layer["SITE_ID"], layer["SITE_PID"], layer["SITE_TYPE"] = 77, "77", "OECM"
    layer["REALM"], layer["PRNT_ISO3"] = "Terrestrial", "KAZ"
    assert schema_of(layer) == "wdpa-2025"
    out, _ = normalize(layer, "pa.gpkg")
    assert out["WDPAID"].iloc[0] == 77 and out["WDPA_PID"].iloc[0] == "77"
    assert out["PA_DEF"].iloc[0] == 0 and out["MARINE"].iloc[0] == 0 and out["PARENT_ISO3"].iloc[0] == "KAZ"


def test_lower_case_fields_and_missing_optionals():
    layer = sites([{"WDPAID": 1, "geometry": square(0, 0, 1)}])[["WDPAID", "NAME", "STATUS", "geometry"]]
    layer = layer.rename(columns={"WDPAID": "wdpaid", "NAME": "name", "STATUS": "status"})
    out, _ = normalize(layer, "x")
    assert out["IUCN_CAT"].iloc[0] == "Not Reported" and out["STATUS_YR"].iloc[0] == 0


def test_missing_id_or_misspelt_field_names_the_field():
    layer = sites([{"WDPAID": 1, "geometry": square(0, 0, 1)}])
    with pytest.raises(PacovError, match="no field WDPAID or SITE_ID"):
        normalize(layer.drop(columns="WDPAID"), "pa.gpkg")
    with pytest.raises(PacovError, match="no field STATUS \\(did you mean 'STATUSS'\\?\\)"):
        normalize(layer.rename(columns={"STATUS": "STATUSS"}), "pa.gpkg")


def test_bad_values_are_logged_or_refused():
    layer = sites(
        [
            {"WDPAID": 1, "REP_AREA": -3, "geometry": square(0, 0, 1)},
            {"WDPAID": 2, "STATUS_YR": "unknown", "geometry": square(5, 0, 1)},
        ]
    )
    out, log = normalize(layer, "x")
    assert out["REP_AREA"].isna().iloc[0] and out["STATUS_YR"].iloc[1] == 0
    assert sorted(log["WDPAID"]) == [1, 2]
    layer["WDPAID"] = ["abc", 2]
    with pytest.raises(PacovError, match="feature 1 has WDPAID 'abc'"):
        normalize(layer, "x")
