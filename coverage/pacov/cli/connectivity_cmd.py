"""``pacov connectivity``: ProtConn of the protected areas in a region or in each species' range."""

from pathlib import Path

import click

from pacov.cli import options
from pacov.embedded import embedded_study


def regions_from(region, ranges, species, assume_crs):
    """(key, [(name, geometry)], raw frames) for --region, --ranges, or the embedded outline."""
    import shapely

    from pacov.cleaning.polygons import prepare_polygons
    from pacov.cleaning.project import require_crs
    from pacov.engine.ranges import dissolve, prepare_ranges
    from pacov.reading.read import read_layer

    if region and ranges:
        raise click.UsageError("give --region or --ranges, not both")
    if ranges:
        raw = require_crs(read_layer(ranges, "ranges"), f"ranges {ranges}", assume_crs)
        return (
            "species",
            raw,
            lambda crs: [
                (row.sci_name, row.geometry)
                for row in dissolve(prepare_ranges(raw, crs, f"ranges {ranges}", species=list(species))).itertuples()
            ],
        )
    if species:
        raise click.UsageError("--species needs --ranges")
    if region is None:
        region = embedded_study().region  # the embedded study's region (its loader says if it is missing)
    label = f"region {region}"
    raw = require_crs(read_layer(region, "region"), label, assume_crs)

    def outline(crs):
        polygons = prepare_polygons(raw, crs, label)
        return [(Path(str(region)).stem, shapely.union_all(polygons.geometry.to_numpy()))]

    return "region", raw, outline


@click.command("connectivity")
@options.protected
@click.option("--region", default=None, metavar="PATH[:LAYER]", help="Region polygons (their union is one region).")
@click.option("--ranges", default=None, metavar="PATH[:LAYER]", help="Species ranges: one region per species.")
@options.species
@click.option(
    "--distance",
    "distances",
    multiple=True,
    required=True,
    type=float,
    metavar="METRES",
    help="Median dispersal distance in metres, where p = 0.5 (repeatable).",
)
@click.option(
    "--each",
    "each",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write dECA per site (percent of ECA lost without it) to this table (csv, md or json by suffix).",
)
@options.crs
@options.assume_crs
@options.status
@options.keep_mab
@options.site_type
@options.fmt
@options.output
@options.gpkg
def connectivity(protected, region, ranges, species, distances, each, crs, assume_crs, statuses, keep_mab, site_type,
                 fmt, output, gpkg):  # fmt: skip
    """ProtConn (Saura et al.): the protected and connected share of a region, in percent.

    Links between flattened protected areas have p = exp(-k d), k = ln 2 / median dispersal
    distance, d the edge-to-edge distance; ECA = sqrt(sum a_i a_j p*_ij) over the best paths.
    """
    import pandas as pd
    import pyproj

    from pacov.analyses.connectivity import check_distances, network, protconn, site_importance
    from pacov.cleaning.site_type import labelled
    from pacov.cli.inputs import clean_options, clean_sites, emit

    distances = check_distances(distances)
    key, raw, regions_in = regions_from(region, ranges, species, assume_crs)
    sites = clean_sites(
        protected, crs and pyproj.CRS(crs), assume_crs, clean_options(statuses, keep_mab, site_type), raw
    )
    crs = sites.crs
    regions = regions_in(crs)
    emit(labelled(protconn(sites, regions, distances, key), site_type), fmt, output)
    if each or gpkg:
        nets = [network(sites, name, geom) for name, geom in regions]
        tables = [site_importance(net, d) for net in nets for d in distances]
    if each:
        emit(pd.concat(tables, ignore_index=True).rename(columns={"region": key}), None, each)
    if gpkg:
        from pacov.outputs.gis_layers import connectivity_nodes, write_gis

        write_gis({"connectivity_nodes": connectivity_nodes(nets, tables, distances, key)}, gpkg)
