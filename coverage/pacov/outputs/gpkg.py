"""Write results as one GeoPackage that QGIS opens styled: named layers, true areas, QGIS styles.

Generic on purpose: ``write_gpkg`` takes any dict of named polygon GeoDataFrames (in pacov's
equal-area CRS) with an optional :class:`Style` each, so new results (oblasts, corridors) are one
more entry in the dict.

Geometry is stored in EPSG:4326, the CRS the WDPA and IUCN layers come in and every GIS reads
without a custom spatial reference. Straight edges in the equal-area CRS are not geodesics, so
edges are first cut to at most ``SEGMENT_M`` there: the stored polygon then encloses the same land
(its geodesic area differs by far less than 0.01 ha per 1,000 km²), and ``area_ha`` — the
equal-area area, the figure in the tables — is the stored geometry's true area.

Each layer's style goes into the ``layer_styles`` table, the convention QGIS reads (QML for QGIS,
SLD for other clients), with the colours of the HTML map's legend and labels where a style names a field.

The file is GeoPackage 1.2 (GDAL's ``VERSION=1.2``): GDAL 3.7 and later write 1.4 by default, and QGIS
3.22 with GDAL 3.6 (Debian 12's) warns on every layer of a 1.4 file that it "may only be partially
supported". ``update_time`` is written in the spec's DATETIME form (UTC, ``…T…Z``); a naive time reads
as "Non-conformant content" there.
"""

import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from pacov.atomic import atomic_path
from pacov.cleaning.repair import repair
from pacov.engine.overlay import M2_PER_HA

STORED_CRS = "EPSG:4326"
SEGMENT_M = 1000.0
GEOMETRY_COLUMN = "geom"  # GDAL's default for GeoPackage
GPKG_VERSION = {"VERSION": "1.2"}
STYLE_COLUMNS = [
    "f_table_catalog",
    "f_table_schema",
    "f_table_name",
    "f_geometry_column",
    "styleName",
    "styleQML",
    "styleSLD",
    "useAsDefault",
    "description",
    "owner",
    "ui",
    "update_time",
]
PX_TO_MM = 0.26  # QGIS's default hairline is 0.26 mm, about one screen pixel
SLD = "http://www.opengis.net/sld"
SE = "http://www.opengis.net/se"
OGC = "http://www.opengis.net/ogc"


@dataclass(frozen=True)
class Labels:
    """Labels from one field: text colour, size in points, italic or not (white halo always)."""

    field: str
    colour: str = "#333333"
    size: float = 8.0
    italic: bool = False


@dataclass(frozen=True)
class Style:
    """A polygon style from webmap style dicts (color, fillColor, fillOpacity, weight, dashArray, fill).

    With ``field``, one symbol per ``categories`` entry (value, label, style dict) and ``symbol``
    for every other value; else ``symbol`` alone. ``labels`` label the features where the layer has
    that field.
    """

    symbol: dict
    label: str = ""
    field: str | None = None
    categories: tuple = ()
    labels: Labels | None = None


def write_gpkg(layers, path, styles=None, description="pacov results"):
    """Write ``layers`` (name -> GeoDataFrame, equal-area CRS in metres) to one GeoPackage, atomically.

    Every layer gets ``area_ha``; every layer named in ``styles`` gets a default QGIS style.
    Returns the path.
    """
    styles = styles or {}
    rows = []
    with atomic_path(path, suffix=".tmp.gpkg") as tmp:
        tmp.unlink()  # GDAL creates the file itself
        for k, (name, frame) in enumerate(layers.items()):
            stored = stored_layer(frame, name)
            pyogrio.write_dataframe(
                stored, tmp, layer=name, driver="GPKG", promote_to_multi=True, layer_options={"SPATIAL_INDEX": "YES"},
                dataset_options=None if k else GPKG_VERSION,
            )  # fmt: skip
            if name in styles:
                fields = [c for c in stored.columns if c != stored.geometry.name]
                rows.append(style_row(name, styles[name], fields, description))
        if rows:
            table = pd.DataFrame(rows, columns=STYLE_COLUMNS)
            pyogrio.write_dataframe(table, tmp, layer="layer_styles", driver="GPKG", layer_options={"FID": "id"})
    return path


