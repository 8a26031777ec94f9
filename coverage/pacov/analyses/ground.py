"""Edge-to-edge distances on the ground (geodesic), whatever CRS the sites are in.

Why: Saura's d_ij is a distance on the ground, but the analysis CRS is equal-area, which keeps areas
and not distances: EPSG:6933 stretches east–west distances about 2× at 65°N, and puts two sites either
side of 180° some 40,000 km apart.

How: the sites of one network go into one conformal plane, an oblique stereographic centred on them
(the mean of their hulls' vertices as unit vectors). Conformal, the plane keeps shapes and angles
locally, so a pair's nearest points in the plane are its nearest points on the ground up to second
order in the pair's size; each pair's distance is then the geodesic (pyproj.Geod) between those two
points, taken back to longitude and latitude. On the sphere the plane's scale is sec²(c/2) at an
angle c from the centre: 1 at the centre, at least 1 everywhere, 1.02 at 16° and 2 at 90°. Its largest
value over the network and a cutoff's reach (``kmax``, with a margin for the ellipsoid) bounds how
much the plane can stretch a distance, so a plane query within ``kmax`` × the cutoff misses no pair
within the cutoff on the ground, and a plane distance over ``kmax`` is a lower bound on the ground.
"""

import math
import os
from dataclasses import dataclass

import numpy as np
import pyproj
import shapely

from pacov.errors import PacovError
from pacov.runner import SERIAL, Threads, split

SCALE_MARGIN = 1.01  # kmax's stretch: covers the ellipsoid's departure from the sphere's sec²(c/2)
WIDEST_DEG = 170.0  # farther from the centre than this, the plane would tear a site apart
CHUNK = 2_000  # geometries (or pairs) per chunk of work on a thread
BIG = 1e12  # an unbounded side of a clipping rectangle


@dataclass
class Plane:
    """A conformal plane for one network: the network's CRS, the plane's, its Geod and its bound on scale.

    Transformers are made per call (one is not safe to share between threads), so that the work can
    be cut into chunks run on threads (``threads``): GEOS and PROJ release the GIL.
    """

    crs: pyproj.CRS
    stere: pyproj.CRS
    geod: pyproj.Geod
    kmax: float

    @classmethod
    def around(cls, geoms, crs, reach_m, name="the sites"):
        """The stereographic centred on ``geoms`` (in ``crs``), its scale bounded over them and ``reach_m``
        beyond (a geodesic of at most ``reach_m`` between two of them stays inside that bound)."""
        crs = pyproj.CRS(crs)
        lonlat = crs.geodetic_crs
        ell = crs.ellipsoid
        to_lonlat = pyproj.Transformer.from_crs(crs, lonlat, always_xy=True)
        xyz = unit_vectors(*to_lonlat.transform(*hull_coordinates(geoms).T))
        centre = xyz.mean(axis=0) if len(xyz) else np.array([1.0, 0.0, 0.0])
        centre = centre / np.linalg.norm(centre) if np.linalg.norm(centre) > 1e-9 else np.array([1.0, 0.0, 0.0])
        widest = math.degrees(math.acos(np.clip(xyz @ centre, -1, 1).min())) if len(xyz) else 0.0
        if widest > WIDEST_DEG:
            raise PacovError(
                f"{name}: the sites surround the globe ({widest:.0f}° from their centre); give a smaller region"
            )
        lon0, lat0 = math.degrees(math.atan2(centre[1], centre[0])), math.degrees(math.asin(np.clip(centre[2], -1, 1)))
        radius = ell.semi_major_metre * (1 - (2 - 1 / ell.inverse_flattening) / ell.inverse_flattening)  # a(1 − e²)
        bound = min(math.radians(widest) + reach_m / radius / 2, math.radians(179.0))
        kmax = 1 + SCALE_MARGIN * (1 / math.cos(bound / 2) ** 2 - 1)
        stere = pyproj.CRS.from_proj4(
            f"+proj=stere +lat_0={lat0!r} +lon_0={lon0!r} +k=1 +x_0=0 +y_0=0 "
            f"+a={ell.semi_major_metre!r} +rf={ell.inverse_flattening!r} +units=m +no_defs"
        )
        return cls(crs, stere, crs.get_geod(), kmax)

    def project(self, geoms):
        """``geoms`` (in the network's CRS) in the plane, vertex by vertex, in chunks on threads (which
        also bounds the coordinates held at once)."""
        geoms = np.asarray(geoms, dtype=object)

        def chunk(part):
            to_plane = pyproj.Transformer.from_crs(self.crs, self.stere, always_xy=True)
            return shapely.transform(geoms[part], lambda xy: np.column_stack(to_plane.transform(*xy.T)))

        return on_threads(chunk, len(geoms))

    def reach(self, ground_m):
        """The plane distance that every pair at most ``ground_m`` apart on the ground lies within."""
        return ground_m * self.kmax

    def lower(self, plane_m):
        """A lower bound on the ground of a plane distance (the plane stretches by at most kmax)."""
        return np.asarray(plane_m) / self.kmax

    def lengths(self, lines):
        """Geodesic length (m) between the two ends of each plane line (a shortest line of a pair)."""
        lines = np.asarray(lines, dtype=object)
        if not len(lines):
            return np.zeros(0)
        to_lonlat = pyproj.Transformer.from_crs(self.stere, self.crs.geodetic_crs, always_xy=True)
        lon0, lat0 = to_lonlat.transform(*shapely.get_coordinates(shapely.get_point(lines, 0)).T)
        lon1, lat1 = to_lonlat.transform(*shapely.get_coordinates(shapely.get_point(lines, -1)).T)
        _, _, d = self.geod.inv(lon0, lat0, lon1, lat1)
        return np.where(shapely.length(lines) > 0, d, 0.0)


