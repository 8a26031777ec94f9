"""GBF Target 3 in one long table: 3.1 (PAs, OECMs, both), KBA coverage, ProtConn and the SPI,
by year of designation, today, and under each scenario.

Every state of the estate (the sites designated up to a year, every site today, a scenario's sites
after its operations) is measured the same way, so a series and a plan can be read side by side.
3.1 is the land share under the union of the sites (wholly marine sites left out, as
analyses/indicator.py does), so a hectare under a PA and an OECM counts once; the component
indicators count PAs and OECMs together. Sites with no STATUS_YR count today only. The inputs are
explicit (GeoDataFrames and scenario results in one equal-area CRS): the caller decides where
they come from. docs/gbf.md gives the methods and their sources.
"""

import textwrap
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd
import shapely

from pacov.analyses.connectivity import protconn
from pacov.analyses.indicator import not_marine
from pacov.analyses.kba import WHOLLY_COVERED, covered_shares, summary
from pacov.analyses.spi import species_protection_index
from pacov.analyses.timeline import save_png
from pacov.engine.flatten import erase_overlaps
from pacov.engine.overlay import RangeOverlay, coverage_table
from pacov.messages import N_, untranslated

COLUMNS = ["indicator", "variant", "year", "scenario", "value", "unit", "method", "source"]
OBSERVED = N_("observed")
COVERAGE = N_("3.1 protected and conserved areas")
KBA = N_("KBA coverage")
PROTCONN = "ProtConn"
SPI = N_("Species Protection Index")
BOTH = N_("PA and OECM")
AXIS_CHARACTERS = 90  # what fits across the 8-inch chart at its label's size
NO_KBA = "no KBA layer given: KBA boundaries are licensed (IBAT); give one to compute this indicator"


TARGET, GBF_TARGET_3 = N_("target"), N_("GBF Target 3")  # pacov's own labels: translated; a study's are names


@dataclass(frozen=True)
class Target:
    """A dashed line on the chart: ``value`` of ``indicator`` (in the indicator's unit) by ``year``."""

    indicator: str
    value: float
    label: str = TARGET
    year: int | None = None

    def text(self, _=untranslated):
        """The line's legend in the language of ``_`` (a study's own label is its name: not translated)."""
        label = _(self.label) if self.label in (TARGET, GBF_TARGET_3) else self.label
        number = f"{self.value:.3g}"
        if self.year:
            return _("{label}: {value} by {year}", label=label, value=number, year=self.year)
        return _("{label}: {value}", label=label, value=number)


TARGETS = (Target(COVERAGE, 30.0, GBF_TARGET_3, 2030),)  # 30% of land (and inland waters) by 2030


def coverage_targets(figures):
    """3.1 targets from a study's target records (outputs/report_indicator.py: each has its share of the
    region's land, whether it was given in hectares or as a share)."""
    return tuple(Target(COVERAGE, 100 * f["share"], f["label"], f["year"]) for f in figures)


@dataclass
class Study:
    """What every state is measured against, in one equal-area CRS.

    ``land``: the land outline (shapely, polygonal); ``parts``: prepared range parts; ``species``:
    their coverage table (``range_outside_ha`` when global ranges were clipped: stewardship);
    ``kbas``: prepared KBA polygons or None; ``distances``: ProtConn median dispersal distances (m);
    ``sources``: indicator → what its figures come from (the ``source`` column).
    """

    land: object
    parts: object
    species: pd.DataFrame
    kbas: object = None
    distances: tuple = ()
    sources: dict = field(default_factory=dict)

    @cached_property
    def overlay(self):
        return RangeOverlay(self.parts)  # the ranges are the same in every state: cut once

    @cached_property
    def land_m2(self):
        return shapely.area(self.land)


def row(study, indicator, variant, value, unit, method):
    """One record of the table; ``state_rows`` adds its year and scenario."""
    return {
        "indicator": indicator,
        "variant": variant,
        "value": value,
        "unit": unit,
        "method": method,
        "source": study.sources.get(indicator, ""),
    }


def coverage_rows(study, sites):
    """3.1: the land share under PAs, under OECMs, and under both (the union: overlaps once)."""
    counted = not_marine(sites)
    on_land = shapely.intersection(counted.geometry.to_numpy(), study.land)
    kinds = counted["SITE_TYPE"].to_numpy()
    rows = []
    for variant, keep in ((N_("PA"), kinds == "PA"), (N_("OECM"), kinds == "OECM"), (BOTH, np.ones(len(kinds), bool))):
        share = 100 * shapely.area(shapely.union_all(on_land[keep])) / study.land_m2
        n = counted.loc[keep, "WDPAID"].nunique()
        method = f"union of {n} {variant} sites cut to the land outline, wholly marine sites left out"
        rows.append(row(study, COVERAGE, variant, share, N_("% of land"), method))
    return rows


def kba_rows(study, sites):
    """The two SDG 15.1.2 forms, PAs and OECMs together."""
    record = summary(covered_shares(sites, study.kbas))
    n = record["n_kba"]
    return [
        row(study, KBA, N_("mean share covered"), 100 * record["mean_covered_share"], "%", f"mean over {n} KBAs"),
        row(
            study,
            KBA,
            N_("wholly covered"),
            100 * record["wholly_covered_share"],
            N_("% of KBAs"),
            f"KBAs over {WHOLLY_COVERED:.0%} covered, of {n}",
        ),
    ]


