import pandas as pd
import pytest

from pacov.analyses.gaps import gap_table


def test_status_and_shortfall():
    species = pd.DataFrame(
        {
            "species": ["gap", "partial", "met"],
            "range_ha": [50_000.0, 100_000.0, 50_000.0],  # 500 and 1,000 km²: target 100%
            "protected_ha": [0.0, 40_000.0, 50_000.0],
        }
    )
    species["protected_share"] = species["protected_ha"] / species["range_ha"]
    table = gap_table(species).set_index("species")
    assert table["status"].to_dict() == {"gap": "gap species", "partial": "partial gap", "met": "target met"}
    assert table.loc["partial", "shortfall_ha"] == pytest.approx(60_000)
    assert table.loc["met", "sps"] == 100 and table.loc["partial", "sps"] == 40