def on_threads(func, n):
    """``func(chunk)`` for slices of range(n), on threads on every core (GEOS and PROJ release the GIL),
    the results joined in order: the same answer as one call on everything."""
    runner = Threads(os.cpu_count()) if (os.cpu_count() or 1) > 1 else SERIAL
    return np.concatenate(runner.map(func, split(n, runner, CHUNK)))


def nearest_lines(a, b, hull_lines):
    """The shortest line between polygons ``a`` and ``b`` (arrays, apart) whose hulls' shortest lines
    are ``hull_lines``, from the slivers of each that can hold the nearest points.

    With pA, pB the hull line's ends (length h, direction u), ``a`` lies behind the line through pA
    across u and ``b`` beyond the one through pB; for a ∈ a, b ∈ b, (b − a)·u ≥ h plus how far each
    lies behind its line. A point more than U − h behind, U an upper bound on the distance (pA's
    distance to ``a`` plus to ``b``), cannot be on the shortest line: each polygon is clipped to that
    band before GEOS's vertex-by-vertex search, which is the same line, found on fewer vertices.
    Pairs whose hulls touch (h = 0) are searched whole.
    """
    p_a, p_b = shapely.get_point(hull_lines, 0), shapely.get_point(hull_lines, -1)
    h = shapely.length(hull_lines)
    depth = shapely.distance(p_a, a) + shapely.distance(p_a, b) - h + 1.0  # a metre's margin for rounding
    ends = np.stack([shapely.get_coordinates(p_a), shapely.get_coordinates(p_b)])
    u = np.divide(ends[1] - ends[0], h[:, None], out=np.zeros_like(ends[0]), where=h[:, None] > 0)
    lines = shapely.shortest_line(sliver(a, ends[0], u, depth), sliver(b, ends[1], -u, depth))
    whole = (h == 0) | shapely.is_empty(lines) | shapely.is_missing(lines)
    lines[whole] = shapely.shortest_line(a[whole], b[whole])
    return lines


def sliver(geoms, origin, u, depth):
    """The part of each geometry at most ``depth`` behind the line through ``origin`` across ``u``
    (geometries lie behind it: x' = (p − origin)·u ≤ 0), in the geometries' own coordinates."""
    owner = np.repeat(np.arange(len(geoms)), shapely.get_num_coordinates(geoms))
    cos, sin, scale = u[owner, 0], u[owner, 1], depth[owner]

    def to_frame(xy):  # rotated so that u is +x, scaled so that the band is x ≥ −1
        dx, dy = (xy - origin[owner]).T
        return np.column_stack([(dx * cos + dy * sin) / scale, (dy * cos - dx * sin) / scale])

    framed = shapely.transform(geoms, to_frame)
    clipped = np.array([shapely.clip_by_rect(g, -1.0, -BIG, BIG, BIG) for g in framed], dtype=object)
    owner = np.repeat(np.arange(len(geoms)), shapely.get_num_coordinates(clipped))
    cos, sin, scale = u[owner, 0], u[owner, 1], depth[owner]

    def from_frame(xy):
        x, y = xy.T * scale
        return np.column_stack([x * cos - y * sin, x * sin + y * cos]) + origin[owner]

    return shapely.transform(clipped, from_frame)


def paired(func, a, b):
    """``func(a, b)`` for two arrays of geometries, element by element, in chunks on threads."""
    return on_threads(lambda part: func(a[part], b[part]), len(a))


def hull_coordinates(geoms):
    """The vertices of the convex hull of each geometry: where a network's extremes lie."""
    geoms = np.asarray(geoms, dtype=object)
    geoms = geoms[~shapely.is_empty(geoms)]
    return shapely.get_coordinates(on_threads(lambda part: shapely.convex_hull(geoms[part]), len(geoms)))


def unit_vectors(lon, lat):
    """(n, 3) unit vectors of longitudes and latitudes in degrees."""
    lon, lat = np.radians(np.asarray(lon)), np.radians(np.asarray(lat))
    return np.column_stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])
