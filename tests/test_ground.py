"""Edge-to-edge distances on the ground (analyses/ground.py) against pyproj.Geod worked by hand.

Sites are drawn in longitude and latitude, densified so that their edges are the same line in any
CRS; the expected distance is the geodesic between the corners that are nearest by construction
(squares side by side along a parallel: their corners nearest the pole, since meridians converge).
"""

import numpy as np
import pyproj
import pytest
import shapely
from shapely.geometry import box

from pacov.analyses.connectivity import Links
from pacov.analyses.ground import Plane
from pacov.errors import PacovError

GEOD = pyproj.Geod(ellps="WGS84")
LONLAT = "EPSG:4326"


def lonlat_box(west, south, east, north, step=0.001):
    return shapely.segmentize(box(west, south, east, north), step)


def projected(geoms, crs):
    to = pyproj.Transformer.from_crs(LONLAT, crs, always_xy=True)
    return shapely.transform(np.asarray(geoms, dtype=object), lambda xy: np.column_stack(to.transform(*xy.T)))


def test_across_the_antimeridian_in_ease_grid():
    """Either side of 180° at 66°N, 0.044° of longitude apart: about 2 km on the ground, 40,000 km apart
    in EPSG:6933 (folded into its world), and measured as the geodesic."""
    west, east = lonlat_box(179.90, 65.95, 179.978, 66.05), lonlat_box(-179.978, 65.95, -179.90, 66.05)
    geoms = projected([west, east], "EPSG:6933")
    assert shapely.distance(geoms[0], geoms[1]) > 30_000_000  # the map puts them a world apart
    expected = GEOD.inv(179.978, 66.05, -179.978, 66.05)[2]
    links = Links.within(geoms, 5_000.0, "EPSG:6933")
    assert (links.i.tolist(), links.j.tolist()) == ([0], [1])
    assert links.d[0] == pytest.approx(expected, rel=1e-9)
    assert 1_900 < expected < 2_100


def test_wide_extent_east_west_is_not_stretched():
    """At 65°N EPSG:6933 stretches east–west about 2×; over 40°E–170°E the ground distance is the geodesic."""
    a, b = lonlat_box(100.0, 64.9, 100.3, 65.0), lonlat_box(100.511, 64.9, 100.8, 65.0)
    far_west, far_east = lonlat_box(40.0, 60.0, 40.2, 60.1), lonlat_box(169.8, 69.9, 170.0, 70.0)
    geoms = projected([far_west, a, b, far_east], "EPSG:6933")
    expected = GEOD.inv(100.3, 65.0, 100.511, 65.0)[2]
    assert shapely.distance(geoms[1], geoms[2]) > 1.8 * expected  # what the map says
    links = Links.within(geoms, 50_000.0, "EPSG:6933")
    assert (links.i.tolist(), links.j.tolist()) == ([1], [2])
    assert links.d[0] == pytest.approx(expected, rel=1e-9)


def test_near_the_pole():
    """Two bands of latitude near the North Pole, 89.80° and 89.85° apart: the meridian arc between them."""
    outer, inner = lonlat_box(-10, 89.70, 10, 89.80), lonlat_box(-10, 89.85, 10, 89.90, step=0.01)
    geoms = projected([outer, inner], "+proj=laea +lat_0=90 +lon_0=0 +datum=WGS84 +units=m")
    expected = GEOD.inv(0, 89.80, 0, 89.85)[2]
    links = Links.within(geoms, 20_000.0, "+proj=laea +lat_0=90 +lon_0=0 +datum=WGS84 +units=m")
    assert links.d.tolist() == pytest.approx([expected], rel=1e-7)


def test_the_plane_never_stretches_more_than_its_bound():
    """Random pairs over a network 140° wide: the plane distance is at most kmax × the geodesic, and at
    least the geodesic (a stereographic plane's scale is at least 1)."""
    rng = np.random.default_rng(3)
    lon, lat = rng.uniform(-70, 70, 400), rng.uniform(-60, 60, 400)
    points = shapely.points(lon, lat)
    plane = Plane.around(points, LONLAT, 100_000.0)
    xy = shapely.get_coordinates(plane.project(points))
    i, j = rng.integers(0, 400, (2, 2000))
    ground = GEOD.inv(lon[i], lat[i], lon[j], lat[j])[2]
    flat = np.hypot(*(xy[i] - xy[j]).T)
    apart = ground > 0
    assert (flat[apart] <= plane.kmax * ground[apart]).all()
    assert (flat[apart] >= ground[apart] * (1 - 1e-3)).all()
    assert plane.kmax < 3


def test_sites_round_the_globe_are_refused():
    points = shapely.points(np.arange(-180, 180, 10.0), np.zeros(36))
    with pytest.raises(PacovError, match="surround the globe"):
        Plane.around(points, LONLAT, 1_000.0, name="region r")
