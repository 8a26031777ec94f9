"""``pacov scenario``: run, compare, rank and optimise what-if scenarios."""

import json
from pathlib import Path

import click

from pacov.cli import options
from pacov.embedded import embedded_study
from pacov.errors import PacovError

# The libraries are imported inside the commands, so that `pacov --help` starts in a fraction of a second.

files = click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
one_file = click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
out_dir = click.option(
    "--out-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("outputs/tables"),
    show_default=True,
    help="Where CSV and Markdown tables go.",
)
no_write = click.option("--no-write", is_flag=True, help="Print only; write no tables.")
fmt = click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv", "md"]), default="table", help="What to print."
)
weights = click.option(
    "--weight",
    "weights",
    multiple=True,
    metavar="SPECIES=W",
    help="A species' weight (repeatable); species not named keep weight 1 (0 if --species leaves them out).",
)
COST = "cost: the hectares a candidate designates alone, after the scenario's removals, unless the file gives a cost"
species = click.option(
    "--species", "species", multiple=True, metavar="NAME", help="Only these species count (weight 1 each)."
)


@click.group()
def scenario():
    """What-if scenarios: add proposals, expand or remove areas, and compare the results."""


def write_tables(out, stem, title, table, footer):
    from pacov.atomic import write_text
    from pacov.outputs.tables import to_csv, to_markdown

    write_text(out / f"{stem}.csv", to_csv(table))
    write_text(out / f"{stem}.md", to_markdown(table, title, footer))


def write_scenario_gpkg(results, path):
    from pacov.outputs.gis_layers import scenario_layers, write_gis

    write_gis(scenario_layers(results), path)


def footer_for(scenarios):
    from pacov.outputs.report import notice_for, software

    notice = notice_for([p for sc in scenarios for p in (sc.protected, sc.ranges)])
    names = ", ".join(sc.path.name for sc in scenarios)
    return f"{notice}\n\n" * bool(notice) + f"Scenario files: {names}. Computed by {software()}."


@scenario.command("run")
@files
@options.crs
@options.distances("Add each operation's ProtConn change (points) at this median dispersal distance (repeatable).")
@out_dir
@no_write
@fmt
@options.gpkg
def run_cmd(files, crs, distances, out_dir, no_write, fmt, gpkg):
    """Run scenarios: coverage per species and the effect of each operation."""
    import pandas as pd

    from pacov.analyses.connectivity import check_distances
    from pacov.outputs.tables import render
    from pacov.scenarios.connectivity_gain import operation_protconn, with_protconn_gain
    from pacov.scenarios.run import run
    from pacov.scenarios.scenario_file import load_scenario, unique_names

    distances = check_distances(distances) if distances else []
    scenarios = unique_names([load_scenario(f) for f in files])
    results = [run(sc, crs) for sc in scenarios]
    for r in results:
        if distances and len(r.operations):
            r.operations = with_protconn_gain(r.operations, operation_protconn(r, distances))
    if gpkg:
        write_scenario_gpkg(results, gpkg)
    if not no_write:
        for sc, r in zip(scenarios, results):
            write_tables(out_dir, f"scenario_{r.name}", f"Scenario {r.name}", r.species, footer_for([sc]))
            if len(r.operations):
                write_tables(
                    out_dir,
                    f"scenario_{r.name}_operations",
                    f"Scenario {r.name}: operations",
                    r.operations,
                    footer_for([sc]),
                )
    species = pd.concat([r.species for r in results], ignore_index=True)
    if fmt == "table":
        text = "\n".join(
            render(r.species, "table", f"Scenario {r.name}")
            + ("\n" + render(r.operations, "table", "Operations") if len(r.operations) else "")
            for r in results
        )
        click.echo(text, nl=False)
    else:
        click.echo(render(species, fmt), nl=False)


@scenario.command("compare")
@files
@options.crs
@options.distances("Add ProtConn of each range at this median dispersal distance, and its change (repeatable).")
@out_dir
@no_write
@fmt
@options.gpkg
def compare_cmd(files, crs, distances, out_dir, no_write, fmt, gpkg):
    """Compare scenarios side by side; changes are against today (each file's layers as they stand)."""
    from pacov.analyses.connectivity import check_distances
    from pacov.outputs.tables import render
    from pacov.scenarios.connectivity_gain import compare_protconn
    from pacov.scenarios.run import compare, prepare, run_prepared
    from pacov.scenarios.scenario_file import load_scenario, unique_names

    distances = check_distances(distances) if distances else []
    scenarios = unique_names([load_scenario(f) for f in files])
    preps = [prepare(sc, crs) for sc in scenarios]
    results = [run_prepared(prep) for prep in preps]
    if gpkg:
        write_scenario_gpkg(results, gpkg)
    table = compare(results)
    if distances:
        table = compare_protconn(table, results, preps, distances)
    if not no_write:
        write_tables(
            out_dir,
            "scenario_comparison",
            "Scenario comparison (changes against today's protected areas)",
            table,
            footer_for(scenarios),
        )
    click.echo(render(table, fmt), nl=False)


