"""Cases a reviewer who did not write the code tried against issue 23 (see the review's report).

Each expected figure is worked out by hand on the raw rectangles (the scenario CRS is a Lambert azimuthal
equal-area projection centred on them, so a planar area is the area on the ground).
"""

import json

from shapely.geometry import box

from conftest import ranges, run_pacov, sites, square
from scenario_helpers import CRS, scenario


def test_a_budget_typed_as_the_sum_of_two_shown_costs_affords_both(tmp_path):
    """Two proposals of 234.56321 ha (2,345.6321 m × 1,000 m) and 100.0036 ha (1,000.036 m × 1,000 m), both
    inside range A (by hand). `rank` shows 234.56 and 100.00; a planner who wants both types their sum, 334.56,
    which is 0.0068 ha under the exact 334.56681: both should be chosen, as one shown figure typed alone is."""
    sites([{"WDPAID": 1, "geometry": square(0, 0, 10)}], crs=CRS).to_file(tmp_path / "pa.gpkg")
    ranges([{"sci_name": "A", "geometry": square(0, 0, 30)}], crs=CRS).to_file(tmp_path / "ranges.gpkg")
    proposals = [("c1", box(12_000, 0, 14_345.6321, 1_000)), ("c4", box(20_000, 0, 21_000.036, 1_000))]
    rows = [{"WDPAID": 900 + n, "PROPOSAL_ID": pid, "STATUS": "Proposed", "geometry": g} for n, (pid, g) in
            enumerate(proposals)]  # fmt: skip
    sites(rows, crs=CRS).to_file(tmp_path / "proposed.gpkg")
    path = scenario(
        tmp_path, "sum", '[[operations]]\nop = "add"\nids = ["c1"]\n[[operations]]\nop = "add"\nids = ["c4"]\n'
    )
    shown = run_pacov("scenario", "rank", path)
    assert shown.returncode == 0, shown.stderr
    costs = {line.split()[1]: line.split()[2] for line in shown.stdout.splitlines() if line.startswith("add ")}
    assert costs == {"c1": "234.56", "c4": "100.00"}
    done = run_pacov("scenario", "optimize", path, "--budget-ha", "334.56", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert sorted(json.loads(done.stdout)["chosen"]) == ["add c1", "add c4"]