def protconn_rows(study, sites):
    """ProtConn of the flattened sites clipped to the land outline, at each distance."""
    if not len(sites):
        values = [0.0] * len(study.distances)
    else:
        flat, _ = erase_overlaps(sites)
        values = protconn(flat, [("land", study.land)], study.distances)["protconn"].tolist()
    return [
        row(study, PROTCONN, f"{d / 1000:g} km", v, "% of land", f"Saura et al.; median dispersal {d / 1000:g} km")
        for d, v in zip(study.distances, values)
    ]


def spi_rows(study, sites):
    """The SPI weighted by stewardship (null when unknown) and the unweighted mean beside it."""
    table = coverage_table(study.overlay, study.overlay.protected(sites.geometry.to_numpy()))
    if "range_outside_ha" in study.species.columns:
        table = table.merge(study.species[["species", "range_outside_ha"]], on="species", how="left")
    spi = species_protection_index(table)
    n = spi["n_species"]
    return [
        row(
            study,
            SPI,
            N_("stewardship-weighted"),
            spi["spi"],
            "0-100",
            f"{n} species; stewardship {spi['stewardship']}",
        ),
        row(study, SPI, N_("unweighted"), spi["spi_unweighted"], "0-100", f"mean national SPS of {n} species"),
    ]


def state_rows(study, sites, year, scenario):
    """Every indicator for one state of the estate."""
    rows = coverage_rows(study, sites)
    if study.kbas is not None:
        rows += kba_rows(study, sites)
    if study.distances:
        rows += protconn_rows(study, sites)
    rows += spi_rows(study, sites)
    return [{**r, "year": year, "scenario": scenario} for r in rows]


def gbf_target3(sites, study, scenarios=(), years=()):
    """The long table ``gbf_target3`` (COLUMNS): by STATUS_YR (and each of ``years``), today, then
    today under each scenario.

    ``sites``: cleaned, unflattened sites of every type (SITE_TYPE) in the study's CRS;
    ``scenarios``: (name, sites after the scenario's operations, source) triples in the same CRS.
    """
    dated = sites[sites["STATUS_YR"] > 0]
    rows = []
    for year in sorted(set(dated["STATUS_YR"].astype(int)) | {int(y) for y in years}):
        rows += state_rows(study, dated[dated["STATUS_YR"] <= year], year, OBSERVED)
    rows += state_rows(study, sites, None, OBSERVED)
    if study.kbas is None:
        rows.append({**row(study, KBA, "", np.nan, "%", NO_KBA), "year": None, "scenario": OBSERVED})
    for name, scenario_sites, source in scenarios:
        rows += [{**r, "source": source} for r in state_rows(study, scenario_sites, None, name)]
    return pd.DataFrame(rows, columns=COLUMNS).astype({"year": "Int64"})


def figure(table, targets=TARGETS, _=untranslated):
    """One panel per indicator: each variant's series by year, today and each scenario as markers at
    the right, and the study's ``targets`` (:class:`Target`) as dashed lines; words in the language of ``_``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    indicators = [
        i for i in (COVERAGE, KBA, PROTCONN, SPI) if table.loc[table["indicator"] == i, "value"].notna().any()
    ]
    fig, axes = plt.subplots(len(indicators), 1, figsize=(8, 3 * len(indicators)), sharex=True, squeeze=False)
    years = table["year"].dropna()
    last = int(years.max()) if len(years) else 2025
    scenarios = [s for s in table["scenario"].unique() if s != OBSERVED]
    marks = {OBSERVED: last + 2, **{s: last + 4 + 2 * k for k, s in enumerate(scenarios)}}
    for ax, indicator in zip(axes[:, 0], indicators):
        lines = [t for t in targets if t.indicator == indicator]
        draw_panel(ax, table[table["indicator"] == indicator], marks, lines, _)
        ax.set_title(_(indicator), fontsize=10)
    words = _(
        "year (STATUS_YR); right of {last}: today, then {scenarios}",
        last=last,
        scenarios=", ".join(scenarios) or _("no scenario"),
    )
    axes[-1, 0].set_xlabel(textwrap.fill(words, AXIS_CHARACTERS))  # many scenarios' names: never cut at the edges
    fig.tight_layout()
    return fig


def draw_panel(ax, rows, marks, targets, _=untranslated):
    """Step lines by year and markers for today and the scenarios, one colour per variant."""
    for k, (variant, group) in enumerate(rows.groupby("variant", sort=False)):
        colour = f"C{k}"
        series = group[group["year"].notna()].sort_values("year")
        ax.step(
            series["year"].astype(int), series["value"], where="post", color=colour, label=variant_label(variant, _)
        )
        for r in group[group["year"].isna()].itertuples():
            ax.plot(marks[r.scenario], r.value, "o" if r.scenario == OBSERVED else "s", color=colour)
    for k, target in enumerate(targets):
        ax.axhline(target.value, linestyle=("--", ":", "-.")[k % 3], color="grey", label=target.text(_))
    ax.set_ylabel(_(rows["unit"].iloc[0]))
    ax.legend(fontsize=7, loc="upper left")


def variant_label(variant, _=untranslated):
    """A variant as the chart names it: ProtConn's are distances ("10 km"), the others marked messages."""
    if not variant:
        return "—"
    if variant.endswith(" km"):
        return _("{distance} km", distance=variant.removesuffix(" km"))
    return _(variant)


def chart(table, path, targets=TARGETS, _=untranslated):
    """Write :func:`figure` as a PNG (atomically)."""
    save_png(figure(table, targets, _), path)


def chart_svg(table, targets=TARGETS, _=untranslated):
    """:func:`figure` as an ``<svg>`` element for the report page (inline, so the page stays one file; no
    XML prolog, which HTML does not take; its words stay text, not paths, so they can be found and read aloud)."""
    import io

    import matplotlib
    import matplotlib.pyplot as plt

    fig = figure(table, targets, _)
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg") :]
