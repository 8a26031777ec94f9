"""Species coverage of layers larger than memory, partition by partition (``coverage --out-of-core``).

Every step is a task over files in a work folder, so no process holds a whole layer, and a task runs
on any worker that sees the folder: the driver ships paths and row numbers, never geometry.

1. clean sites: each chunk of row groups is cleaned by the in-memory verbs (clean.py) and staged;
   flattening is left out, since the totals are unions (see RangeOverlay.protected). The driver keeps
   only each site's bounding box and vertex count;
2. clean ranges: each chunk is normalised, filtered and repaired (ranges.py); its parts go to buckets
   by species, so that all the parts of a species meet in one bucket;
3. dissolve: each bucket is dissolved by species and cut into pieces (subdivide.py), as in memory;
4. partition: sites and pieces are ordered along a Hilbert curve of their boxes and cut into
   partitions of bounded vertex count, the pieces' also of about equal estimated overlay cost (the
   sites near them × their vertices); each staged file is split among its partitions' folders;
5. overlay: one task per piece partition reads its pieces and, from the site partitions, only the
   sites whose boxes meet them (the halo), and returns protected m² per species.
The answers are the in-memory path's (the same pieces and unions), summed in another order.
"""

import zlib
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pyproj
import shapely

from pacov.cleaning import cleanlog
from pacov.cleaning.clean import CleanOptions, clean_protected_areas
from pacov.cleaning.polygons import prepare_polygons
from pacov.cleaning.project import GLOBAL_EQUAL_AREA, auto_equal_area_crs, require_crs
from pacov.engine.overlay import M2_PER_HA, overlay_costs, piece_union_areas, share_table
from pacov.engine.ranges import dissolve
from pacov.engine.subdivide import subdivide_all
from pacov.engine.work_folder import WorkFolder
from pacov.errors import PacovError
from pacov.reading import iucn
from pacov.reading.geoparquet import GeoParquet
from pacov.runner import SERIAL
from pacov.stages import LOG, quiet, stage

ROWS = 10_000  # input rows per cleaning task
PARTITION_VERTICES = 1_000_000  # per partition: a task holds one of pieces and a few of sites
BUCKETS = 32  # species buckets for the dissolve


