"""The GBF Target 3 table's geometry for QGIS: the sites 3.1 counts, and each KBA's covered share."""

from pacov.analyses.kba import WHOLLY_COVERED, covered_shares
from pacov.engine.flatten import erase_overlaps

SITE_COLUMNS = ("WDPAID", "NAME", "SITE_TYPE", "DESIG_ENG", "IUCN_CAT", "STATUS_YR")


def gbf_layers(sites, study, scenarios=()):
    """``gbf_sites``: today's sites flattened (a hectare once), with SITE_TYPE; ``gbf_kba`` when the
    study has KBAs: each KBA's ``covered_share`` today, ``wholly_covered``, and
    ``covered_share_<scenario>`` under each scenario (name, sites, source)."""
    flat, _ = erase_overlaps(sites)
    layers = {"gbf_sites": flat[[c for c in SITE_COLUMNS if c in flat.columns] + [flat.geometry.name]]}
    if study.kbas is not None:
        kbas = study.kbas.copy()
        kbas["covered_share"] = covered_shares(sites, kbas)
        kbas["wholly_covered"] = kbas["covered_share"] > WHOLLY_COVERED
        for name, scenario_sites, _ in scenarios:
            kbas[f"covered_share_{name}"] = covered_shares(scenario_sites, kbas)
        layers["gbf_kba"] = kbas
    return layers
