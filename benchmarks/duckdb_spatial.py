"""The DuckDB spatial reference: per range, ST_Union_Agg of the intersecting protected areas, ST_Intersection, ST_Area.

What a data engineer tries first today: DuckDB with its spatial extension, in process, no server.
The extension comes from PyPI (duckdb-extension-spatial, which pins its duckdb), so nothing is
downloaded at run time. Geometries are prepared as pacov prepares them (reference.py) and handed
to DuckDB as WKB through Arrow; the whole process is timed, reading included. Prints JSON records
like pacov's; the query's own time goes to stderr as ``query_seconds``.

    python benchmarks/duckdb_spatial.py --check                 # exit 0 when DuckDB spatial loads
    python benchmarks/duckdb_spatial.py PROTECTED RANGES CRS
"""

import sys
from pathlib import Path

QUERY = """
WITH hits AS (
    SELECT r.sci_name, ST_Union_Agg(p.geom) AS geom
    FROM ranges r JOIN sites p ON ST_Intersects(r.geom, p.geom)
    GROUP BY r.sci_name
)
SELECT r.sci_name, ST_Area(r.geom) / 1e4 AS range_ha,
       COALESCE(ST_Area(ST_Intersection(r.geom, h.geom)), 0) / 1e4 AS protected_ha
FROM ranges r LEFT JOIN hits h USING (sci_name) ORDER BY r.sci_name
"""


def connect():
    """An in-memory DuckDB with the spatial extension of the duckdb-extension-spatial package loaded."""
    import duckdb
    import duckdb_extension_spatial

    extension = Path(duckdb_extension_spatial.__file__).parent / "extensions" / f"v{duckdb.__version__}"
    con = duckdb.connect()
    con.execute(f"LOAD '{extension / 'spatial.duckdb_extension'}'")
    return con


def load(con, table, frame):
    import pyarrow as pa

    wkb = pa.table({"sci_name": frame["sci_name"].to_numpy(), "wkb": frame.geometry.to_wkb()})
    con.register("incoming", wkb)
    con.execute(f"CREATE TABLE {table} AS SELECT sci_name, ST_GeomFromWKB(wkb) AS geom FROM incoming")
    con.unregister("incoming")


if __name__ == "__main__":
    from reference import sql_main

    sys.exit(sql_main(sys.argv[1:], connect, load, QUERY, "SELECT ST_Point(0, 0)"))
