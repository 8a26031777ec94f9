from conftest import sites, square
from pacov.cleaning.status import filter_status


def test_only_legal_statuses_stay_and_unknown_values_are_logged():
    layer = sites(
        [
            {"WDPAID": i, "STATUS": s, "geometry": square(i * 20, 0, 10)}
            for i, s in enumerate(["Designated", "Inscribed", "Established", "Proposed", "Adopted", "Gazetted?"])
        ]
    )
    kept, log = filter_status(layer)
    assert kept["WDPAID"].tolist() == [0, 1, 2]
    assert log["WDPAID"].tolist() == [3, 4, 5]
    assert "STATUS 'Gazetted?' is not one of Designated, Inscribed, Established" in log["reason"].tolist()


def test_status_match_ignores_case_and_as_of_year():
    layer = sites(
        [
            {"WDPAID": 1, "STATUS": "designated", "STATUS_YR": 2025, "geometry": square(0, 0, 1)},
            {"WDPAID": 2, "STATUS_YR": 2024, "geometry": square(5, 0, 1)},
        ]
    )
    assert filter_status(layer)[0]["WDPAID"].tolist() == [1, 2]
    kept, log = filter_status(layer, as_of=2024)
    assert kept["WDPAID"].tolist() == [2] and "STATUS_YR 2025 is after 2024" in log["reason"].iloc[0]


def test_none_keeps_every_status():
    layer = sites(
        [
            {"WDPAID": 1, "STATUS": "Proposed", "geometry": square(0, 0, 1)},
            {"WDPAID": 2, "STATUS": "Whatever", "STATUS_YR": 2030, "geometry": square(5, 0, 1)},
        ]
    )
    kept, log = filter_status(layer, keep=None)
    assert kept["WDPAID"].tolist() == [1, 2] and log.empty
    assert filter_status(layer, keep=None, as_of=2024)[0]["WDPAID"].tolist() == [1]
