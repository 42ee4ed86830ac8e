-- Spark SQL (spark-sql, pyspark, Databricks): the views the portable queries of sql/ read
-- (`calls`, `params`), over an export of `cdrscope export`. Replace {{export}} with the export
-- folder (a glob such as s3a://bucket/exports/* covers several exports, each its own scope) and
-- {{tz_offset_min}} with the --tz of the export in minutes, then run this before any query:
--   sed -e 's|{{export}}|/data/cdr-2025-03|' -e 's|{{tz_offset_min}}|480|' sql/spark/calls.sql > /tmp/setup.sql
--   spark-sql -f /tmp/setup.sql -f sql/kpis.sql      (or spark.sql() each statement)
-- The files are listed recursively (part-*.parquet only: rejects.parquet has its own schema), so
-- the `day=` folders need no partition discovery; filter on start_time/end_time to prune.

CREATE OR REPLACE TEMPORARY VIEW params AS SELECT
    CAST({{tz_offset_min}} AS BIGINT) AS tz_offset_min,
    CAST(6 AS BIGINT) AS short_call_s,
    CAST(0.70 AS DOUBLE) AS ok_healthy,  CAST(0.50 AS DOUBLE) AS ok_degraded,
    CAST(0.15 AS DOUBLE) AS e4_healthy,  CAST(0.30 AS DOUBLE) AS e4_degraded,
    CAST(0.10 AS DOUBLE) AS e5_healthy,  CAST(0.20 AS DOUBLE) AS e5_degraded,
    CAST(0.10 AS DOUBLE) AS busy_healthy, CAST(0.20 AS DOUBLE) AS busy_degraded,
    CAST(1.96 AS DOUBLE) AS z;

CREATE OR REPLACE TEMPORARY VIEW calls_files
USING parquet
OPTIONS (path '{{export}}', recursiveFileLookup 'true', pathGlobFilter 'part-*.parquet');

-- Every normalized call, with `scope` (the export folder a row comes from) and `call_hour`
-- (`00`..`23` of the call's end, else its start, in the report's time zone, from the instant
-- cut to whole seconds as cdrscope stores it).
CREATE OR REPLACE TEMPORARY VIEW calls AS
SELECT
    c.*,
    regexp_extract(input_file_name(), '([^/]+)/day=[^/]*/[^/]*$', 1) AS scope,
    CASE WHEN coalesce(c.end_time, c.start_time) IS NOT NULL THEN
        lpad(CAST(CAST(floor(pmod(floor(unix_millis(coalesce(c.end_time, c.start_time)) / 1000) * 1000
                                  + p.tz_offset_min * 60000, 86400000) / 3600000) AS BIGINT) AS STRING), 2, '0')
    END AS call_hour
FROM calls_files c
CROSS JOIN params p;
