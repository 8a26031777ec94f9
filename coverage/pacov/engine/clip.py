"""Cut species ranges to a country (or any study area) for a national view of a global range.

An IUCN range map is global: "share of the range protected" on it measures the whole world's
range against one country's protected areas. Cutting the ranges to the country's outline first
gives the national figure; the hectares cut away are kept so that the table can say so.
"""

import pandas as pd
import shapely

from pacov.cleaning.polygons import prepare_polygons
from pacov.cleaning.project import require_crs
from pacov.cleaning.repair import polygonal_part
from pacov.engine.overlay import M2_PER_HA
from pacov.errors import PacovError


def outline_shape(outline, crs, label):
    """The union of ``outline``'s polygons in ``crs`` (repaired first: the union rebuilds them)."""
    outline = prepare_polygons(require_crs(outline, label), crs, label)
    if outline.empty:
        raise PacovError(f"{label}: no polygon to clip to; give a polygon layer (e.g. a country outline)")
    return shapely.union_all(outline.geometry.to_numpy())


def clip_parts(parts, outline, crs, name):
    """(``parts`` cut to ``outline``, per-species table of ``range_outside_ha`` and ``clipped_to``).

    ``parts`` are prepared range parts in the equal-area ``crs``; parts wholly outside are dropped.
    ``name`` (the outline's file) is what ``clipped_to`` says for species whose range was cut.
    """
    label = f"clip outline {name}"
    shape = outline_shape(outline, crs, label)  # parts come valid from prepare_ranges
    before = shapely.area(parts.geometry.to_numpy())
    inside = shapely.intersection(parts.geometry.to_numpy(), shape)
    inside = polygonal_part(inside)
    cut = pd.DataFrame({"species": parts["sci_name"].to_numpy(), "range_outside_ha": before - shapely.area(inside)})
    cut["range_outside_ha"] /= M2_PER_HA
    cut = cut.groupby("species", sort=False, as_index=False)["range_outside_ha"].sum()
    cut["clipped_to"] = cut["range_outside_ha"].map(lambda ha: str(name) if ha > 0 else "")
    clipped = parts.assign(**{parts.geometry.name: inside})
    clipped = clipped[shapely.area(inside) > 0].reset_index(drop=True)  # wholly outside, or touching only
    if clipped.empty:
        raise PacovError(f"{label}: no range lies inside it; is it the right outline (and CRS)?")
    return clipped, cut
