"""Where the embedded Kazakhstan layers live: in the source tree (layers/ beside coverage/), not in the
package. A module of its own so the CLI can show the default without loading the analysis."""

from pathlib import Path

DEFAULT_LAYERS = Path(__file__).resolve().parents[2] / "layers" / "kazakhstan"
PROTECTED_FILE = "protected_areas.geojson"
RANGES_FILE = "species_ranges.geojson"
OUTLINE_FILE = Path("basemap") / "kazakhstan_adm0.geojson"
RESISTANCE_FILE = "snow_leopard_resistance.tif"
FOCAL = "Panthera uncia"  # the embedded case's species, listed first
