"""Drop UNESCO-MAB Biosphere Reserves.

Their buffer and transition zones are not managed primarily for nature, so UNEP-WCMC and wdpar
leave them out of coverage statistics; their cores are normally protected areas in their own right.
"""

from pacov.cleaning import cleanlog


def drop_mab(sites):
    """Return (sites without UNESCO-MAB Biosphere Reserves, log)."""
    mab = sites["DESIG_ENG"].str.contains("UNESCO-MAB", case=False, regex=False)
    return sites[~mab].copy(), cleanlog.entries(
        sites[mab], "mab", "dropped", "UNESCO-MAB Biosphere Reserve (not counted, as UNEP-WCMC)"
    )
