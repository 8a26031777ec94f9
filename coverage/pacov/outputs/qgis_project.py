"""A QGIS project (.qgz) beside each GeoPackage, so a planner double-clicks one file and sees the
results styled, labelled, grouped and in a sensible order, in the run's equal-area CRS.

No well-kept pure-Python library writes QGIS projects (QGIS's own API needs a QGIS install), so this
writes the smallest project QGIS 3.22 and later read: the layer tree (groups, order, which layers are
on), one map layer per GeoPackage layer with its renderer and labels (the same elements as its QML in
``layer_styles``), the project CRS and the extent it opens at. Paths are relative ("./name.gpkg"), so
the two files can be moved or mailed together. docs/gis.md says more.
"""

import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import numpy as np
import pyproj

from pacov.atomic import atomic_path
from pacov.outputs.gpkg import STORED_CRS, fitted, style_elements

# top to bottom, as drawn: changes and lines over results, results over ranges, context at the bottom
GROUPS = (
    ("Scenarios", (("operations", "Scenario changes", True), ("planning_units", "Selected planning units", True),
                   ("scenario_gap", "Range gap after each scenario", False))),
    ("Connectivity", (("corridors", "Least-cost corridors", True), ("connectivity_nodes", "Sites (dECA)", True))),
    ("Protected areas", (("sites", "Protected areas (IUCN category)", True),
                         ("gbf_sites", "Protected and conserved areas (GBF Target 3)", True))),
    ("Species ranges", (("gbf_kba", "Key Biodiversity Areas", True), ("range_protected", "Range protected", True),
                        ("range_gap", "Range not protected (gap)", True))),
    ("Context", (("zones", "Zones", True), ("outline", "Country outline", True))),
)  # fmt: skip
OTHER = "Other results"
PADDING = 0.04  # of the extent's size on each side
ID_PREFIX = "pacov_layer_"  # QGIS 3.22 replaces a layer id of 10 characters or fewer with a random one


def write_project(gpkg, layers, styles, crs):
    """Write ``gpkg``'s QGIS project beside it (``.qgz``, a zip of one ``.qgs``), atomically.

    ``layers``: the GeoPackage's layers as given to write_gpkg (name -> GeoDataFrame in ``crs``, the
    project's CRS); ``styles``: name -> Style. Returns the project's path.
    """
    gpkg = Path(gpkg)
    path = gpkg.with_suffix(".qgz")
    root = project_element(gpkg.name, layers, styles, pyproj.CRS(crs))
    text = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + ET.tostring(root, encoding="unicode")
    with atomic_path(path, suffix=".tmp.qgz") as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(gpkg.with_suffix(".qgs").name, text)
    return path


def ordered(names):
    """(group, [(name, title, shown)]) for the layers in ``names``, top to bottom; unknown ones first."""
    known = {name for _, entries in GROUPS for name, _, _ in entries}
    groups = [(OTHER, [(name, name, True) for name in names if name not in known])]
    groups += [(group, [e for e in entries if e[0] in names]) for group, entries in GROUPS]
    return [(group, entries) for group, entries in groups if entries]


def project_element(gpkg_name, layers, styles, crs):
    """The project's root: title, CRS, layer tree, map layers, default view, relative paths."""
    root = ET.Element("qgis", version="3.22.0", projectname=f"pacov: {gpkg_name}")
    ET.SubElement(root, "title").text = f"pacov: {gpkg_name}"
    ET.SubElement(root, "projectCrs").append(spatialrefsys(crs))
    tree = ET.SubElement(root, "layer-tree-group")
    maps = ET.Element("projectlayers")
    for group, entries in ordered(list(layers)):
        node = ET.SubElement(tree, "layer-tree-group", name=group, checked="Qt::Checked", expanded="1")
        for name, title, shown in entries:
            source = f"./{gpkg_name}|layername={name}"
            checked = "Qt::Checked" if shown else "Qt::Unchecked"
            ET.SubElement(
                node, "layer-tree-layer", id=ID_PREFIX + name, name=title, source=source, providerKey="ogr", checked=checked,
                expanded="0",
            )  # fmt: skip
            style = fitted(name, styles[name], set(layers[name].columns)) if name in styles else None
            maps.append(map_layer(name, title, source, style))
    root.append(maps)
    root.append(view_settings(layers, crs))
    properties = ET.SubElement(root, "properties")
    ET.SubElement(ET.SubElement(properties, "Paths"), "Absolute", type="bool").text = "false"
    # without it QGIS 3.22 ignores projectCrs
    ET.SubElement(ET.SubElement(properties, "SpatialRefSys"), "ProjectionsEnabled", type="int").text = "1"
    return root


def map_layer(name, title, source, style):
    """One GeoPackage layer, with the renderer and labels of its style (QGIS's own where none)."""
    labelled = style is not None and style.labels is not None
    layer = ET.Element(
        "maplayer", type="vector", geometry="Polygon", wkbType="MultiPolygon", labelsEnabled=str(int(labelled))
    )
    for tag, text in (("id", ID_PREFIX + name), ("datasource", source), ("layername", title)):
        ET.SubElement(layer, tag).text = text
    ET.SubElement(layer, "srs").append(spatialrefsys(pyproj.CRS(STORED_CRS)))
    ET.SubElement(layer, "provider", encoding="UTF-8").text = "ogr"
    if style is not None:
        layer.extend(style_elements(style))
    return layer


def spatialrefsys(crs):
    """A CRS as QGIS stores it: WKT and the authority code where it has one."""
    element = ET.Element("spatialrefsys")
    authority = crs.to_authority()
    for tag, text in (
        ("wkt", crs.to_wkt()),
        ("authid", ":".join(authority) if authority else ""),
        ("description", crs.name),
    ):
        ET.SubElement(element, tag).text = text
    return element


def view_extent(layers):
    """The results' bounds, widened to the country outline's where they span half its width or height
    (a national study opens on the whole country, a regional one on its region)."""
    bounds = np.array([f.total_bounds for name, f in layers.items() if name not in ("outline", "zones") and len(f)])
    outline = layers["outline"].total_bounds if "outline" in layers else None
    if not len(bounds):
        return outline if outline is not None else np.zeros(4)
    low, high = bounds[:, :2].min(axis=0), bounds[:, 2:].max(axis=0)
    if outline is not None and np.any(high - low > (outline[2:] - outline[:2]) / 2):
        low, high = np.minimum(low, outline[:2]), np.maximum(high, outline[2:])
    return np.concatenate([low, high])


def view_settings(layers, crs):
    """The extent the project opens at (view_extent, padded), in the project's CRS."""
    xmin, ymin, xmax, ymax = view_extent(layers)
    pad = PADDING * max(xmax - xmin, ymax - ymin, 1.0)
    settings = ET.Element("ProjectViewSettings", UseProjectScales="0")
    extent = ET.SubElement(
        settings, "DefaultViewExtent", xmin=f"{xmin - pad:.1f}", ymin=f"{ymin - pad:.1f}", xmax=f"{xmax + pad:.1f}",
        ymax=f"{ymax + pad:.1f}",
    )  # fmt: skip
    extent.append(spatialrefsys(crs))
    return settings
