"""The inputs of the reference methods, prepared as pacov prepares them so the answers are comparable.

Keep designated sites, repair, densify at pacov's step (in the input's units) and project; draw point
sites as circles of REP_AREA (as pacov and UNEP-WCMC do); ranges repaired in the equal-area CRS.
"""

import json
import sys
import time

import geopandas as gpd
import numpy as np
import shapely


def prepare(protected, ranges, crs):
    """(sites, ranges) GeoDataFrames in ``crs`` from the GeoParquet workload files."""
    sites = gpd.read_parquet(protected)
    step = 0.05 if sites.crs.is_geographic else 5000.0  # pacov's densifying step
    sites = sites[sites["STATUS"].isin(["Designated", "Inscribed", "Established"])]
    sites = sites.set_geometry(shapely.segmentize(shapely.make_valid(sites.geometry.to_numpy()), step)).to_crs(crs)
    sites = sites.set_geometry(shapely.make_valid(sites.geometry.to_numpy()))
    points = (sites.geom_type == "Point").to_numpy()
    # radius such that the 128-gon's area is REP_AREA (a radius of sqrt(A/π) falls 4e-4 short)
    unit = shapely.area(shapely.buffer(shapely.Point(0, 0), 1.0, quad_segs=32))
    radius = np.sqrt(sites.loc[points, "REP_AREA"].to_numpy() * 1e6 / unit)
    sites.loc[points, "geometry"] = shapely.buffer(sites.geometry[points].to_numpy(), radius, quad_segs=32)
    species = gpd.read_parquet(ranges)
    species = species.set_geometry(shapely.segmentize(species.geometry.to_numpy(), step)).to_crs(crs)
    species = species.set_geometry(shapely.make_valid(species.geometry.to_numpy()))
    return sites, species


def sql_inputs(protected, ranges, crs):
    """(sites, ranges) as the SQL references load them: the sites' geometry alone, ranges dissolved by species."""
    sites, species = prepare(protected, ranges, crs)
    return sites.assign(sci_name="")[["sci_name", "geometry"]], species.dissolve("sci_name").reset_index()


def sql_main(argv, connect, load, query, check):
    """The command line of an SQL reference. ``--check``: exit 0 when the ``check`` statement runs (the
    database is there). ``PROTECTED RANGES CRS``: the layers of :func:`sql_inputs` loaded as the tables
    sites and ranges (``load(connection, table, frame)``), then ``query`` (rows of species, range ha,
    protected ha): JSON records like pacov's on stdout, the query's own time on stderr."""
    if argv == ["--check"]:
        try:
            connect().execute(check)
            return 0
        except Exception:  # any failure means: this reference cannot run here
            return 1
    sites, species = sql_inputs(*argv)
    connection = connect()
    load(connection, "sites", sites)
    load(connection, "ranges", species)
    start = time.perf_counter()
    rows = connection.execute(query).fetchall()
    print(f"query_seconds {time.perf_counter() - start:.2f}", file=sys.stderr)
    connection.close()
    print(json.dumps([{"species": s, "range_ha": r, "protected_ha": p, "protected_share": p / r} for s, r, p in rows]))
    return 0
