"""Keep sites by legal STATUS: baselines count only areas that exist in law.

WDPA's statuses are Designated, Inscribed, Established, Adopted, Proposed and Not Reported;
wdpar and UNEP-WCMC keep the first three. Proposed sites belong in scenarios, not baselines.
"""

BASELINE_STATUSES = ("Designated", "Inscribed", "Established")


def filter_status(sites, keep=BASELINE_STATUSES, as_of=None):
    """Return (kept sites, log). ``keep=None`` keeps every status (for data-quality checks);
    ``as_of`` also drops sites whose STATUS_YR is later than that year, or missing (0)."""
    import pandas as pd

    from pacov.cleaning import cleanlog  # here, not at the top: the CLI reads BASELINE_STATUSES at start-up

    ok = (
        sites["STATUS"].str.lower().isin({s.lower() for s in keep})
        if keep is not None
        else pd.Series(True, index=sites.index)
    )
    log = [
        cleanlog.entries(
            sites[~ok],
            "status",
            "dropped",
            [f"STATUS '{s}' is not one of {', '.join(keep)}" for s in sites.loc[~ok, "STATUS"]],
        )
    ]
    if as_of is not None:  # a site with no year cannot be placed in time: left out, as timeline does
        late = ok & (sites["STATUS_YR"] > as_of)
        undated = ok & ~(sites["STATUS_YR"] > 0)
        log.append(
            cleanlog.entries(
                sites[late],
                "status",
                "dropped",
                [f"STATUS_YR {y} is after {as_of}" for y in sites.loc[late, "STATUS_YR"]],
            )
        )
        log.append(
            cleanlog.entries(sites[undated], "status", "dropped", f"no STATUS_YR: not known to exist in {as_of}")
        )
        ok &= ~late & ~undated
    return sites[ok].copy(), cleanlog.combine(log)