def analyse(
    protected,
    ranges,
    crs=None,
    assume_crs=None,
    options=CleanOptions(),
    codes=iucn.DOPA_DEFAULT,
    species=(),
    runner=SERIAL,
    work_dir=None,
    rows=ROWS,
    partition_vertices=PARTITION_VERTICES,
    notes=None,
):
    """(species table, cleaning log) for two GeoParquet files, as ``engine.analysis.analyse`` gives them.

    ``work_dir``: where the partitions go (on storage every worker sees), kept so that a rerun on the
    same inputs reuses every finished task (work_folder.py); without it, a temporary folder, removed
    at the end. ``notes``: a list the note of what was reused goes to.
    """
    sites_file = GeoParquet(protected, f"protected areas {protected}")
    ranges_file = GeoParquet(ranges, f"ranges {ranges}")
    crs = pyproj.CRS(crs) if crs else crs_from_extent(sites_file, ranges_file, assume_crs)
    tasks = 4 * runner.workers  # at least a few tasks per worker, however small the layer
    rows = max(1, min(rows, -(-sites_file.file.metadata.num_rows // tasks)))
    settings = (crs.to_wkt(), assume_crs, options, codes, tuple(species), rows, partition_vertices, tasks)
    work = WorkFolder(work_dir, (protected, ranges), settings)
    try:
        with stage("clean protected areas"):
            site_boxes, site_vertices, log = clean_sites(sites_file, crs, assume_crs, options, runner, work, rows)
        with stage("prepare ranges"):
            names, range_ha, piece_boxes, piece_vertices = prepare_ranges(
                ranges_file, crs, assume_crs, codes, species, runner, work, rows
            )
        with stage("partition"):
            site_part, site_position = partition(site_boxes, site_vertices, partition_vertices)
            site_tree = shapely.STRtree(shapely.box(*site_boxes.T))  # for the costs and the halos
            costs = piece_costs(piece_boxes, piece_vertices, site_tree, site_vertices)
            count = max(tasks, -(-int(piece_vertices.sum()) // partition_vertices))
            piece_part, _ = partition(piece_boxes, piece_vertices, partition_vertices, costs, count)
            split_all(work, runner, "sites", site_part, len(site_boxes))
            split_all(work, runner, "pieces", piece_part, len(piece_boxes))
        with stage("overlay"):
            tasks = overlay_tasks(work, piece_boxes, piece_part, site_tree, site_part, site_position)
            protected_ha = pd.concat(work.map(runner, overlay_partition, tasks)).groupby(level=0).sum()
    finally:
        work.close()
    if work.note():
        LOG.info("%s", work.note())
        if notes is not None:
            notes.append(work.note())
    table = share_table(pd.DataFrame({"species": names}), range_ha, protected_ha.reindex(names, fill_value=0.0))
    return table, log


def crs_from_extent(sites_file, ranges_file, assume_crs):
    """The equal-area CRS in-memory runs choose, from the files' bounding boxes (GeoParquet metadata).

    A box its CRS cannot hold means a feature that does not fit: the cleaning tasks check every
    feature and name that one, as the in-memory run does, so the world-wide CRS stands in until then.
    """
    frames = []
    for file in (sites_file, ranges_file):
        if file.bbox is None:
            raise PacovError(f"{file.label}: no bbox in its GeoParquet metadata; give --crs (an equal-area CRS)")
        box = gpd.GeoDataFrame(geometry=[shapely.box(*file.bbox[:4])], crs=file.crs)
        try:
            frames.append(require_crs(box, file.label, assume_crs))
        except PacovError:
            return pyproj.CRS(GLOBAL_EQUAL_AREA)
    return auto_equal_area_crs(*frames)


def chunks(file, work, name, rows):
    """Tasks' inputs: (path, row groups, number of its first row in the file): the file's own row groups,
    or, for a file written in one huge row group, chunk files streamed off it so that tasks stay small.
    """
    groups = file.groups(rows)
    if groups is not None:
        return [(file.path, g, None) for g in groups]
    folder = work / f"{name}-input"
    if not (folder / "complete").exists():  # written by a run that got past this step: reused as it is
        folder.mkdir(exist_ok=True)
        for k, (_, batch) in enumerate(file.batches(rows)):
            table = pa.Table.from_batches([batch]).replace_schema_metadata(file.file.schema_arrow.metadata)
            pq.write_table(table, folder / f"{k:06d}.parquet")
        (folder / "complete").touch()
    paths = sorted(folder.glob("*.parquet"))
    first = np.cumsum([0] + [pq.ParquetFile(p).metadata.num_rows for p in paths])
    return [(str(p), [0], int(f)) for p, f in zip(paths, first)]


def read_chunk(path, groups, first, label):
    return GeoParquet(path, label).read(groups, first)


def clean_sites(file, crs, assume_crs, options, runner, work, rows):
    """Clean and stage the sites chunk by chunk: (boxes, vertex counts, cleaning log)."""
    (work / "sites").mkdir(exist_ok=True)
    tasks = [
        (*chunk, file.label, str(work / "sites" / f"{k:06d}.parquet"), crs.to_wkt(), assume_crs, options)
        for k, chunk in enumerate(chunks(file, work, "sites", rows))
    ]
    with quiet():
        results = work.map(runner, clean_sites_chunk, tasks)
    return (
        np.concatenate([r[0] for r in results]),
        np.concatenate([r[1] for r in results]),
        cleanlog.combine([r[2] for r in results]),
    )


def clean_sites_chunk(task):
    """Clean one chunk of sites and write it to its staging file (a task)."""
    path, groups, first, label, out, crs, assume_crs, options = task
    raw = require_crs(read_chunk(path, groups, first, label), label, assume_crs)
    sites, log = clean_protected_areas(raw, pyproj.CRS(crs), label, replace(options, flatten=False))
    geoms = sites.geometry.to_numpy()
    write(out, {"geometry": shapely.to_wkb(geoms)})
    return shapely.bounds(geoms), shapely.get_num_coordinates(geoms), log


def prepare_ranges(file, crs, assume_crs, codes, species, runner, work, rows):
    """Ranges cleaned, dissolved by species and cut into pieces, staged: (names, range ha, piece boxes, vertices)."""
    buckets = work / "ranges"
    for b in range(BUCKETS):
        (buckets / f"{b:03d}").mkdir(parents=True, exist_ok=True)
    wanted = tuple(name.lower() for name in species)
    tasks = [
        (*chunk, file.label, str(buckets), k, crs.to_wkt(), assume_crs, codes, wanted)
        for k, chunk in enumerate(chunks(file, work, "ranges", rows))
    ]
    seen = set().union(*work.map(runner, clean_ranges_chunk, tasks))
    missing = [name for name in species if name.lower() not in seen]
    if missing:
        raise PacovError(f"{file.label}: no species '{missing[0]}' (with a kept range polygon) in the file")
    (work / "pieces").mkdir(exist_ok=True)
    tasks = [
        (str(buckets / f"{b:03d}"), str(work / "pieces" / f"{b:06d}.parquet"), crs.to_wkt()) for b in range(BUCKETS)
    ]
    results = work.map(runner, dissolve_bucket, tasks)
    names = np.concatenate([r[0] for r in results])
    if len(names) == 0:
        raise PacovError(f"{file.label}: no range polygon with any area is left after the IUCN code filter and repair")
    range_ha = np.concatenate([r[1] for r in results])
    order = np.argsort(names, kind="stable")
    boxes = np.concatenate([r[2] for r in results])
    return names[order], range_ha[order], boxes, np.concatenate([r[3] for r in results])


def clean_ranges_chunk(task):
    """Normalise, filter and repair one chunk of range polygons; send its parts to species buckets (a task)."""
    path, groups, first, label, buckets, k, crs, assume_crs, codes, wanted = task
    raw = require_crs(read_chunk(path, groups, first, label), label, assume_crs)
    parts = iucn.normalize(raw, label)
    if wanted:
        parts = parts[parts["sci_name"].str.lower().isin(wanted)]
    parts = prepare_polygons(iucn.filter_codes(parts, **codes), pyproj.CRS(crs), label)
    bucket = np.array([zlib.crc32(name.encode()) % BUCKETS for name in parts["sci_name"]], dtype=int)
    for b in np.unique(bucket):
        rows = parts[bucket == b]
        write(
            Path(buckets) / f"{b:03d}" / f"{k:06d}.parquet",
            {"sci_name": rows["sci_name"].to_numpy(), "geometry": shapely.to_wkb(rows.geometry.to_numpy())},
        )
    return {name.lower() for name in parts["sci_name"]}


def dissolve_bucket(task):
    """Dissolve one bucket's parts by species and cut them into pieces, as in memory (a task)."""
    folder, out, crs = task
    table = read_folder(folder)
    if table is None:
        return np.zeros(0, object), np.zeros(0), np.zeros((0, 4)), np.zeros(0, int)
    parts = gpd.GeoDataFrame(
        {"sci_name": table.column("sci_name").to_numpy(zero_copy_only=False)},
        geometry=shapely.from_wkb(table.column("geometry").to_numpy(zero_copy_only=False)),
        crs=pyproj.CRS(crs),
    )
    ranges = dissolve(parts)
    geoms = ranges.geometry.to_numpy()
    pieces, owner = subdivide_all(geoms)
    names = ranges["sci_name"].to_numpy()
    write(out, {"sci_name": names[owner], "geometry": shapely.to_wkb(pieces)})
    return names, shapely.area(geoms) / M2_PER_HA, shapely.bounds(pieces), shapely.get_num_coordinates(pieces)


def piece_costs(piece_boxes, piece_vertices, site_tree, site_vertices):
    """Each piece's estimated overlay cost (overlay.overlay_costs), from the boxes and vertex counts alone
    (``site_tree``: an STRtree of the sites' boxes)."""
    near_piece, near_site = site_tree.query(shapely.box(*piece_boxes.T))
    return overlay_costs(near_piece, near_site, piece_vertices, site_vertices)


def partition(boxes, vertices, per_partition, costs=None, count=1):
    """(partition of each row, its position in that partition): runs of a Hilbert order of the boxes'
    centres, each of at most about ``per_partition`` vertices (memory) and, given ``costs``, of about
    1/``count`` of their total (time: a deep stack of sites makes a run of pieces cost many others, and a
    partition is one task); positions follow the rows' staged order."""
    if len(boxes) == 0:
        return np.zeros(0, int), np.zeros(0, int)
    centres = shapely.points((boxes[:, 0] + boxes[:, 2]) / 2, (boxes[:, 1] + boxes[:, 3]) / 2)
    extent = (*boxes[:, :2].min(axis=0), *boxes[:, 2:].max(axis=0))
    order = np.argsort(gpd.GeoSeries(centres).hilbert_distance(total_bounds=extent).to_numpy(), kind="stable")
    part = np.empty(len(boxes), dtype=int)
    part[order] = (np.cumsum(vertices[order]) - vertices[order]) // per_partition
    if costs is not None and costs.sum() > 0:
        share = ((np.cumsum(costs[order]) - costs[order]) * count // costs.sum()).astype(int)  # both grow in order:
        part[order] = part[order] * count + np.minimum(share, count - 1)  # cut wherever either one crosses
    _, part = np.unique(part, return_inverse=True)  # no empty partitions
    by_part = np.argsort(part, kind="stable")
    position = np.empty(len(boxes), dtype=int)
    position[by_part] = np.arange(len(boxes)) - np.searchsorted(part[by_part], part[by_part])
    return part, position


def split_all(work, runner, name, part, count):
    """Split each staged file of the folder ``name`` among the folders of its rows' partitions."""
    folder = work / name
    files = sorted(folder.glob("*.parquet"))
    sizes = [pq.ParquetFile(f).metadata.num_rows for f in files]
    assert sum(sizes) == count
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    tasks = [(str(f), part[bounds[k] : bounds[k + 1]]) for k, f in enumerate(files)]
    for p in np.unique(part):
        (folder / f"part-{p:06d}").mkdir(exist_ok=True)
    work.map(runner, split_file, tasks)


def split_file(task):
    """Write the rows of one staged file to their partitions' folders (a task)."""
    path, part = task
    path = Path(path)
    table = pq.read_table(path)
    for p in np.unique(part):
        pq.write_table(table.filter(pa.array(part == p)), path.parent / f"part-{p:06d}" / path.name)


def overlay_tasks(work, piece_boxes, piece_part, site_tree, site_part, site_position):
    """One task per piece partition: its folder, and the halo of sites (partition, positions) it needs."""
    tasks = []
    for p in np.unique(piece_part):
        near = np.unique(site_tree.query(shapely.box(*piece_boxes[piece_part == p].T))[1])
        halo = [
            (str(work / "sites" / f"part-{q:06d}"), site_position[near[site_part[near] == q]])
            for q in np.unique(site_part[near])
        ]
        tasks.append((str(work / "pieces" / f"part-{p:06d}"), halo))
    return tasks


def overlay_partition(task):
    """Protected m² per species (as ha, a Series) of one partition of pieces (a task)."""
    folder, halo = task
    pieces = read_folder(folder)
    geoms = shapely.from_wkb(pieces.column("geometry").to_numpy(zero_copy_only=False))
    names = pieces.column("sci_name").to_numpy(zero_copy_only=False)
    sites = [read_folder(path).column("geometry").take(pa.array(rows)) for path, rows in halo]
    targets = (
        shapely.from_wkb(np.concatenate([s.to_numpy(zero_copy_only=False) for s in sites]))
        if sites
        else np.zeros(0, object)
    )
    hit, area = piece_union_areas((geoms, targets, None))
    return pd.Series(area / M2_PER_HA, index=names[hit]).groupby(level=0).sum()


def read_folder(folder):
    """All the Parquet files of a folder, in name order, as one table (None when there are none)."""
    files = sorted(Path(folder).glob("*.parquet"))
    return pa.concat_tables([pq.read_table(f) for f in files]) if files else None


def write(path, columns):
    pq.write_table(pa.table(columns), path)