def stored_layer(frame, name):
    """The frame as stored: polygonal, valid, densified, with ``area_ha``, in EPSG:4326."""
    crs = frame.crs
    if crs is None or not crs.is_projected or "equal area" not in crs.coordinate_operation.method_name.lower():
        raise ValueError(f"layer {name}: needs an equal-area CRS in metres, not {crs and crs.name}")
    extra = [
        c for c in frame.columns if c != frame.geometry.name and isinstance(frame[c].dtype, gpd.array.GeometryDtype)
    ]
    out = frame.drop(columns=extra).copy()
    geoms, _ = repair(out.geometry.to_numpy())
    geoms = shapely.segmentize(geoms, SEGMENT_M)
    out["area_ha"] = shapely.area(geoms) / M2_PER_HA
    out = gpd.GeoDataFrame(out.drop(columns=out.geometry.name), geometry=geoms, crs=crs)
    out = out.to_crs(STORED_CRS).rename_geometry(GEOMETRY_COLUMN)
    return out.reset_index(drop=True)


def fitted(name, style, fields):
    """The style for a layer with ``fields``: its categories need their field, its labels go without theirs."""
    if style.field is not None and style.field not in fields:
        raise ValueError(f"layer {name}: style field {style.field} is not among its fields")
    return style if style.labels is None or style.labels.field in fields else replace(style, labels=None)


def style_row(name, style, fields, description):
    """One row of QGIS's layer_styles table."""
    style = fitted(name, style, fields)
    return {
        "f_table_catalog": "",
        "f_table_schema": "",
        "f_table_name": name,
        "f_geometry_column": GEOMETRY_COLUMN,
        "styleName": name,
        "styleQML": qml(style),
        "styleSLD": sld(name, style),
        "useAsDefault": True,
        "description": description,
        "owner": "",
        "ui": None,
        "update_time": pd.Timestamp(datetime.now(UTC).replace(microsecond=0)),
    }


def rgba(colour, opacity=1.0):
    """'#rrggbb' and an opacity as QGIS's 'r,g,b,a'."""
    colour = colour.lstrip("#")
    return ",".join(str(int(colour[i : i + 2], 16)) for i in (0, 2, 4)) + f",{round(255 * opacity)}"


def fill_opacity(spec):
    """The fill's opacity; ``fill: False`` (Leaflet's outline only) is none."""
    return float(spec.get("fillOpacity", 0.5)) if spec.get("fill", True) else 0.0


def fill_properties(spec):
    return {
        "color": rgba(spec.get("fillColor", spec.get("color", "#888888")), fill_opacity(spec)),
        "style": "solid",
        "outline_color": rgba(spec.get("color", "#555555")),
        "outline_style": "dash" if spec.get("dashArray") else "solid",
        "outline_width": f"{PX_TO_MM * float(spec.get('weight', 1)):.2f}",
        "outline_width_unit": "MM",
        "joinstyle": "bevel",
    }


def symbol_element(name, spec):
    symbol = ET.Element("symbol", type="fill", name=str(name), alpha="1", clip_to_extent="1", force_rhr="0")
    layer = ET.SubElement(symbol, "layer", {"class": "SimpleFill", "enabled": "1", "locked": "0", "pass": "0"})
    options = ET.SubElement(layer, "Option", type="Map")
    props = fill_properties(spec)
    for key, value in props.items():
        ET.SubElement(options, "Option", type="QString", name=key, value=value)
    for key, value in props.items():  # QGIS before 3.26 reads <prop>, later ones <Option>
        ET.SubElement(layer, "prop", k=key, v=value)
    return symbol


def renderer_element(style):
    """QGIS's renderer-v2: one fill symbol, or one per category and ``symbol`` for the rest."""
    if style.field is None:
        renderer = ET.Element("renderer-v2", type="singleSymbol", symbollevels="0", forceraster="0")
        ET.SubElement(renderer, "symbols").append(symbol_element(0, style.symbol))
        return renderer
    renderer = ET.Element("renderer-v2", type="categorizedSymbol", attr=style.field, symbollevels="0", forceraster="0")
    categories = ET.SubElement(renderer, "categories")
    symbols = ET.SubElement(renderer, "symbols")
    entries = [*style.categories, ("", style.label or "Other", style.symbol)]
    for k, (value, label, spec) in enumerate(entries):
        ET.SubElement(categories, "category", value=str(value), label=label, symbol=str(k), render="true")
        symbols.append(symbol_element(k, spec))
    ET.SubElement(renderer, "source-symbol").append(symbol_element(0, style.symbol))
    return renderer


