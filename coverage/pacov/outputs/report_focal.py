"""The focal species broken down: by a range field, site, designation and IUCN category; its ProtConn,
its corridors (with a resistance raster) and its share of the population (with a density raster).

Tables are named ``focal_…`` whatever the species, so scripts reading them work for any study.
"""

import pandas as pd

from pacov.analyses.connectivity import protconn
from pacov.analyses.corridors import corridors, read_resistance
from pacov.analyses.raster_coverage import raster_coverage
from pacov.engine.ranges import dissolve


def only(table, focal):
    return table[table["species"] == focal].drop(columns="species").reset_index(drop=True)


def focal_label(species, focal):
    """'Genus species (common name)' where the ranges layer has a common name, else the scientific name."""
    row = species.set_index("species").loc[focal]
    common = row.get("common_name", "")
    return f"{focal} ({common})" if isinstance(common, str) and common else focal


def focal_tables(study, result, species, tables):
    """Add the focal species' tables to ``tables``; return extra GeoPackage layers (its corridors)."""
    focal = study.focal
    if focal is None or focal not in set(species["species"]):
        return {}
    label = focal_label(species, focal)
    if study.breakdown and study.breakdown in result.parts.columns:
        tables["focal_by_breakdown"] = (
            f"{label}: range by {study.breakdown}",
            only(result.breakdown(study.breakdown), focal),
        )
    tables["focal_by_area"] = (f"{label}: range by protected area", only(result.by_site, focal))
    tables["focal_by_designation"] = (f"{label}: range by designation", only(result.breakdown("DESIG_ENG"), focal))
    tables["focal_by_iucn_category"] = (f"{label}: range by IUCN category", only(result.breakdown("IUCN_CAT"), focal))
    focal_range = dissolve(result.parts[result.parts["sci_name"] == focal]).geometry.iloc[0]
    km = ", ".join(f"{d / 1000:g}" for d in study.distances_m)
    tables["focal_connectivity"] = (
        f"{label}: ProtConn (protected and connected share of the range, %) at median dispersal distances of "
        f"{km} km (the study's bracket, not measured dispersal)",
        protconn(result.sites, [(focal, focal_range)], study.distances_m, key="species"),
    )
    layers = {}
    if study.resistance:
        grid = read_resistance(study.resistance, result.crs)
        layers["corridors"] = corridors(result.sites, [(focal, focal_range)], grid)
        tables["focal_corridors"] = (
            f"{label}: least-cost corridors between neighbouring protected areas (cost within 5% of the least; "
            f"resistance {study.resistance.name}) and their protected share",
            layers["corridors"].drop(columns="geometry"),
        )
    if study.density:
        tables["focal_population_share"] = (
            f"{label}: share of range versus share of population (density surface {study.density.name})",
            population_share(study.density, result, species, focal),
        )
    return layers


def population_share(density, result, species, focal):
    """The focal species' protected share of range beside its protected share of animals (density raster)."""
    weights = raster_coverage(density, result.sites, result.parts[result.parts["sci_name"] == focal], per_area=True)
    return pd.DataFrame(
        {
            "species": [focal],
            "range_share": [species.set_index("species").at[focal, "protected_share"]],
            "animals": weights["weight_total"].round(2),
            "animals_protected": weights["weight_protected"].round(2),
            "population_share": weights["share"],
        }
    )
