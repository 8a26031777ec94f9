"""Point observations (camera traps, collar fixes) against protected areas.

A point on a boundary counts as inside. For points outside, the distance to the nearest protected
boundary is geodesic: the nearest point is found in the equal-area plane, then both ends are
measured on the ellipsoid.
"""

import numpy as np
import pandas as pd
import pyproj
import shapely

from pacov.cleaning.geometry_types import check_types
from pacov.cleaning.project import to_equal_area


def locate(points, sites, label="points"):
    """Per point: inside (bool), the site holding it (flattened, so one) and metres to the nearest site."""
    points, _ = check_types(points, label, allow_points=True)
    points = points[points.geom_type == "Point"] if (points.geom_type == "Point").any() else points
    projected = to_equal_area(points, sites.crs)
    geoms = projected.geometry.to_numpy()
    flat = sites.geometry.to_numpy()
    tree = shapely.STRtree(flat)
    hit_point, hit_site = tree.query(geoms, predicate="intersects")
    holder = np.full(len(geoms), -1)
    holder[hit_point[::-1]] = hit_site[::-1]  # the first hit wins when a point lies on a shared boundary
    union = shapely.union_all(flat)
    lines = shapely.shortest_line(geoms, union)
    ends = shapely.get_coordinates(lines).reshape(-1, 2, 2) if len(geoms) else np.zeros((0, 2, 2))
    to_geo = pyproj.Transformer.from_crs(sites.crs, "EPSG:4326", always_xy=True)
    lon0, lat0 = to_geo.transform(ends[:, 0, 0], ends[:, 0, 1])
    lon1, lat1 = to_geo.transform(ends[:, 1, 0], ends[:, 1, 1])
    distance = pyproj.Geod(ellps="WGS84").inv(lon0, lat0, lon1, lat1)[2] if len(geoms) else np.zeros(0)
    out = pd.DataFrame(points.drop(columns=points.geometry.name)).reset_index(drop=True)
    out["inside"] = holder >= 0
    out["site"] = np.where(holder >= 0, sites["NAME"].to_numpy()[np.maximum(holder, 0)], "")
    out["distance_m"] = np.where(holder >= 0, 0.0, np.asarray(distance))
    return out


def summarise(located, group=None):
    """Per group (or overall): points, inside, share inside, median and max distance of those outside."""
    keys = located[group].astype(str) if group else pd.Series("all", index=located.index)
    rows = []
    for key, part in located.groupby(keys, sort=True):
        outside = part.loc[~part["inside"], "distance_m"]
        rows.append(
            {
                "group": key,
                "points": len(part),
                "inside": int(part["inside"].sum()),
                "share_inside": part["inside"].mean(),
                "median_distance_outside_m": float(outside.median()) if len(outside) else 0.0,
                "max_distance_outside_m": float(outside.max()) if len(outside) else 0.0,
            }
        )
    return pd.DataFrame(rows)
