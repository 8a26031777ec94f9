"""One reference for every change pacov shows: today, the scenario's layers as they stand.

A scenario may start from another baseline (``as_of = 2024``: the estate before Merke was founded).
Measured against that, a map and the comparison used to give two answers to one question. Every
output now takes its change from here: against today first, and, where the scenario's own baseline
differs, the change against it as a separate line that says what it is ("against the 2024 estate").
"""


def change_records(result):
    """Per species of a ScenarioResult: protected after the scenario and today, the change against
    today (``delta_ha``, ``delta_pp``), and against the scenario's own baseline where it differs
    (``own_baseline`` names it; None, and no own change, where the baseline is today)."""
    today = result.today_species.set_index("species")
    own = result.baseline_species.set_index("species")
    records = []
    for row in result.species.itertuples():
        t, b = today.loc[row.species], own.loc[row.species]
        record = {
            "scenario": result.name,
            "species": row.species,
            "protected_ha": row.protected_ha,
            "protected_share": row.protected_share,
            "today_ha": t["protected_ha"],
            "today_share": t["protected_share"],
            "delta_ha": row.protected_ha - t["protected_ha"],
            "delta_pp": 100 * (row.protected_share - t["protected_share"]),
            "own_baseline": result.baseline_label,
        }
        if result.baseline_label is not None:
            record["own_delta_ha"] = row.protected_ha - b["protected_ha"]
            record["own_delta_pp"] = 100 * (row.protected_share - b["protected_share"])
        records.append(record)
    return records


def change_text(record, own=False):
    """'+43,099 ha (+0.95 pp)': a record's change against today, or against its own baseline."""
    key = "own_delta" if own else "delta"
    return f"{record[f'{key}_ha']:+,.0f} ha ({record[f'{key}_pp']:+.2f} pp)"


def change_rows(record):
    """(label, text) rows for a map's headline: today, the change against today, and against the
    scenario's own baseline on its own labelled line where that differs."""
    rows = [
        ("Today", f"{record['today_ha']:,.0f} ha ({100 * record['today_share']:.1f}%)"),
        ("Change against today", change_text(record)),
    ]
    if record["own_baseline"] is not None:
        rows.append((f"Against {record['own_baseline']}", change_text(record, own=True)))
    return rows


def focal_record(result, species):
    """The record of ``species`` in a ScenarioResult."""
    return next(r for r in change_records(result) if r["species"] == species)
