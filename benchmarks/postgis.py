"""The PostGIS reference: per range, ST_Union of the intersecting protected areas, ST_Intersection, ST_Area.

Geometries are prepared as pacov prepares them (reference.py), then loaded with COPY into a local
PostGIS (``make bench-deps`` installs one on loopback); the query is what a PostGIS analyst writes.
Prints JSON records like pacov's; the query's own time goes to stderr as ``query_seconds``.

    python benchmarks/postgis.py --check                 # exit 0 when a PostGIS is reachable
    python benchmarks/postgis.py PROTECTED RANGES CRS
"""

import os
import sys

DSN = os.environ.get("PACOV_BENCH_DSN", "dbname=pacov_bench")

QUERY = """
SELECT r.sci_name, ST_Area(r.geom) / 1e4 AS range_ha,
       COALESCE(ST_Area(ST_Intersection(r.geom, ST_Union(p.geom))), 0) / 1e4 AS protected_ha
FROM ranges r LEFT JOIN sites p ON ST_Intersects(r.geom, p.geom)
GROUP BY r.sci_name, r.geom ORDER BY r.sci_name
"""


def connect():
    import psycopg

    return psycopg.connect(DSN, autocommit=True)


def load(conn, table, frame):
    with conn.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(f"CREATE UNLOGGED TABLE {table} (sci_name text, geom geometry)")
        with cursor.copy(f"COPY {table} (sci_name, geom) FROM STDIN") as copy:
            for name, wkb in zip(frame["sci_name"], frame.geometry.to_wkb(hex=True)):
                copy.write_row((name, wkb))
        cursor.execute(f"CREATE INDEX ON {table} USING gist (geom)")
        cursor.execute(f"ANALYZE {table}")


if __name__ == "__main__":
    from reference import sql_main

    sys.exit(sql_main(sys.argv[1:], connect, load, QUERY, "SELECT PostGIS_Version()"))
