-- The KPIs and health verdicts of `cdrscope report` (the page's tables), per scope: overall and
-- per egress gateway, ingress gateway, destination and hour of day. Portable: the same text runs
-- on DuckDB, ClickHouse and Spark over the `calls` and `params` views of sql/<engine>/calls.sql.
-- Definitions: README "KPI definitions" and "Health verdicts"; src/analysis/kpi.rs, health.rs.
--
-- One row per (scope, dim, grp): dim is overall (grp ''), egress_gateway, ingress_gateway,
-- destination or hour; an empty gateway is '(none)' as on the page.
WITH q_attempts AS (
    -- A duplicate (a repeated row, or a call of an earlier file) is counted once: the first copy.
    SELECT * FROM calls WHERE NOT duplicate
),
q_facts AS (
    SELECT
        a.scope,
        coalesce(a.egress_gateway, '(none)') AS egress_key,
        coalesce(a.ingress_gateway, '(none)') AS ingress_key,
        a.destination AS destination_key,
        a.destination_name AS dest_label,
        a.destination_name_es AS dest_label_es,
        a.call_hour,
        CASE WHEN a.answered THEN 1 ELSE 0 END AS is_answered,
        CASE WHEN a.answered THEN a.talk_s ELSE 0 END AS answered_talk_s,
        -- cdrscope keeps a PDD in 16 bits: longer ones count as 65535 ms.
        CASE WHEN a.pdd_ms > 0 THEN least(a.pdd_ms, 65535) END AS pdd,
        -- NER: answered, or a SIP final of the RFC 6076 SEER set (480, 486, 600, 603).
        CASE WHEN a.answered OR a.sip_final IN (480, 486, 600, 603) THEN 1 ELSE 0 END AS ner_hit,
        CASE WHEN a.sip_equivalent = 487 THEN 1 ELSE 0 END AS is_487,
        CASE WHEN a.answered AND a.talk_s < p.short_call_s THEN 1 ELSE 0 END AS is_short,
        CASE WHEN a.answered AND a.talk_s = 0 THEN 1 ELSE 0 END AS is_zero,
        CASE WHEN a.error_class = '4xx' THEN 1 ELSE 0 END AS is_4xx,
        CASE WHEN a.error_class = '5xx' THEN 1 ELSE 0 END AS is_5xx,
        CASE WHEN a.error_class = '6xx' THEN 1 ELSE 0 END AS is_6xx,
        CASE WHEN a.outcome = 'busy' THEN 1 ELSE 0 END AS is_busy,
        CASE WHEN a.outcome = 'cancelled' THEN 1 ELSE 0 END AS is_cancelled,
        a.fee,
        a.cost,
        -- NER is shown only when the data carries real SIP finals (any attempt of the scope).
        CASE WHEN a.sip_final IS NOT NULL THEN 1 ELSE 0 END AS has_sip_row
    FROM q_attempts a
    CROSS JOIN params p
),
q_keyed AS (
    SELECT 'overall' AS dim, '' AS grp, '' AS label, '' AS label_es, f.* FROM q_facts f
    UNION ALL
    SELECT 'egress_gateway', f.egress_key, '', '', f.* FROM q_facts f
    UNION ALL
    SELECT 'ingress_gateway', f.ingress_key, '', '', f.* FROM q_facts f
    UNION ALL
    SELECT 'destination', f.destination_key, f.dest_label, f.dest_label_es, f.* FROM q_facts f
    UNION ALL
    SELECT 'hour', f.call_hour, '', '', f.* FROM q_facts f WHERE f.call_hour IS NOT NULL
),
q_ranked AS (
    -- PDD ranks within each group (rows without a PDD sort last and are not ranked on).
    SELECT
        k.*,
        row_number() OVER (PARTITION BY k.scope, k.dim, k.grp ORDER BY k.pdd ASC NULLS LAST) AS pdd_rank,
        count(k.pdd) OVER (PARTITION BY k.scope, k.dim, k.grp) AS pdd_n,
        max(k.has_sip_row) OVER (PARTITION BY k.scope) AS scope_has_sip
    FROM q_keyed k
),
q_agg AS (
    SELECT
        r.scope,
        r.dim,
        r.grp,
        max(r.label) AS label,
        max(r.label_es) AS label_es,
        max(r.scope_has_sip) AS has_sip,
        count(*) AS attempts,
        sum(r.is_answered) AS answered,
        sum(r.answered_talk_s) AS total_talk_s,
        count(r.pdd) AS pdd_rows,
        sum(r.pdd) AS pdd_sum,
        -- Median: the middle value, or the mean of the two middle values.
        avg(CASE WHEN r.pdd IS NOT NULL
                  AND r.pdd_rank IN (floor((r.pdd_n + 1) / 2.0), floor(r.pdd_n / 2.0) + 1)
                 THEN r.pdd END) AS pdd_p50_ms,
        -- p95: nearest rank, ceil(0.95 n) (computed in binary floating point, as cdrscope does).
        max(CASE WHEN r.pdd IS NOT NULL AND r.pdd_rank = ceil(CAST(r.pdd_n AS DOUBLE) * CAST(0.95 AS DOUBLE))
                 THEN r.pdd END) AS pdd_p95_ms,
        sum(r.ner_hit) AS ner_effective,
        sum(r.is_487) AS sip_487,
        sum(r.is_short) AS short_calls,
        sum(r.is_zero) AS zero_duration_answered,
        sum(r.is_4xx) AS n_4xx,
        sum(r.is_5xx) AS n_5xx,
        sum(r.is_6xx) AS n_6xx,
        sum(r.is_busy) AS n_busy,
        sum(r.is_cancelled) AS n_cancelled,
        count(r.fee) + count(r.cost) AS money_rows,
        sum(r.fee) AS fee_sum,
        sum(r.cost) AS cost_sum
    FROM q_ranked r
    GROUP BY r.scope, r.dim, r.grp
),
q_shares AS (
    -- The four judged shares, one row each: 0 200 OK (higher is better), 1 4xx, 2 5xx, 3 busy.
    SELECT g.scope, g.dim, g.grp, g.attempts, 0 AS idx, g.answered AS k, p.ok_healthy AS healthy, p.ok_degraded AS degraded, 1 AS higher, p.z AS z
    FROM q_agg g CROSS JOIN params p
    UNION ALL
    SELECT g.scope, g.dim, g.grp, g.attempts, 1, g.n_4xx, p.e4_healthy, p.e4_degraded, 0, p.z FROM q_agg g CROSS JOIN params p
    UNION ALL
    SELECT g.scope, g.dim, g.grp, g.attempts, 2, g.n_5xx, p.e5_healthy, p.e5_degraded, 0, p.z FROM q_agg g CROSS JOIN params p
    UNION ALL
    SELECT g.scope, g.dim, g.grp, g.attempts, 3, g.n_busy, p.busy_healthy, p.busy_degraded, 0, p.z FROM q_agg g CROSS JOIN params p
),
q_point AS (
    SELECT s.*, CAST(s.k AS DOUBLE) / CAST(s.attempts AS DOUBLE) AS share, s.z * s.z AS z2
    FROM q_shares s
),
q_wilson AS (
    -- The 95 % Wilson score interval, operation for operation as health::wilson.
    SELECT
        w.*,
        (w.share + w.z2 / (2.0 * w.attempts)) / (1.0 + w.z2 / w.attempts) AS center,
        w.z * sqrt((w.share * (1.0 - w.share) + w.z2 / (4.0 * w.attempts)) / w.attempts)
            / (1.0 + w.z2 / w.attempts) AS half_width
    FROM q_point w
),
q_bounds AS (
    SELECT
        b.*,
        greatest(b.center - b.half_width, 0.0) AS lo,
        least(b.center + b.half_width, 1.0) AS hi
    FROM q_wilson b
),
q_judged AS (
    -- health::judge: a higher-is-better share is turned into a lower-is-better one first.
    SELECT
        j.*,
        CASE WHEN j.higher = 1 THEN 1.0 - j.hi ELSE j.lo END AS j_lo,
        CASE WHEN j.higher = 1 THEN 1.0 - j.lo ELSE j.hi END AS j_hi,
        CASE WHEN j.higher = 1 THEN 1.0 - j.healthy ELSE j.healthy END AS j_healthy,
        CASE WHEN j.higher = 1 THEN 1.0 - j.degraded ELSE j.degraded END AS j_degraded,
        CASE WHEN j.higher = 1 THEN j.healthy - j.share ELSE j.share - j.healthy END AS excess
    FROM q_bounds j
),
q_verdicts AS (
    -- Verdict ranks: 0 healthy, 1 unsure, 2 warning, 3 degraded (the worst share wins).
    SELECT
        v.*,
        CASE WHEN v.j_lo > v.j_degraded THEN 3
             WHEN v.j_hi < v.j_healthy THEN 0
             WHEN v.j_lo >= v.j_healthy THEN 2
             ELSE 1 END AS verdict_rank
    FROM q_judged v
),
q_deciding AS (
    -- The deciding share: the worst verdict, then the largest excess over its healthy bound,
    -- then the first share in the order above.
    SELECT
        d.*,
        row_number() OVER (PARTITION BY d.scope, d.dim, d.grp
                           ORDER BY d.verdict_rank DESC, d.excess DESC, d.idx ASC) AS pick
    FROM q_verdicts d
),
q_health AS (
    SELECT
        h.scope,
        h.dim,
        h.grp,
        max(h.verdict_rank) AS verdict_rank,
        max(CASE WHEN h.idx = 0 THEN h.verdict_rank END) AS ok_200_rank,
        max(CASE WHEN h.idx = 1 THEN h.verdict_rank END) AS sip_4xx_rank,
        max(CASE WHEN h.idx = 2 THEN h.verdict_rank END) AS sip_5xx_rank,
        max(CASE WHEN h.idx = 3 THEN h.verdict_rank END) AS busy_486_rank,
        max(CASE WHEN h.pick = 1 AND h.verdict_rank > 0 THEN h.idx END) AS deciding_idx,
        max(CASE WHEN h.pick = 1 AND h.verdict_rank > 0 THEN h.share END) AS deciding_share,
        max(CASE WHEN h.pick = 1 AND h.verdict_rank = 1 AND h.hi - h.lo > 0.2 THEN 1 ELSE 0 END) AS few_calls
    FROM q_deciding h
    GROUP BY h.scope, h.dim, h.grp
)
SELECT
    ga.scope,
    ga.dim,
    ga.grp,
    ga.label,
    ga.label_es,
    ga.attempts,
    ga.answered,
    CAST(ga.answered AS DOUBLE) / ga.attempts AS asr,
    CASE WHEN ga.answered > 0 THEN CAST(ga.total_talk_s AS DOUBLE) / ga.answered END AS acd_s,
    ga.total_talk_s,
    CAST(ga.total_talk_s AS DOUBLE) / 60.0 AS minutes,
    ga.pdd_rows,
    CASE WHEN ga.pdd_rows > 0 THEN ga.pdd_sum / ga.pdd_rows END AS pdd_avg_ms,
    ga.pdd_p50_ms,
    ga.pdd_p95_ms,
    CASE WHEN ga.has_sip = 1 THEN ga.ner_effective END AS ner_effective,
    CASE WHEN ga.has_sip = 1 THEN CAST(ga.ner_effective AS DOUBLE) / ga.attempts END AS ner,
    CASE WHEN ga.has_sip = 1 THEN CAST(ga.ner_effective + ga.sip_487 AS DOUBLE) / ga.attempts END AS ner_incl_487,
    ga.short_calls,
    CASE WHEN ga.answered > 0 THEN CAST(ga.short_calls AS DOUBLE) / ga.answered END AS sdr,
    ga.zero_duration_answered,
    -- Money: exact decimal sums; null when no attempt of the group had a fee or a cost.
    CASE WHEN ga.money_rows > 0 THEN coalesce(ga.fee_sum, 0) END AS fee,
    CASE WHEN ga.money_rows > 0 THEN coalesce(ga.cost_sum, 0) END AS cost,
    CASE WHEN ga.money_rows > 0 THEN coalesce(ga.fee_sum, 0) - coalesce(ga.cost_sum, 0) END AS margin,
    CAST(ga.answered AS DOUBLE) / ga.attempts AS share_ok_200,
    CAST(ga.n_4xx AS DOUBLE) / ga.attempts AS share_4xx,
    CAST(ga.n_5xx AS DOUBLE) / ga.attempts AS share_5xx,
    CAST(ga.n_6xx AS DOUBLE) / ga.attempts AS share_6xx,
    CAST(ga.n_busy AS DOUBLE) / ga.attempts AS share_busy,
    CAST(ga.n_cancelled AS DOUBLE) / ga.attempts AS share_cancelled,
    CASE ha.verdict_rank WHEN 0 THEN 'healthy' WHEN 1 THEN 'unsure' WHEN 2 THEN 'warning' ELSE 'degraded' END AS verdict,
    CASE ha.ok_200_rank WHEN 0 THEN 'healthy' WHEN 1 THEN 'unsure' WHEN 2 THEN 'warning' ELSE 'degraded' END AS verdict_ok_200,
    CASE ha.sip_4xx_rank WHEN 0 THEN 'healthy' WHEN 1 THEN 'unsure' WHEN 2 THEN 'warning' ELSE 'degraded' END AS verdict_4xx,
    CASE ha.sip_5xx_rank WHEN 0 THEN 'healthy' WHEN 1 THEN 'unsure' WHEN 2 THEN 'warning' ELSE 'degraded' END AS verdict_5xx,
    CASE ha.busy_486_rank WHEN 0 THEN 'healthy' WHEN 1 THEN 'unsure' WHEN 2 THEN 'warning' ELSE 'degraded' END AS verdict_busy,
    CASE ha.deciding_idx WHEN 0 THEN 'ok_200' WHEN 1 THEN 'sip_4xx' WHEN 2 THEN 'sip_5xx' WHEN 3 THEN 'busy_486' END AS deciding,
    ha.deciding_share,
    ha.few_calls
FROM q_agg ga
JOIN q_health ha ON ha.scope = ga.scope AND ha.dim = ga.dim AND ha.grp = ga.grp
ORDER BY ga.scope, ga.dim, ga.attempts DESC, ga.grp
