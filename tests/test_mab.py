from conftest import sites, square
from pacov.cleaning.mab import drop_mab


def test_biosphere_reserves_are_dropped_and_logged():
    layer = sites(
        [
            {"WDPAID": 1, "DESIG_ENG": "UNESCO-MAB Biosphere Reserve", "geometry": square(0, 0, 50)},
            {"WDPAID": 2, "DESIG_ENG": "World Heritage Site (natural or mixed)", "geometry": square(0, 0, 5)},
            {"WDPAID": 3, "DESIG_ENG": "State National Nature Park", "geometry": square(0, 0, 5)},
        ]
    )
    kept, log = drop_mab(layer)
    assert kept["WDPAID"].tolist() == [2, 3]
    assert log["WDPAID"].tolist() == [1] and log["step"].iloc[0] == "mab"
