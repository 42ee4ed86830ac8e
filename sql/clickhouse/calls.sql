-- ClickHouse (clickhouse-local, chDB, or a server reading the files): the views the portable
-- queries of sql/ read (`calls`, `params`), over an export of `cdrscope export`. Replace
-- {{export}} with the export folder (a glob such as /data/exports/* covers several exports,
-- each its own scope; s3('https://…/exports/*/day=*/*.parquet') works the same) and
-- {{tz_offset_min}} with the --tz of the export in minutes, then run this before any query:
--   sed -e 's|{{export}}|/data/cdr-2025-03|' -e 's|{{tz_offset_min}}|480|' sql/clickhouse/calls.sql > /tmp/setup.sql
--   clickhouse local --queries-file /tmp/setup.sql sql/kpis.sql
-- For a MergeTree table instead of files, see sql/clickhouse/table.sql.

-- A group with no PDD gets NULL percentiles, not 0.
SET join_use_nulls = 1;

-- The health thresholds (the default preset of src/analysis/health.rs) and the KPI knobs.
CREATE OR REPLACE VIEW params AS SELECT
    CAST({{tz_offset_min}} AS Int64) AS tz_offset_min,
    CAST(6 AS Int64) AS short_call_s,
    CAST(0.70 AS Float64) AS ok_healthy,  CAST(0.50 AS Float64) AS ok_degraded,
    CAST(0.15 AS Float64) AS e4_healthy,  CAST(0.30 AS Float64) AS e4_degraded,
    CAST(0.10 AS Float64) AS e5_healthy,  CAST(0.20 AS Float64) AS e5_degraded,
    CAST(0.10 AS Float64) AS busy_healthy, CAST(0.20 AS Float64) AS busy_degraded,
    CAST(1.96 AS Float64) AS z;

-- Every normalized call, with `scope` (the export folder a row comes from) and `call_hour`
-- (`00`..`23` of the call's end, else its start, in the report's time zone, from the instant
-- cut to whole seconds as cdrscope stores it).
CREATE OR REPLACE VIEW calls AS
SELECT
    c.*,
    extract(c._path, '([^/]+)/day=[^/]*/[^/]*$') AS scope,
    if(coalesce(c.end_time, c.start_time) IS NULL, NULL,
       leftPad(toString(intDiv(((intDiv(toUnixTimestamp64Milli(coalesce(c.end_time, c.start_time)), 1000) * 1000
                                 + p.tz_offset_min * 60000) % 86400000 + 86400000) % 86400000, 3600000)), 2, '0')) AS call_hour
FROM file('{{export}}/day=*/*.parquet', Parquet) AS c
CROSS JOIN params AS p;
