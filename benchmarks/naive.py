"""The naive reference: geopandas overlay of each range with the dissolved protected areas.

What an analyst writes first: keep designated sites, repair, densify and project (as pacov does, so
the answers are comparable), dissolve everything into one geometry, ``geopandas.overlay`` with the ranges, sum the areas. Prints JSON records like pacov's.

    python benchmarks/naive.py PROTECTED RANGES CRS
"""

import json
import sys

import geopandas as gpd
import numpy as np
import shapely


def main(protected, ranges, crs):
    sites = gpd.read_parquet(protected)
    step = 0.05 if sites.crs.is_geographic else 5000.0  # pacov's densifying step, in the input's units
    sites = sites[sites["STATUS"].isin(["Designated", "Inscribed", "Established"])]
    sites = sites.set_geometry(shapely.segmentize(shapely.make_valid(sites.geometry.to_numpy()), step)).to_crs(crs)
    points = sites.geom_type == "Point"  # point sites: circles of REP_AREA, as pacov and UNEP-WCMC draw them
    radius = np.sqrt(sites.loc[points, "REP_AREA"].to_numpy() * 1e6 / np.pi)
    sites.loc[points, "geometry"] = shapely.buffer(sites.geometry[points].to_numpy(), radius, quad_segs=32)
    species = gpd.read_parquet(ranges)
    species = species.set_geometry(shapely.segmentize(species.geometry.to_numpy(), step)).to_crs(crs)
    species = species.set_geometry(shapely.make_valid(species.geometry.to_numpy()))
    dissolved = gpd.GeoDataFrame(geometry=[shapely.union_all(sites.geometry.to_numpy())], crs=crs)
    ranges_ha = species.dissolve("sci_name").area / 1e4
    inside = gpd.overlay(species[["sci_name", "geometry"]], dissolved, how="intersection")
    protected_ha = inside.dissolve("sci_name").area.reindex(ranges_ha.index, fill_value=0) / 1e4
    print(
        json.dumps(
            [
                {"species": s, "range_ha": r, "protected_ha": p, "protected_share": p / r}
                for s, r, p in zip(ranges_ha.index, ranges_ha, protected_ha)
            ]
        )
    )


if __name__ == "__main__":
    main(*sys.argv[1:])
