"""Open a QGIS project in headless QGIS and say what QGIS made of it, as JSON on stdout.

Run by tests/test_qgis_project.py with the system Python (Debian's python3-qgis), not the venv:
``QT_QPA_PLATFORM=offscreen /usr/bin/python3 tests/qgis_check.py PROJECT.qgz OUT.png``. It reports each
layer as the project loads it and as QGIS loads the bare GeoPackage layer (its default style from
``layer_styles``), the canvas extent a desktop opens at, every QGIS log message and GDAL warning, and
renders the project's visible layers to OUT.png.
"""

import json
import sys

from osgeo import gdal
from qgis.core import (
    QgsApplication,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsProject,
    QgsVectorLayer,
)
from qgis.gui import QgsMapCanvas
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor


def name_of(layer):
    """The GeoPackage layer a map layer reads."""
    return layer.source().split("layername=")[-1]


def describe(layer):
    """Validity, renderer, each category's fill (#aarrggbb) and the label field, as QGIS loaded them."""
    renderer = layer.renderer()
    labeling = layer.labeling() if layer.labelsEnabled() else None
    kind = renderer.type() if renderer else None
    categories = renderer.categories() if kind == "categorizedSymbol" else []  # kept: they own their symbols
    symbols = {str(c.value()): c.symbol() for c in categories} or {"": renderer.symbol()} if renderer else {}
    return {
        "valid": layer.isValid(),
        "features": layer.featureCount(),
        "renderer": kind,
        "fills": {value: s.symbolLayer(0).color().name(QColor.HexArgb) for value, s in symbols.items() if s},
        "label_field": labeling.settings().fieldName if labeling else None,
    }


def gdal_warnings(path):
    """GDAL's warnings on opening the GeoPackage and reading every feature."""
    found = []
    gdal.PushErrorHandler(lambda level, number, text: found.append(text))
    dataset = gdal.OpenEx(path)
    for k in range(dataset.GetLayerCount()):
        for _ in dataset.GetLayer(k):
            pass
    gdal.PopErrorHandler()
    return found


def render(project, png, width=1400):
    """The visible layers at the project's default view, labels on, the image shaped like the view."""
    extent = project.viewSettings().defaultViewExtent()
    settings = QgsMapSettings()
    settings.setLayers(project.layerTreeRoot().checkedLayers())
    settings.setDestinationCrs(project.crs())
    settings.setExtent(extent)
    settings.setOutputSize(QSize(width, round(width * extent.height() / extent.width())))
    settings.setBackgroundColor(QColor("white"))
    settings.setFlag(QgsMapSettings.DrawLabeling, True)
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    job.renderedImage().save(png, "PNG")
    return [name_of(layer) for layer in settings.layers()]


def main(qgz, png):
    app = QgsApplication([], True)
    app.initQgis()
    log = []
    QgsApplication.messageLog().messageReceived.connect(lambda text, tag, level: log.append([tag, int(level), text]))
    canvas = QgsMapCanvas()
    project = QgsProject.instance()
    canvas.setProject(project)
    project.readProject.connect(canvas.readProject)
    report = {"read": project.read(qgz), "crs": project.crs().toProj(), "geographic": project.crs().isGeographic()}
    layers = {name_of(layer): layer for layer in project.mapLayers().values()}
    report["order"] = [name_of(layer) for layer in project.layerTreeRoot().layerOrder()]
    report["groups"] = {
        g.name(): [name_of(n.layer()) for n in g.findLayers()] for g in project.layerTreeRoot().children()
    }
    report["layers"] = {name: describe(layer) for name, layer in layers.items()}
    report["bare"] = {name: describe(QgsVectorLayer(layer.source(), name, "ogr")) for name, layer in layers.items()}
    report["relative"] = not project.readBoolEntry("Paths", "/Absolute", True)[0]
    view = project.viewSettings().defaultViewExtent()
    report["view"] = [view.xMinimum(), view.yMinimum(), view.xMaximum(), view.yMaximum()]
    opened = canvas.extent()
    report["canvas"] = [opened.xMinimum(), opened.yMinimum(), opened.xMaximum(), opened.yMaximum()]
    report["rendered"] = render(project, png)
    source = next(iter(layers.values())).source().split("|")[0]
    report["gdal_warnings"] = gdal_warnings(source)
    report["log"] = log
    print(json.dumps(report))
    app.exitQgis()


if __name__ == "__main__":
    main(*sys.argv[1:3])
