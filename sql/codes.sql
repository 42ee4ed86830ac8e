-- The final-code distribution of `cdrscope report` (the page's code table), per scope: overall
-- and per egress gateway, ingress gateway, destination and hour. Portable (DuckDB, ClickHouse,
-- Spark) over the `calls` view of sql/<engine>/calls.sql.
--
-- A code is counted by what the page shows: its system, its printed form and whether the calls
-- were answered (the code of an answered call says how it ended, never why it failed). `share`
-- is of the group's attempts; `failure` rows (answered = false) are "why unanswered attempts
-- failed", the others "how answered calls ended".
WITH q_attempts AS (
    SELECT
        c.scope,
        coalesce(c.egress_gateway, '(none)') AS egress_key,
        coalesce(c.ingress_gateway, '(none)') AS ingress_key,
        c.destination AS destination_key,
        c.call_hour,
        coalesce(c.code, '(none)') AS code_text,
        c.code_system,
        c.answered,
        c.code_label,
        c.sip_class
    FROM calls c
    WHERE NOT c.duplicate
),
q_keyed AS (
    SELECT 'overall' AS dim, '' AS grp, a.* FROM q_attempts a
    UNION ALL
    SELECT 'egress_gateway', a.egress_key, a.* FROM q_attempts a
    UNION ALL
    SELECT 'ingress_gateway', a.ingress_key, a.* FROM q_attempts a
    UNION ALL
    SELECT 'destination', a.destination_key, a.* FROM q_attempts a
    UNION ALL
    SELECT 'hour', a.call_hour, a.* FROM q_attempts a WHERE a.call_hour IS NOT NULL
),
q_counted AS (
    SELECT
        k.scope,
        k.dim,
        k.grp,
        k.code_text,
        k.code_system,
        k.answered,
        max(k.code_label) AS code_label,
        min(k.sip_class) AS sip_class,
        count(*) AS n
    FROM q_keyed k
    GROUP BY k.scope, k.dim, k.grp, k.code_text, k.code_system, k.answered
)
SELECT
    c.scope,
    c.dim,
    c.grp,
    c.code_text AS code,
    c.code_system,
    c.answered,
    c.code_label,
    c.sip_class,
    c.n AS count,
    CAST(c.n AS DOUBLE) / sum(c.n) OVER (PARTITION BY c.scope, c.dim, c.grp) AS share
FROM q_counted c
ORDER BY c.scope, c.dim, c.grp, c.n DESC, c.code_text
