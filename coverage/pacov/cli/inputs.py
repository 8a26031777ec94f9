"""The input options every analysis command shares, and the one call that turns them into a result.

The analysis libraries are imported inside the functions: ``pacov --help`` and ``--version`` load
only click (issue 16: start-up in well under a second).
"""

from dataclasses import dataclass, field
from pathlib import Path

import click

from pacov.cli import options

DATA_QUALITY_STEPS = ["read", "geometry", "repair", "points"]


def analysis_inputs(command=None, *, ranges_required=True):
    """Decorate ``command`` with the protected/ranges/cleaning/IUCN options (see :func:`run_analysis`);
    ``@analysis_inputs(ranges_required=False)`` for commands that also run without ranges."""
    if command is None:
        return lambda command: analysis_inputs(command, ranges_required=ranges_required)
    decorators = [
        options.protected,
        options.ranges if ranges_required else optional_ranges,
        options.species,
        options.crs,
        options.assume_crs,
        options.status,
        options.keep_mab,
        options.presence,
        options.origin,
        options.seasonal,
        click.option(
            "--log",
            "log_path",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            help="Write the cleaning log (every site dropped or changed, and why) to this CSV.",
        ),
        click.option(
            "--clip",
            default=None,
            metavar="PATH[:LAYER]",
            help="Cut the ranges to this outline first (e.g. a country, for a national view of global IUCN ranges).",
        ),
        click.option(
            "--workers",
            type=click.IntRange(1, None),
            default=None,
            help="Run on a local Dask cluster of this many worker processes.",
        ),
        click.option(
            "--scheduler",
            default=None,
            metavar="ADDRESS",
            help="Run on an existing dask.distributed cluster (e.g. tcp://host:8786).",
        ),
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


optional_ranges = click.option(
    "--ranges",
    "ranges",
    default=None,
    metavar="PATH[:LAYER]",
    help="Species ranges in the IUCN Red List schema: results per species [default: none].",
)


@dataclass
class Totals:
    """What :func:`run_analysis` returns out of core: the species table and the cleaning log."""

    species: object
    log: object
    notes: list = field(default_factory=list)

    @property
    def clean_log(self):
        return self.log


@dataclass
class SitesOnly:
    """What :func:`run_analysis` returns without ranges: the cleaned, flattened sites and the log."""

    sites: object
    log: object
    parts: object = None

    @property
    def clean_log(self):
        return self.log


def run_analysis(
    protected,
    ranges,
    species,
    crs,
    assume_crs,
    statuses,
    keep_mab,
    presence,
    origin,
    seasonal,
    log_path,
    workers,
    scheduler,
    clip=None,
    flatten=True,
    by_site=False,
    out_of_core=False,
    work_dir=None,
    site_type="all",
    fallback=False,
):
    """Read, clean and overlay (without ``ranges``: read and clean only, a :class:`SitesOnly`); write the
    log if asked; say on stderr how many sites were repaired.

    ``flatten=False``: the caller needs only the species totals, so overlaps are flattened later, if
    ever (a log asked for needs them now, on the workers). ``by_site``: the per-site table is computed
    on the workers too; whatever is asked for after this returns runs in this process. ``out_of_core``:
    the totals alone, partition by partition in ``work_dir`` (engine/out_of_core.py), a :class:`Totals`.
    ``site_type``: 'pa', 'oecm' or 'all' sites (cleaning/site_type.py). ``fallback``: an in-memory run
    that runs out of memory goes out of core instead (engine/path_choice.py says when it may)."""
    from pacov.atomic import write_text
    from pacov.cleaning.clean import clean_protected_areas
    from pacov.cleaning.project import auto_equal_area_crs, require_crs
    from pacov.engine.analysis import analyse
    from pacov.outputs.tables import to_csv
    from pacov.reading import iucn
    from pacov.reading.read import read_layer
    from pacov.runner import SERIAL, runner_for
    from pacov.stages import stage

    given = {"presence": presence, "origin": origin, "seasonal": seasonal}
    settings = click.get_current_context().find_root().obj or {}
    codes = {k: tuple(v) or iucn.DOPA_DEFAULT[k] for k, v in given.items()}
    # out of core, tasks read their own files: worker processes, not threads, on a cluster
    with runner_for(workers, scheduler, settings.get("progress", False), out_of_core) as runner:
        partitioned = (protected, ranges, crs, assume_crs, clean_options(statuses, keep_mab, site_type), codes, species)
        if out_of_core:
            result = out_of_core_totals(*partitioned, runner, work_dir)
        elif ranges is None:
            label = f"protected areas {protected}"
            with stage("read"):
                raw = require_crs(read_layer(protected, "protected areas"), label, assume_crs)
            crs = crs or auto_equal_area_crs(raw)
            result = SitesOnly(
                *clean_protected_areas(raw, crs, label, clean_options(statuses, keep_mab, site_type), runner)
            )
        else:
            try:
                with stage("read"):
                    raw = [read_layer(protected, "protected areas"), read_layer(ranges, "ranges")]
                    outline = (clip, read_layer(clip, f"clip outline {clip}")) if clip else None
                result = analyse(
                    raw.pop(0),  # popped: analyse holds the only reference, and drops each raw layer once cleaned
                    raw.pop(0),
                    species=list(species),
                    crs=crs,
                    assume_crs=assume_crs,
                    options=clean_options(statuses, keep_mab, site_type),
                    codes=codes,
                    labels=(f"protected areas {protected}", f"ranges {ranges}"),
                    runner=runner,
                    clip=outline,
                    flatten=flatten or by_site or bool(log_path),
                )
            except MemoryError:
                if not fallback:
                    raise
                raw = outline = None
                result = out_of_core_totals(*partitioned, runner, work_dir)
                result.notes.insert(0, "the layers did not fit in memory after all: computed out of core")
            else:
                if by_site:
                    _ = result.by_site  # cached
                result.overlay.runner = SERIAL  # the cluster closes with this block
    if log_path:
        write_text(log_path, to_csv(result.log))
    repaired = result.clean_log[result.clean_log["step"].isin(DATA_QUALITY_STEPS)]
    if len(repaired) and not settings.get("quiet"):
        click.echo(
            f"pacov: note: cleaning dropped {int((repaired['action'] == 'dropped').sum())} and changed "
            f"{int((repaired['action'] == 'changed').sum())} sites for data-quality reasons"
            f"{'' if log_path else ' (--log FILE lists them)'}",
            err=True,
        )
    tell(getattr(result, "notes", []))
    return result


def out_of_core_totals(protected, ranges, crs, assume_crs, options, codes, species, runner, work_dir):
    """The species totals partition by partition (engine/out_of_core.py), with the note of what a rerun reused."""
    from pacov.engine import out_of_core

    notes = []
    table, log = out_of_core.analyse(
        protected, ranges, crs, assume_crs, options, codes, species, runner, work_dir, notes=notes
    )
    return Totals(table, log, notes)


def choose_path(inputs, out_of_core, in_memory, work_dir, needs_whole):
    """The path of a coverage run (engine/path_choice.py): forced by a flag, else from the inputs' size;
    ``-v`` says which and why."""
    from pacov.engine.path_choice import choose
    from pacov.stages import LOG

    if in_memory and (out_of_core or work_dir):
        raise click.UsageError("--in-memory goes with neither --out-of-core nor --work-dir")
    forced = "in-memory" if in_memory else "out-of-core" if out_of_core or work_dir else None
    choice = choose(inputs["protected"], inputs["ranges"], forced, needs_whole)
    LOG.info("path: %s", choice.reason)
    return choice


def tell(notes):
    """Each note of a result on stderr, once (``-q`` silences them); the list is emptied."""
    settings = click.get_current_context().find_root().obj or {}
    while notes:
        note = notes.pop(0)
        if not settings.get("quiet"):
            click.echo(f"pacov: note: {note}", err=True)


def require_zone_field(zones, by):
    if zones and not by:
        raise click.UsageError("--zones needs --by FIELD naming the zone field")


def clean_options(statuses, keep_mab=False, site_type="all"):
    """The cleaning options of the --status, --keep-mab and --site-type flags (no --status: the baseline statuses)."""
    from pacov.cleaning.clean import CleanOptions
    from pacov.cleaning.status import BASELINE_STATUSES

    return CleanOptions(statuses=tuple(statuses) or BASELINE_STATUSES, exclude_mab=not keep_mab, site_type=site_type)


def clean_sites(protected, crs, assume_crs, options, *others):
    """Read and clean protected areas alone (commands without a range layer); ``others`` (frames
    with a CRS) widen the extent the automatic equal-area CRS is chosen for."""
    from pacov.cleaning.clean import clean_protected_areas
    from pacov.cleaning.project import auto_equal_area_crs, require_crs
    from pacov.reading.read import read_layer

    label = f"protected areas {protected}"
    raw = require_crs(read_layer(protected, "protected areas"), label, assume_crs)
    sites, _ = clean_protected_areas(raw, crs or auto_equal_area_crs(raw, *others), label, options)
    return sites


def emit(table, fmt, output, title=""):
    """Print a table, or write it atomically to ``output`` in the format its suffix implies."""
    from pacov.atomic import write_text
    from pacov.outputs.tables import render

    text = render(table, options.pick_format(fmt, output), title)
    if output:
        write_text(output, text)
    else:
        click.echo(text, nl=False)
