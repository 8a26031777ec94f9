"""Prepare any extra polygon layer (ranges, proposals and masks, zones) the one way sites are prepared.

Areal types only, repaired and projected to the run's equal-area CRS in the safe order (see
project.py), and emptied geometries dropped: a zone or proposal layer can then be overlaid with the
flattened sites without a GEOS failure or a lost lobe.
"""

from pacov.cleaning.geometry_types import check_types
from pacov.cleaning.project import project_and_repair
from pacov.runner import SERIAL


def prepare_polygons(gdf, crs, label, runner=SERIAL):
    """``gdf`` with valid polygons in the equal-area ``crs``; lines and points are refused, empties dropped."""
    gdf, _ = check_types(gdf, label, allow_points=False)
    gdf, _ = project_and_repair(gdf, crs, runner)
    return gdf[~gdf.geometry.is_empty]
