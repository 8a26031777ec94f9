"""The study's scenarios, run once and compared against today's baseline (the study's own layers).

Every change the report shows is against the same reference: the study's protected areas as they
stand, whatever baseline (an ``as_of`` year, say) a scenario file starts from. When the study's first
scenario is that baseline already it serves; otherwise a 'today' run of the study's layers goes first.
"""

from pathlib import Path

from pacov.cleaning.status import BASELINE_STATUSES
from pacov.scenarios.run import compare, run
from pacov.scenarios.scenario_file import Scenario, load_scenario, unique_names

TODAY = "today"


def is_today(scenario, study):
    """Whether a scenario is the study's layers as they stand (no operations, no as_of, default statuses)."""
    layers = [Path(str(p)).resolve() for p in (scenario.protected, scenario.ranges, study.protected, study.ranges)]
    unchanged = not scenario.operations and scenario.as_of is None and tuple(scenario.statuses) == BASELINE_STATUSES
    return layers[:2] == layers[2:] and unchanged


def study_scenarios(study, crs=None):
    """(results, today's baseline first; the comparison table) for the study's scenarios, or ([], None);
    ``crs``: the equal-area CRS of the report, so that scenario sites and the report's layers line up."""
    scenarios = unique_names([load_scenario(p) for p in study.scenarios])
    if not scenarios:
        return [], None
    if not is_today(scenarios[0], study):
        today = Scenario(study.path, TODAY, "The study's protected areas as they stand.", study.protected, study.ranges)
        scenarios = unique_names([today, *[s for s in scenarios if not is_today(s, study)]])
    results = [run(sc, crs) for sc in scenarios]
    return results, compare(results)
