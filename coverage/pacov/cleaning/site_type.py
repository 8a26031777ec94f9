"""Keep sites by type: protected areas, OECMs, or both (GBF Target 3 counts both and reports each).

reading/wdpa.py gives every site a SITE_TYPE ('PA' or 'OECM') whatever the schema. Filtering comes
before flattening, so each choice gets its own flattened estate: 'all' counts a hectare under a PA
and an OECM once, and 'pa' and 'oecm' each count their own sites' whole area.
"""

SITE_TYPE_CHOICES = ("pa", "oecm", "all")


def filter_site_type(sites, keep="all"):
    """Return (kept sites, log): ``keep`` 'pa', 'oecm' or 'all' (nothing dropped)."""
    from pacov.cleaning import cleanlog  # here, not at the top: the CLI reads SITE_TYPE_CHOICES at start-up

    if keep == "all":
        return sites, cleanlog.empty()
    other = sites["SITE_TYPE"].str.lower() != keep
    reason = f"SITE_TYPE is not {keep.upper()} (--site-type {keep})"
    return sites[~other].copy(), cleanlog.entries(sites[other], "site type", "dropped", reason)


def labelled(table, site_type):
    """``table`` with a first column ``site_type``: every table says which sites it counted."""
    out = table.copy()
    out.insert(0, "site_type", site_type)
    return out
