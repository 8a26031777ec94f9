"""``pacov report --format json``: the report's main figures as one JSON object.

``species`` (coverage records), ``indicator`` (region, protected area and share, the official figures
and targets each with protected_ha, share and year), ``zones``, ``protconn`` (region and focal range)
``scenarios`` (records as ``pacov scenario compare --format json``) and ``gbf_target3`` (records as
``pacov gbf`` writes them), rounded as the CSV tables are.
"""

import json

import pandas as pd

from pacov.outputs.tables import to_records

ZONE_COLUMNS = ["zone", "species", "range_ha", "protected_ha"]
PROTCONN_COLUMNS = ["region", "species", "distance_m", "protconn"]


def zone_records(report):
    if "coverage_by_zone" not in report.tables:
        return []
    table = report.tables["coverage_by_zone"][1]
    return to_records(table.rename(columns={report.study.zone_field: "zone"})[ZONE_COLUMNS])


def protconn_records(report):
    """Rows of the region's and the focal range's ProtConn: ``region`` or ``species`` names the area."""
    frames = [report.tables[n][1] for n in ("region_connectivity", "focal_connectivity") if n in report.tables]
    table = pd.concat(frames, ignore_index=True).reindex(columns=PROTCONN_COLUMNS)
    return [{k: v for k, v in r.items() if v is not None} for r in to_records(table)]


def indicator_record(figures):
    return {k: figures[k] for k in ("region_ha", "protected_ha", "share", "official", "targets")}


def report_json(report):
    scenarios = report.tables.get("scenario_comparison")
    document = {
        "study": report.study.name,
        "focal": report.study.focal,
        "site_type": report.site_type,
        "species": to_records(report.tables["species_coverage"][1]),
        "indicator": indicator_record(report.indicator),
        "zones": zone_records(report),
        "protconn": protconn_records(report),
        "scenarios": to_records(scenarios[1]) if scenarios else [],
        "gbf_target3": to_records(report.tables["gbf_target3"][1]) if "gbf_target3" in report.tables else [],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
