"""The page's sections, one per question a planner asks; each answers in one sentence, then shows it.

How much is protected, which species fall short, where, how connected, what each scenario changes,
and how the estate grew. Every change is against today's baseline (the study's protected layer).
"""

from html import escape

from pacov.outputs.changes import focal_record
from pacov.outputs.page_charts import delta_svg, indicator_svg, legend, timeline_svg
from pacov.outputs.page_tables import folded, html_table
from pacov.outputs.palette import species_colours

GAP_COLUMNS = ["species", "common_name", "range_ha", "protected_ha", "protected_share", "target_share"]
GAP_COLUMNS += ["shortfall_ha", "status"]
ZONE_COLUMNS = ["range_ha", "protected_ha", "protected_share"]
PROTCONN_COLUMNS = ["distance_m", "prot", "protconn"]
CORRIDOR_COLUMNS = ["from_name", "to_name", "gap_km", "length_km", "corridor_ha", "protected_ha", "protected_share"]
MIN_ZONE_SHARE = 0.01  # zones holding less of the range than this are slivers, not an answer to "where"


def section(section_id, heading, answer, *shown):
    return f'<section id="{section_id}"><h2>{escape(heading)}</h2><p class="answer">{escape(answer)}</p>{"".join(shown)}</section>'


def species_labels(report):
    """{scientific name: 'Common name (scientific name)'} where the ranges layer has common names."""
    table = report.tables["species_coverage"][1]
    commons = table["common_name"] if "common_name" in table.columns else [""] * len(table)
    return {sp: f"{c} ({sp})" if c else sp for sp, c in zip(table["species"], commons)}


def how_much(report, lang):
    fig, name = report.indicator, report.study.name
    answer = lang._(
        "Protected areas in these layers cover {protected} ({share}) of {region}'s {area}.",
        protected=lang.mha(fig["protected_ha"]),
        share=lang.pct(fig["share"], 2),
        region=name,
        area=lang.mha(fig["region_ha"]),
    )
    for off in fig["official"]:
        answer += " " + lang._(
            "Official figure ({label}): {official} ({share}).",
            label=off["label"],
            official=lang.mha(off["protected_ha"]),
            share=lang.pct(off["share"], 2),
        )
    for target in fig["targets"]:
        answer += " " + lang._(
            "Target “{label}”: {target} by {year}, {gap} more than these layers",
            label=target["label"],
            target=lang.mha(target["protected_ha"]),
            year=target["year"] or "—",
            gap=lang.ha(target["gap_ha"]),
        )
        if target["official_gap_ha"] is not None:
            answer += lang._(", {gap} more than the official figure", gap=lang.ha(target["official_gap_ha"]))
        answer += "."
    rows = [(lang._("Computed from these layers"), fig["protected_ha"], "computed")]
    rows += [(f["label"], f["protected_ha"], "official") for f in fig["official"]]
    rows += [(f["label"], f["protected_ha"], "target") for f in fig["targets"]]
    table = report.tables["national_indicator"][1].drop(columns=["source"])
    table["indicator"] = table["indicator"].where(table["kind"] != "computed", rows[0][0])
    note = lang._(
        "The computed figure counts only the sites in these layers; an official figure counts the whole estate."
    )
    return section(
        "protected",
        lang._("How much is protected?"),
        answer,
        indicator_svg(rows, lang),
        f'<p class="note">{escape(note)}</p>',
        html_table(table, "indicator-table", lang),
    )


def which_short(report, lang):
    gaps = report.tables["gap_analysis"][1]
    short = gaps[gaps["status"] != "target met"]
    labels = species_labels(report)
    if len(short):
        answer = lang._(
            "{count} of {total} species fall short of their representation target: {names}.",
            count=len(short),
            total=len(gaps),
            names=", ".join(labels[s] for s in short["species"]),
        )
    else:
        answer = lang._("All {total} species meet their representation target.", total=len(gaps))
    note = lang._("Targets scale with range size (Rodrigues et al. 2004): 100% of a small range, 10% of a vast one.")
    table = gaps[[c for c in GAP_COLUMNS if c in gaps.columns]]
    return section(
        "gaps",
        lang._("Which species fall short?"),
        answer,
        f'<p class="note">{escape(note)}</p>',
        html_table(table, "gap-table", lang),
    )


def where(report, lang, map_html):
    study, shown = report.study, []
    answer = lang._("The map shows the protected areas, each species' range and its gaps.")
    if "coverage_by_zone" in report.tables and study.focal:
        zones = report.tables["coverage_by_zone"][1]
        focal = zones[zones["species"] == study.focal].set_index(study.zone_field)
        real = focal[focal["range_ha"] >= MIN_ZONE_SHARE * focal["range_ha"].sum()].sort_values("protected_share")
        if len(real):
            answer = (
                lang._(
                    "The {species} range is best protected in {best} ({best_share}) and least in {worst} ({worst_share}).",
                    species=species_labels(report)[study.focal],
                    best=real.index[-1],
                    best_share=lang.pct(real["protected_share"].iloc[-1]),
                    worst=real.index[0],
                    worst_share=lang.pct(real["protected_share"].iloc[0]),
                )
                + " "
                + answer
            )
        shown.append(html_table(focal[ZONE_COLUMNS].reset_index(), "zone-table", lang))
        shown.append(folded(lang._("Every species by zone"), html_table(zones, "zones-all-table", lang)))
    shown.append(f'<iframe id="map" title="map" srcdoc="{escape(map_html, quote=True)}"></iframe>')
    return section("where", lang._("Where?"), answer, *shown)


