"""The small world of the GBF Target 3 tests (docstring of test_gbf.py): three sites, three KBAs, two species."""

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

from conftest import KM, in_schema, ranges, sites, square
from pacov.analyses.gbf import Study
from pacov.cleaning.clean import CleanOptions, clean_protected_areas
from pacov.cleaning.polygons import prepare_polygons
from pacov.engine.ranges import prepare_ranges
from scenario_helpers import CRS


def protected(schema="legacy"):
    layer = sites(
        [
            {"WDPAID": 1, "SITE_TYPE": "PA", "STATUS_YR": 2000, "geometry": square(0, 0, 10)},
            {"WDPAID": 2, "SITE_TYPE": "OECM", "STATUS_YR": 2030, "geometry": square(5, 0, 10)},
            {"WDPAID": 3, "SITE_TYPE": "PA", "STATUS_YR": 2010, "geometry": box(20 * KM, 0, 25 * KM, 10 * KM)},
        ],
        crs=CRS,
    )
    return in_schema(layer, schema)


def kbas():
    return gpd.GeoDataFrame(geometry=[square(0, 0, 10), square(20, 0, 10), square(40, 0, 10)], crs=CRS)


def species_layer():
    return ranges(
        [{"sci_name": "A", "geometry": square(0, 0, 10)}, {"sci_name": "B", "geometry": square(40, 0, 10)}], crs=CRS
    )


def study(with_kba=True):
    parts = prepare_ranges(species_layer(), CRS)
    species = pd.DataFrame({"species": ["A", "B"], "range_outside_ha": [30_000.0, 0.0]})
    return Study(
        square(0, 0, 100), parts, species, prepare_polygons(kbas(), CRS, "kba") if with_kba else None, (10_000.0,)
    )


def clean(layer):
    return clean_protected_areas(layer, CRS, options=CleanOptions(flatten=False))[0]
