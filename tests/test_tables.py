import json

import pandas as pd

from pacov.outputs.tables import render


def table():
    return pd.DataFrame(
        {
            "species": ["Panthera uncia", "A|B"],
            "range_ha": [5_123_456.789, 10.0],
            "protected_ha": [3_600_000.004, 0.0],
            "protected_share": [0.70267, 0.0],
        }
    )


def test_text_and_markdown_show_the_same_rounded_figures():
    text = render(table(), "table", "Title", footer="Footer note")
    assert "5,123,457" in text and "70.3%" in text and text.rstrip().endswith("Footer note")
    md = render(table(), "md", "Title", footer="Footer note")
    assert md.startswith("## Title") and "| 5,123,457 |" in md and "A\\|B" in md


def test_machine_formats_keep_fractions_and_two_decimals():
    records = json.loads(render(table(), "json"))
    assert records[0] == {
        "species": "Panthera uncia",
        "range_ha": 5123456.79,
        "protected_ha": 3600000.0,
        "protected_share": 0.70267,
    }
    csv = render(table(), "csv").splitlines()
    assert csv[1] == "Panthera uncia,5123456.79,3600000.0,0.70267"