def species_numbers(items, option, example):
    """``SPECIES=NUMBER`` options as a dict; a malformed one is an error showing the form."""
    parsed = {}
    for item in items:
        name, _, value = item.partition("=")
        try:
            parsed[name.strip()] = float(value)
        except ValueError:
            raise PacovError(f"{option} {item}: write SPECIES=NUMBER, e.g. '{example}'") from None
    return parsed


@scenario.command("rank")
@one_file
@species
@weights
@options.crs
@fmt
def rank_cmd(file, species, weights, crs, fmt):
    """Each candidate's gain alone and added last, and a greedy order."""
    from pacov.outputs.tables import render
    from pacov.scenarios.planning import planning_units, rank, species_weights
    from pacov.scenarios.run import prepare

    units = planning_units(prepare(file, crs))
    w = species_weights(units, species, species_numbers(weights, "--weight", "Genus species=2"))
    click.echo(render(rank(units, w), fmt, f"Candidates ({COST})"), nl=False)


def amount(number):
    """A budget as given: 1,600,000 or 1.5, never rounded to a whole number."""
    return f"{number:,.0f}" if float(number).is_integer() else f"{number:,}"


@scenario.command("optimize")
@one_file
@click.option("--budget-ha", type=float, help="Hectares that may be designated.")
@click.option("--budget", "budget_cost", type=float, help="A cost budget, in the scenario's cost units.")
@click.option(
    "--target",
    "targets",
    multiple=True,
    metavar="SPECIES=SHARE",
    help="Minimise the shortfall against these protected shares (0-1) instead.",
)
@click.option("--lock-in", multiple=True, metavar="CANDIDATE", help="Must be chosen (part of a label).")
@click.option("--lock-out", multiple=True, metavar="CANDIDATE", help="Must not be chosen (part of a label).")
@click.option(
    "--connectivity-weight",
    type=float,
    default=None,
    metavar="W",
    help="Add W (weighted ha) per new link: an existing area within --distance of a candidate, not touching it.",
)
@click.option("--distance", type=float, default=None, metavar="METRES", help="Dispersal distance for new links.")
@species
@weights
@options.crs
@fmt
@options.gpkg
def optimize_cmd(file, budget_ha, budget_cost, targets, lock_in, lock_out, connectivity_weight, distance, species,
                 weights, crs, fmt, gpkg):  # fmt: skip
    """The best subset of candidates within a budget (exact, HiGHS MILP), against greedy."""
    from pacov.outputs.tables import render
    from pacov.scenarios.selection import select

    if (budget_ha is None) == (budget_cost is None):
        raise click.UsageError("give exactly one of --budget-ha or --budget")
    if connectivity_weight is not None and distance is None:
        raise click.UsageError("--connectivity-weight needs --distance METRES")
    by_area = budget_ha is not None
    budget = budget_ha if by_area else budget_cost
    wanted = species_numbers(targets, "--target", "Genus species=0.8")
    weighed = species_numbers(weights, "--weight", "Genus species=2")
    bonus = None if connectivity_weight is None else (connectivity_weight, distance)
    chosen = select(file, budget, by_area, wanted, lock_in, lock_out, species, weighed, bonus, crs)
    if gpkg:
        from pacov.outputs.gis_layers import planning_unit_layer, write_gis

        write_gis(planning_unit_layer(chosen.units, chosen.best.chosen), gpkg)
    if fmt == "json":
        click.echo(json.dumps(chosen.record(), ensure_ascii=False, indent=2))
        return
    title = f"Candidates at budget {amount(budget)}{' ha' if by_area else ''} ({COST})"
    status = f"{chosen.best.status}; optimality gap {chosen.best.gap:.2%}"
    click.echo(render(chosen.candidates(), fmt, title) + "\n" + render(chosen.summary(), fmt, status), nl=False)


@scenario.command("new")
@click.argument("proposals", metavar="DRAWN[:LAYER]")
@click.option("--name", "name", required=True, help="The scenario's name (letters, digits, '.', '_', '-').")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The scenario file to write [default: NAME.toml here].",
)
@click.option(
    "--protected",
    default=lambda: embedded_study().protected,
    show_default="the embedded layers",
    help="Today's protected areas.",
)
@click.option(
    "--ranges", default=lambda: embedded_study().ranges, show_default="the embedded layers", help="The species ranges."
)
@click.option(
    "--id-field",
    default=None,
    metavar="FIELD",
    help="The field naming each proposal [default: PROPOSAL_ID, id, fid or name; another only when given].",
)
def new_cmd(proposals, name, output, protected, ranges, id_field):
    """Write a scenario adding every polygon of a drawn layer (e.g. from QGIS) to today's baseline.

    The layer needs only polygons and an id or name field; missing WDPA fields get defaults
    (STATUS Proposed, IUCN_CAT Not Reported, a generated WDPAID), each reported when the scenario runs.
    """
    from pacov.scenarios.new_scenario import new_scenario

    click.echo(str(new_scenario(proposals, name, output or Path(f"{name}.toml"), protected, ranges, id_field=id_field)))
