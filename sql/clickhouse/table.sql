-- ClickHouse: a MergeTree table of the normalized calls (schema version 1, docs/normalized-calls.md)
-- for a year of exports, filled from the Parquet files of `cdrscope export`. The portable queries of
-- sql/ then run on it through the `calls` view at the end of this file (in place of the file()
-- view of sql/clickhouse/calls.sql; the `params` view of that file is still needed).

CREATE TABLE IF NOT EXISTS cdr_calls
(
    scope               LowCardinality(String),   -- the export a row came from (e.g. its month)
    source_file         LowCardinality(String),
    source_line         Int64,
    format              LowCardinality(String),
    start_time          Nullable(DateTime64(3, 'UTC')),
    answer_time         Nullable(DateTime64(3, 'UTC')),
    end_time            Nullable(DateTime64(3, 'UTC')),
    caller              Nullable(String),
    callee              Nullable(String),
    destination         LowCardinality(String),
    destination_name    LowCardinality(String),
    destination_name_es LowCardinality(String),
    ingress_gateway     LowCardinality(Nullable(String)),
    egress_gateway      LowCardinality(Nullable(String)),
    account             LowCardinality(Nullable(String)),
    call_id             Nullable(String),
    code                LowCardinality(Nullable(String)),
    code_system         LowCardinality(Nullable(String)),
    code_label          LowCardinality(Nullable(String)),
    sip_final           Nullable(Int32),
    sip_equivalent      Nullable(Int32),
    sip_class           LowCardinality(String),
    q850                Nullable(Int32),
    outcome             LowCardinality(String),
    answered            Bool,
    error_class         LowCardinality(Nullable(String)),
    talk_s              Int64,
    billed_s            Nullable(Int64),
    pdd_ms              Nullable(Int64),
    end_direction       LowCardinality(Nullable(String)),
    fee                 Nullable(Decimal(18, 6)),
    cost                Nullable(Decimal(18, 6)),
    duplicate           Bool,
    duplicate_kind      LowCardinality(Nullable(String)),
    -- The instant the day partition and the report's hour are taken from.
    call_time           DateTime64(3, 'UTC') MATERIALIZED coalesce(end_time, start_time, toDateTime64(0, 3, 'UTC'))
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(call_time)
ORDER BY (scope, egress_gateway, call_time)
SETTINGS allow_nullable_key = 1;

-- Load one export (repeat per export; {{export}} is its folder, {{scope}} its name):
--   INSERT INTO cdr_calls SELECT '{{scope}}' AS scope, * FROM file('{{export}}/day=*/*.parquet', Parquet);
-- From object storage:
--   INSERT INTO cdr_calls SELECT '2025-03' AS scope, * FROM s3('https://bucket.s3.amazonaws.com/cdr/2025-03/day=*/*.parquet', Parquet);

-- The view the portable queries read (tz_offset_min from the `params` view of sql/clickhouse/calls.sql).
CREATE OR REPLACE VIEW calls AS
SELECT
    t.* EXCEPT (call_time),
    if(coalesce(t.end_time, t.start_time) IS NULL, NULL,
       leftPad(toString(intDiv(((intDiv(toUnixTimestamp64Milli(coalesce(t.end_time, t.start_time)), 1000) * 1000
                                 + p.tz_offset_min * 60000) % 86400000 + 86400000) % 86400000, 3600000)), 2, '0')) AS call_hour
FROM cdr_calls AS t
CROSS JOIN params AS p;
