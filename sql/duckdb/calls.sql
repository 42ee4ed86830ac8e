-- DuckDB: the views the portable queries of sql/ read (`calls`, `params`), over an export of
-- `cdrscope export`. Replace {{export}} with the export folder (a glob such as /data/exports/*
-- covers several exports, each its own scope) and {{tz_offset_min}} with the --tz of the export
-- in minutes (e.g. 480 for +08:00), then run this file before any query:
--   sed -e 's|{{export}}|/data/cdr-2025-03|' -e 's|{{tz_offset_min}}|480|' sql/duckdb/calls.sql > /tmp/setup.sql
--   duckdb -c '.read /tmp/setup.sql' -c '.read sql/kpis.sql'

-- The health thresholds (the default preset of src/analysis/health.rs) and the KPI knobs. The
-- values are DOUBLE so the Wilson bounds are computed in binary floating point, as cdrscope does.
CREATE OR REPLACE VIEW params AS SELECT
    CAST({{tz_offset_min}} AS BIGINT) AS tz_offset_min,
    CAST(6 AS BIGINT) AS short_call_s,
    CAST(0.70 AS DOUBLE) AS ok_healthy,  CAST(0.50 AS DOUBLE) AS ok_degraded,
    CAST(0.15 AS DOUBLE) AS e4_healthy,  CAST(0.30 AS DOUBLE) AS e4_degraded,
    CAST(0.10 AS DOUBLE) AS e5_healthy,  CAST(0.20 AS DOUBLE) AS e5_degraded,
    CAST(0.10 AS DOUBLE) AS busy_healthy, CAST(0.20 AS DOUBLE) AS busy_degraded,
    CAST(1.96 AS DOUBLE) AS z;

-- Every normalized call, with the dialect-specific parts worked out once:
--   scope     the export folder a row comes from (one report per scope);
--   call_hour the hour of day (`00`..`23`) of the call's end, else its start, in the report's
--             time zone, from the instant cut to whole seconds as cdrscope stores it.
CREATE OR REPLACE VIEW calls AS
SELECT
    c.* EXCLUDE (filename),
    regexp_extract(c.filename, '([^/]+)/day=[^/]*/[^/]*$', 1) AS scope,
    CASE WHEN coalesce(c.end_time, c.start_time) IS NOT NULL THEN
        lpad(CAST((((CAST(floor(epoch_ms(coalesce(c.end_time, c.start_time)) / 1000) AS BIGINT) * 1000
                     + p.tz_offset_min * 60000) % 86400000 + 86400000) % 86400000) // 3600000 AS VARCHAR),
             2, '0')
    END AS call_hour
FROM read_parquet('{{export}}/day=*/*.parquet', filename = true, hive_partitioning = false) c
CROSS JOIN params p;
