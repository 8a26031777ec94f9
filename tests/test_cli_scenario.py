"""The shipped Kazakhstan scenarios, end to end through the real ``pacov scenario`` commands."""

import json

import pytest

from conftest import ROOT, run_pacov

SCENARIOS = ROOT / "layers" / "kazakhstan" / "scenarios"
ORDER = ["baseline", "before-merke", "merke", "six-new", "three-expanded", "undp-plan", "kok-zhailau-removal"]


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    out = tmp_path_factory.mktemp("scenarios")
    done = run_pacov(
        "scenario", "compare", *[SCENARIOS / f"{n}.toml" for n in ORDER], "--out-dir", out, "--format", "json"
    )
    assert done.returncode == 0, done.stderr
    return out, json.loads(done.stdout)


def leopard(records):
    return {r["scenario"]: r for r in records if r["species"] == "Panthera uncia"}


def test_every_shipped_scenario_runs_and_merke_adds_snow_leopard_range(compared):
    _, records = compared
    assert {"scenario", "species", "protected_ha", "protected_share", "delta_ha"} <= set(records[0])
    rows = leopard(records)
    assert list(rows) == ORDER
    assert rows["before-merke"]["delta_ha"] < -50_000  # Merke (founded 2025) holds snow leopard range
    assert rows["merke"]["protected_ha"] == pytest.approx(rows["baseline"]["protected_ha"], abs=0.01)
    assert rows["three-expanded"]["delta_ha"] == 0  # the June 2025 expansions lie outside snow-leopard range
    assert rows["kok-zhailau-removal"]["delta_ha"] < 0
    assert all(0 <= r["protected_share"] <= 1 for r in records)


def test_three_expanded_matches_shapely_on_the_raw_layers(compared):
    """The June 2025 list's gains, recomputed with shapely in EPSG:6933 from the raw GeoJSON: none for the
    snow leopard; for the saiga, the expansions' range not already protected (the seal reserve is at sea)."""
    import math
    import tomllib

    import geopandas as gpd
    import shapely

    _, records = compared
    rows = {r["species"]: r for r in records if r["scenario"] == "three-expanded"}
    spec = tomllib.loads((SCENARIOS / "three-expanded.toml").read_text(encoding="utf-8"))
    grown = [op.get("by") or op["ids"][0] for op in spec["operations"]]
    assert grown == ["ustyurt-expansion", "akzhaiyk-expansion", "caspian-seal"]  # draft Concept, June 2025
    layers = SCENARIOS.parent
    proposed = gpd.read_file(layers / "proposed_areas.geojson").to_crs("EPSG:6933")
    added = shapely.union_all(proposed[proposed["PROPOSAL_ID"].isin(grown)].geometry.to_numpy())
    sites = gpd.read_file(layers / "protected_areas.geojson").to_crs("EPSG:6933")
    sites = sites[
        sites["STATUS"].isin(["Designated", "Inscribed", "Established"])
        & ~sites["DESIG_ENG"].str.contains("MAB")
        & (sites["REP_AREA"] > 0)
    ]
    # a point site counts as a circle of its REP_AREA (the Ural delta Ramsar site meets the Akzhaiyk expansion):
    # drawn here in a plane centred on the point (azimuthal equal-area), radius sqrt(area / pi)
    circles = [
        gpd.GeoSeries(
            [shapely.Point(0, 0).buffer((row.REP_AREA * 1e6 / math.pi) ** 0.5, quad_segs=64)],
            crs=f"+proj=laea +lat_0={row.geometry.y} +lon_0={row.geometry.x} +datum=WGS84",
        )
        .to_crs("EPSG:6933")
        .iloc[0]
        for row in sites[sites.geom_type == "Point"].to_crs("EPSG:4326").itertuples()
    ]
    polygons = sites[sites.geom_type.isin(["Polygon", "MultiPolygon"])].geometry.to_numpy()
    protected = shapely.union_all([*polygons, *circles])
    parts = gpd.read_file(layers / "species_ranges.geojson").to_crs("EPSG:6933")
    parts = parts[parts["presence"].isin([1, 2]) & parts["origin"].isin([1, 2]) & parts["seasonal"].isin([1, 2, 3])]
    for species in ("Panthera uncia", "Saiga tatarica"):
        rng = shapely.union_all(parts[parts["sci_name"] == species].geometry.to_numpy())
        gain = shapely.difference(shapely.intersection(rng, added), protected).area / 1e4
        assert rows[species]["delta_ha"] == pytest.approx(gain, rel=0.005, abs=1), species
    assert rows["Saiga tatarica"]["delta_ha"] > 10_000


