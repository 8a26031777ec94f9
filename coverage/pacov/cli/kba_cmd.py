"""``pacov kba``: how much of each Key Biodiversity Area the protected areas cover, today and by year."""

import click

from pacov.cli import options


@click.command("kba")
@options.protected
@click.option(
    "--kba",
    "kba",
    required=True,
    metavar="PATH[:LAYER]",
    help="Key Biodiversity Area polygons, one KBA a feature (licensed by BirdLife: pacov ships none).",
)
@click.option("--by-year", is_flag=True, help="Also give the indicator for each year of designation (STATUS_YR).")
@options.site_type
@options.crs
@options.assume_crs
@options.status
@options.keep_mab
@options.fmt
@options.output
def kba(protected, kba, by_year, site_type, crs, assume_crs, statuses, keep_mab, fmt, output):
    """Mean share of each KBA covered, and share of KBAs wholly (over 98%) covered (SDG 15.1.2 forms).

    A row with no year is today (every site, dated or not).
    """
    import pyproj

    from pacov.analyses.kba import kba_coverage
    from pacov.cleaning.polygons import prepare_polygons
    from pacov.cleaning.project import require_crs
    from pacov.cleaning.site_type import labelled
    from pacov.cli.inputs import clean_options, clean_sites, emit
    from pacov.reading.read import read_layer

    label = f"KBAs {kba}"
    raw = require_crs(read_layer(kba, "KBAs"), label, assume_crs)
    sites = clean_sites(
        protected, crs and pyproj.CRS(crs), assume_crs, clean_options(statuses, keep_mab, site_type), raw
    )
    table = kba_coverage(sites, prepare_polygons(raw, sites.crs, label), by_year, label)
    emit(labelled(table, site_type), fmt, output)
