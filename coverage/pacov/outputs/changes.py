"""One reference for every change pacov shows: today, the scenario's layers as they stand.

A scenario may start from another baseline (``as_of = 2024``: the estate before Merke was founded).
Measured against that, a map and the comparison used to give two answers to one question. Every
output now takes its change from here: against today first, and, where the scenario's own baseline
differs, the change against it as a separate line that says what it is ("against the 2024 estate").
The words and numbers are in the map's language (outputs/i18n.py).
"""

from pacov.cleaning.status import BASELINE_STATUSES
from pacov.outputs.i18n import language


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
            "own_as_of": own_year(result),
        }
        if result.baseline_label is not None:
            record["own_delta_ha"] = row.protected_ha - b["protected_ha"]
            record["own_delta_pp"] = 100 * (row.protected_share - b["protected_share"])
        records.append(record)
    return records


def change_text(record, own=False, lang="en"):
    """'+43,099 ha (+0.95 pp)': a record's change against today, or against its own baseline."""
    key, lang = ("own_delta" if own else "delta"), language(lang)
    hectares = record[f"{key}_ha"]
    return f"{'+' if round(hectares) >= 0 else ''}{lang.ha(hectares)} ({lang.pp(record[f'{key}_pp'])})"


def own_year(result):
    """The year of a scenario's own baseline where that is all that differs from today (``as_of``, the
    default statuses), so that its line can be worded in any language; else None."""
    sc = result.scenario
    default = tuple(sc.statuses) == tuple(BASELINE_STATUSES)
    return sc.as_of if result.baseline_label is not None and default else None


def own_baseline_label(record, lang):
    """'Against the 2024 estate' in ``lang``; a baseline of other statuses keeps run.baseline_label's words."""
    if record["own_as_of"] is not None:
        return lang._("Against the {year} estate", year=record["own_as_of"])
    return lang._("Against {baseline}", baseline=record["own_baseline"])


def change_rows(record, lang="en"):
    """(label, text) rows for a map's headline: today, the change against today, and against the
    scenario's own baseline on its own labelled line where that differs."""
    lang = language(lang)
    rows = [
        (lang._("Today"), f"{lang.ha(record['today_ha'])} ({lang.pct(record['today_share'])})"),
        (lang._("Change against today"), change_text(record, lang=lang.code)),
    ]
    if record["own_baseline"] is not None:
        rows.append((own_baseline_label(record, lang), change_text(record, own=True, lang=lang.code)))
    return rows


def focal_record(result, species):
    """The record of ``species`` in a ScenarioResult."""
    return next(r for r in change_records(result) if r["species"] == species)