def labeling_element(labels):
    """QGIS's simple labeling: the field's text over each polygon's inside point, with a white halo."""
    labeling = ET.Element("labeling", type="simple")
    settings = ET.SubElement(labeling, "settings", calloutType="simple")
    text = ET.SubElement(
        settings, "text-style", fieldName=labels.field, isExpression="0", fontSize=f"{labels.size:g}",
        fontSizeUnit="Point", textColor=rgba(labels.colour), textOpacity="1", fontItalic=str(int(labels.italic)),
        fontWeight="50", namedStyle="Italic" if labels.italic else "Regular",
    )  # fmt: skip
    ET.SubElement(
        text, "text-buffer", bufferDraw="1", bufferSize="0.7", bufferSizeUnits="MM", bufferColor="255,255,255,255",
        bufferOpacity="0.85", bufferNoFill="1", bufferJoinStyle="128",
    )  # fmt: skip
    ET.SubElement(settings, "text-format", wrapChar="", autoWrapLength="18", multilineAlign="1")
    ET.SubElement(settings, "placement", placement="1", centroidInside="1", fitInPolygonOnly="0", priority="5")
    ET.SubElement(
        settings, "rendering", drawLabels="1", obstacle="1", obstacleType="1", obstacleFactor="1",
        maxNumLabels="2000", fontMaxPixelSize="10000", fontMinPixelSize="3", labelPerPart="0", displayAll="0",
    )  # fmt: skip
    return labeling


def style_elements(style):
    """The elements a QML style and a QGIS project's map layer share: renderer and labeling."""
    elements = [renderer_element(style)]
    if style.labels is not None:
        elements.append(labeling_element(style.labels))
    return elements


def qml(style):
    """A QGIS layer style (QML) with a single or a categorised fill renderer, and labels."""
    labelled = str(int(style.labels is not None))
    root = ET.Element("qgis", version="3.28.0", styleCategories="Symbology|Labeling", labelsEnabled=labelled)
    root.extend(style_elements(style))
    ET.SubElement(root, "layerGeometryType").text = "2"
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + ET.tostring(root, encoding="unicode")


def sld_rule(parent, label, spec, field=None, value=None):
    rule = ET.SubElement(parent, f"{{{SE}}}Rule")
    ET.SubElement(rule, f"{{{SE}}}Name").text = label
    if field is not None and value is not None:
        flt = ET.SubElement(ET.SubElement(rule, f"{{{OGC}}}Filter"), f"{{{OGC}}}PropertyIsEqualTo")
        ET.SubElement(flt, f"{{{OGC}}}PropertyName").text = field
        ET.SubElement(flt, f"{{{OGC}}}Literal").text = str(value)
    elif field is not None:
        ET.SubElement(rule, f"{{{SE}}}ElseFilter")
    polygon = ET.SubElement(rule, f"{{{SE}}}PolygonSymbolizer")
    fill = ET.SubElement(polygon, f"{{{SE}}}Fill")
    stroke = ET.SubElement(polygon, f"{{{SE}}}Stroke")
    params = [
        (fill, "fill", spec.get("fillColor", spec.get("color", "#888888"))),
        (fill, "fill-opacity", f"{fill_opacity(spec):g}"),
        (stroke, "stroke", spec.get("color", "#555555")),
        (stroke, "stroke-width", f"{float(spec.get('weight', 1)):g}"),
    ]
    if spec.get("dashArray"):
        params.append((stroke, "stroke-dasharray", spec["dashArray"]))
    for element, key, value in params:
        ET.SubElement(element, f"{{{SE}}}SvgParameter", name=key).text = value


def sld(name, style):
    """The same style as an OGC Styled Layer Descriptor (SLD 1.1)."""
    for prefix, uri in (("", SLD), ("se", SE), ("ogc", OGC)):
        ET.register_namespace(prefix, uri)
    root = ET.Element(f"{{{SLD}}}StyledLayerDescriptor", version="1.1.0")
    layer = ET.SubElement(root, f"{{{SLD}}}NamedLayer")
    ET.SubElement(layer, f"{{{SE}}}Name").text = name
    user = ET.SubElement(layer, f"{{{SLD}}}UserStyle")
    ET.SubElement(user, f"{{{SE}}}Name").text = name
    features = ET.SubElement(user, f"{{{SE}}}FeatureTypeStyle")
    for value, label, spec in style.categories:
        sld_rule(features, label, spec, style.field, value)
    sld_rule(features, style.label or name, style.symbol, style.field)
    return ET.tostring(root, encoding="unicode")
