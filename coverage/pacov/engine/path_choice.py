"""In memory or out of core: the path a coverage run takes, chosen from the inputs' size and free memory.

A planner should not need to know the two paths exist. The in-memory path holds both layers at
once, a few copies of each vertex (raw, repaired, projected, flattened): its peak grows with the
vertices, about BYTES_PER_VERTEX each over the interpreter's BASE (measured: docs/scale.md). When
that estimate passes SHARE of the memory available (memory.available), the run goes out of core,
partition by partition (out_of_core.py), whose peak is bounded by its partitions instead. That path
reads GeoParquet and gives the species totals only, so a run that needs more (--by, --zones,
--gpkg, --clip) or has other formats stays in memory, and says so when it may not fit.
"""

from dataclasses import dataclass

from pacov import memory
from pacov.reading.size import layer_size

BYTES_PER_VERTEX = 120  # twice the peaks measured (docs/scale.md)
BASE = 250 * 2**20  # the interpreter and libraries: the national workload peaks at 205 MB
SHARE = 0.7  # of the memory available: the estimate is rough, and the system needs some too


@dataclass(frozen=True)
class Choice:
    """The path chosen, why (for ``-v``), and whether the run may switch to out of core if memory runs out."""

    out_of_core: bool
    reason: str
    fallback: bool = False


def choose(protected, ranges, forced=None, needs_whole=()):
    """The path for ``pacov coverage`` on these two sources.

    ``forced``: "out-of-core" or "in-memory" (the flags); ``needs_whole``: the flags given that only
    the in-memory path serves (e.g. "--by").
    """
    if forced:
        return Choice(forced == "out-of-core", f"{forced}: asked for")
    sizes = [layer_size(protected), layer_size(ranges)]
    if None in sizes:  # unreadable metadata: reading the layer names the fault
        return Choice(False, "in memory: an input's size is not known")
    need = BASE + BYTES_PER_VERTEX * sum(s.vertices for s in sizes)
    room = memory.available()
    fits = room is None or need <= SHARE * room
    figures = f"about {gb(need)} needed, {gb(room)} available" if room else "available memory not known"
    if needs_whole:
        return Choice(False, f"in memory: {', '.join(needs_whole)} need the whole layers ({figures})")
    if not all(s.geoparquet for s in sizes):
        advice = "" if fits else "; convert the inputs to GeoParquet (ogr2ogr -f Parquet) to run them in parts"
        return Choice(False, f"in memory: out of core reads GeoParquet only ({figures}){advice}")
    if fits:
        return Choice(False, f"in memory ({figures})", fallback=True)
    return Choice(True, f"out of core ({figures})")


def gb(size):
    return f"{size / 1e9:.1f} GB" if size >= 1e8 else f"{size / 1e6:.0f} MB"