def connected(report, lang):
    region = report.tables["region_connectivity"][1]
    middle = region.iloc[len(region) // 2]
    answer = lang._(
        "At a median dispersal distance of {km} km, {protconn} of {region} is protected and connected ({prot} protected).",
        km=lang.number(middle["distance_m"] / 1000),
        protconn=lang.pct(middle["protconn"] / 100, 2),
        region=report.study.name,
        prot=lang.pct(middle["prot"] / 100, 2),
    )
    shown = [html_table(region[["region", *PROTCONN_COLUMNS]], "region-protconn-table", lang)]
    labels = species_labels(report)
    if "focal_connectivity" in report.tables:
        focal = report.tables["focal_connectivity"][1]
        row = focal.iloc[len(focal) // 2]
        answer += " " + lang._(
            "For the {species} range: {protconn} ({prot} protected).",
            species=labels[report.study.focal],
            protconn=lang.pct(row["protconn"] / 100, 1),
            prot=lang.pct(row["prot"] / 100, 1),
        )
        shown.append(html_table(focal[["species", *PROTCONN_COLUMNS]], "focal-protconn-table", lang))
    if "focal_corridors" in report.tables:
        lines = report.tables["focal_corridors"][1]
        share = lines["protected_ha"].sum() / lines["corridor_ha"].sum() if len(lines) else 0.0
        answer += " " + lang._(
            "{count} least-cost corridors link neighbouring protected areas; {share} of their area is protected.",
            count=len(lines),
            share=lang.pct(share),
        )
        shown.append(html_table(lines[CORRIDOR_COLUMNS], "corridor-table", lang))
    return section("connected", lang._("How connected?"), answer, *shown)


def short_label(description, name):
    """A scenario's label on the chart: the first sentence of its description (its name if none)."""
    first = description.split(". ")[0].rstrip(".") if description else name
    return first if len(first) <= 90 else first[:89] + "…"


def what_changes(report, lang):
    table = report.tables["scenario_comparison"][1]
    reference, results = report.scenarios[0], report.scenarios[1:]
    labels = species_labels(report)
    order = [sp for sp in labels if sp in set(table["species"])]
    colours = species_colours(order)
    deltas = {(r.scenario, r.species): (r.delta_pp, r.delta_ha) for r in table.itertuples()}
    scenarios = [(r.name, short_label(r.scenario.description, r.name)) for r in results]
    focal = report.study.focal if report.study.focal in order else order[0]
    changes = table[(table["species"] == focal) & (table["scenario"] != reference.name)]
    answer = lang._("No scenario beyond today's protected areas.")
    if len(changes):
        best = changes.loc[changes["delta_ha"].idxmax()]
        answer = lang._(
            "Against today's protected areas ({baseline}), “{scenario}” adds most to the {species} range: {delta_ha} ({delta_pp}).",
            baseline=reference.name,
            scenario=dict(scenarios)[best["scenario"]],
            species=labels[focal],
            delta_ha=lang.ha(best["delta_ha"]),
            delta_pp=lang.pp(best["delta_pp"]),
        )
    chart = delta_svg(deltas, scenarios, [(sp, labels[sp]) for sp in order], colours, lang)
    notes = own_baselines(results, focal, labels[focal], dict(scenarios), lang)
    full = folded(lang._("Every scenario and species (full table)"), html_table(table, "scenario-table", lang))
    return section(
        "scenarios",
        lang._("What does each scenario change?"),
        answer,
        chart,
        legend([(sp, labels[sp]) for sp in order], colours),
        notes,
        full,
    )


def own_baselines(results, focal, label, names, lang):
    """A note for the scenarios that start from an earlier estate (``as_of``): the change against it,
    on its own, labelled, so it is never read as the change against today that the chart shows."""
    lines = []
    for result in results:
        if result.scenario.as_of is None or result.baseline_label is None:
            continue
        record = focal_record(result, focal)
        lines.append(
            lang._(
                "“{scenario}” starts from the {year} estate; against that, the {species} range changes by {delta_ha} ({delta_pp}).",
                scenario=names.get(result.name, result.name),
                year=result.scenario.as_of,
                species=label,
                delta_ha=("+" if record["own_delta_ha"] > 0 else "") + lang.ha(record["own_delta_ha"]),
                delta_pp=lang.pp(record["own_delta_pp"]),
            )
        )
    return "".join(f'<p class="note own-baseline">{escape(line)}</p>' for line in lines)


def how_it_grew(report, lang):
    series = report.tables["coverage_by_year"][1]
    fig = report.indicator
    answer = lang._(
        "From {first} to {last}, the protected areas in these layers grew from {start} to {end}.",
        first=int(series["year"].iloc[0]),
        last=int(series["year"].iloc[-1]),
        start=lang.mha(series["protected_ha"].iloc[0]),
        end=lang.mha(series["protected_ha"].iloc[-1]),
    )
    official = [(f["label"], f["protected_ha"], f["year"]) for f in fig["official"]]
    targets = [(f["label"], f["protected_ha"], f["year"]) for f in fig["targets"]]
    return section("growth", lang._("How did it grow?"), answer, timeline_svg(series, official, targets, lang))
