"""The ``pacov`` group: version, help, and one error line (never a traceback) for bad input."""

import logging
import os
import sys
import warnings

import click

from pacov import __version__
from pacov.cli.connectivity_cmd import connectivity
from pacov.cli.corridors_cmd import corridors_
from pacov.cli.coverage_cmd import coverage
from pacov.cli.gaps_cmd import gaps
from pacov.cli.gbf_cmd import gbf
from pacov.cli.kba_cmd import kba
from pacov.cli.map_cmd import map_
from pacov.cli.points_cmd import points_
from pacov.cli.raster_cmd import raster_coverage_
from pacov.cli.reconcile_cmd import reconcile_
from pacov.cli.report_cmd import report
from pacov.cli.scenario_cmd import scenario
from pacov.cli.serve_cmd import serve_
from pacov.cli.study_cmd import study
from pacov.cli.timeline_cmd import timeline_
from pacov.errors import PacovError

INTERNAL_ERROR = 70
OUT_OF_MEMORY = 1  # bad (too large) input for this machine, not a bug


class PacovGroup(click.Group):
    """Turns library errors into ``pacov: error: …`` on stderr and a non-zero exit."""

    def invoke(self, ctx):
        if not os.environ.get("PACOV_DEBUG"):
            warnings.simplefilter("ignore")  # library warnings are not for planners; errors still are
        try:
            return super().invoke(ctx)
        except PacovError as exc:
            click.echo(f"pacov: error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except MemoryError:
            click.echo(
                "pacov: error: out of memory: these layers do not fit in this machine's memory; run "
                "`pacov coverage --out-of-core` on GeoParquet inputs (it works partition by partition), "
                "or on a machine with more memory",
                err=True,
            )
            sys.exit(OUT_OF_MEMORY)
        except Exception as exc:  # an unforeseen failure still gets one line, not a traceback
            if os.environ.get("PACOV_DEBUG"):
                raise
            click.echo(
                f"pacov: internal error: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''} "
                "(set PACOV_DEBUG=1 for details and please report it)",
                err=True,
            )
            sys.exit(INTERNAL_ERROR)


@click.group(cls=PacovGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pacov")
@click.option("-q", "--quiet", is_flag=True, help="No progress bars or notes.")
@click.option("-v", "--verbose", is_flag=True, help="Log each stage with its time on stderr.")
@click.pass_context
def cli(ctx, quiet, verbose):
    """pacov: how much of each species' range lies in protected areas.

    Areas are computed in an equal-area projection, overlapping protected areas are flattened so
    no hectare counts twice, and invalid geometry is repaired. Exit codes: 0 success, 1 bad input
    or unwritable output, 2 bad command line, 70 internal error.
    """
    ctx.obj = {"progress": not quiet and sys.stderr.isatty(), "quiet": quiet}
    if quiet:  # the notes (a drawn layer's defaults, say) are warnings of pacov's loggers: errors only
        logging.getLogger("pacov").setLevel(logging.ERROR)
    if verbose and not quiet:
        logging.basicConfig(level=logging.INFO, format="pacov: %(message)s", stream=sys.stderr)
        logging.getLogger("distributed").setLevel(logging.WARNING)  # stage timings, not the cluster's chatter


cli.add_command(coverage)
cli.add_command(map_)
cli.add_command(report)
cli.add_command(scenario)
cli.add_command(gaps)
cli.add_command(timeline_)
cli.add_command(reconcile_)
cli.add_command(raster_coverage_)
cli.add_command(points_)
cli.add_command(connectivity)
cli.add_command(corridors_)
cli.add_command(study)
cli.add_command(kba)
cli.add_command(gbf)
cli.add_command(serve_)