def test_outputs_are_deterministic(compared, tmp_path):
    out, _ = compared
    done = run_pacov("scenario", "compare", *[SCENARIOS / f"{n}.toml" for n in ORDER], "--out-dir", tmp_path)
    assert done.returncode == 0
    for name in ("scenario_comparison.csv", "scenario_comparison.md"):
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes()


def test_run_writes_operation_tables(tmp_path):
    done = run_pacov("scenario", "run", SCENARIOS / "undp-plan.toml", "--out-dir", tmp_path, "--format", "json")
    assert done.returncode == 0, done.stderr
    ops = (tmp_path / "scenario_undp-plan_operations.csv").read_text(encoding="utf-8").splitlines()
    assert ops[0] == "scenario,step,operation,designated_ha,species,range_gain_ha,range_ha_per_ha_designated"
    assert any(
        line.startswith("undp-plan,1,Merke Regional Nature Park,") and ",Panthera uncia," in line for line in ops
    )


def test_rank_and_optimize_at_the_plan_budget():
    ranked = run_pacov(
        "scenario", "rank", SCENARIOS / "undp-plan.toml", "--species", "Panthera uncia", "--format", "json"
    )
    assert ranked.returncode == 0, ranked.stderr
    first = json.loads(ranked.stdout)[0]
    assert first["candidate"] == "Merke Regional Nature Park" and first["alone_ha"] > 50_000
    done = run_pacov("scenario", "optimize", SCENARIOS / "undp-plan.toml", "--budget-ha", "1600000", "--format", "json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["optimality_gap"] == 0 and result["gain_ha"] >= result["greedy_gain_ha"]
    assert "Merke Regional Nature Park" in result["chosen"]


@pytest.mark.parametrize(
    "args,message",
    [
        (["optimize", SCENARIOS / "undp-plan.toml", "--budget-ha", "-5"], "budget must not be negative"),
        (["rank", SCENARIOS / "undp-plan.toml", "--weight", "Panthera uncia=lots"], "write SPECIES=NUMBER"),
        (["rank", SCENARIOS / "undp-plan.toml", "--species", "Panthera unca"], "no species Panthera unca"),
        (["run", SCENARIOS / "nope.toml"], "file not found"),
    ],
)
def test_bad_arguments_are_one_line(args, message):
    done = run_pacov("scenario", *args)
    assert done.returncode == 1 and message in done.stderr and "Traceback" not in done.stderr


def test_compare_when_the_first_file_lacks_a_species(tmp_path):
    """Issue 16 item 13: the first scenario's ranges hold A only, the second's A and B (hand world, same sites).
    Every change is against today (issue 25): each file's own layers as they stand, so B has its reference
    too, and A and B change by 0 (no operation: the same sites, the same ranges)."""
    import geopandas as gpd

    from scenario_helpers import write_world

    write_world(tmp_path)
    whole = gpd.read_file(tmp_path / "ranges.gpkg")
    whole[whole["sci_name"] == "A"].to_file(tmp_path / "ranges_a.gpkg")
    files = []
    for name, layer in (("only-a", "ranges_a.gpkg"), ("a-and-b", "ranges.gpkg")):
        files.append(tmp_path / f"{name}.toml")
        files[-1].write_text(
            f'name = "{name}"\n[baseline]\nprotected = "pa.gpkg"\nranges = "{layer}"\n', encoding="utf-8"
        )
    done = run_pacov("scenario", "compare", *files, "--out-dir", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    rows = {
        (r["scenario"], r["species"]): r
        for r in json.loads(run_pacov("scenario", "compare", *files, "--no-write", "--format", "json").stdout)
    }
    assert rows[("a-and-b", "A")]["delta_ha"] == 0 and rows[("a-and-b", "B")]["delta_ha"] == 0
    # site 1 (x 0–10), 2 (x 30–40), 3 (x 41–46) in A (x 0–50): 10,000 + 10,000 + 2,500 ha = 22,500 ha
    assert rows[("a-and-b", "A")]["protected_ha"] == pytest.approx(22_500, rel=1e-5)
    assert "| a-and-b | B |" in (tmp_path / "out" / "scenario_comparison.md").read_text(encoding="utf-8")
