"""Everything ``pacov report`` writes from one study: the tables, and on request a GeoPackage, the
HTML page and its PDF. The scenarios are run once, inside build_report, and shared by all of them."""

from pacov.outputs.gis_layers import coverage_layers, scenario_layers, write_gis


def report_layers(report, results):
    """The report's GeoPackage layers: coverage (ranges split by the study's breakdown field where the
    ranges have it), the scenarios and the report's extra layers (corridors; the GBF table's sites and KBAs)."""
    breakdown = report.study.breakdown if report.study else None
    layers = coverage_layers(report.result, breakdown if breakdown in report.result.parts.columns else None)
    if results:
        layers.update(scenario_layers(results))
    layers.update(report.layers)
    return layers


def write_bundle(study, out_dir, gpkg=None, html=None, pdf=None, lang="en", site_type="all"):
    """Run the study's report (``site_type``: the sites its coverage tables count), write its tables and the
    files asked for; return the Report."""
    from pacov.outputs.pdf import chromium
    from pacov.outputs.report import build_report, write_report

    if pdf:
        chromium()  # say so before the work, not after it
    report = build_report(study, site_type=site_type)
    write_report(report, out_dir)
    if gpkg:
        write_gis(report_layers(report, report.scenarios), gpkg)
    if html or pdf:
        from pacov.outputs.html_report import build_html
        from pacov.outputs.pdf import write_html_and_pdf

        write_html_and_pdf(build_html(report, lang), html, pdf)
    return report
