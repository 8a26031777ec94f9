"""The naive reference: geopandas overlay of each range with the dissolved protected areas.

What an analyst writes first, on inputs prepared as pacov prepares them (reference.py): dissolve
everything into one geometry, ``geopandas.overlay`` with the ranges, sum the areas. Prints JSON
records like pacov's.

    python benchmarks/naive.py PROTECTED RANGES CRS
"""

import json
import sys

import geopandas as gpd
import shapely

from reference import prepare


def main(protected, ranges, crs):
    sites, species = prepare(protected, ranges, crs)
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
