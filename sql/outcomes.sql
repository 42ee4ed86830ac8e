-- Attempts per outcome (the page's outcome donut) and per end direction, per scope. Portable
-- (DuckDB, ClickHouse, Spark) over the `calls` view of sql/<engine>/calls.sql.
SELECT c.scope, 'outcome' AS dim, c.outcome AS name, count(*) AS count
FROM calls c
WHERE NOT c.duplicate
GROUP BY c.scope, c.outcome
UNION ALL
SELECT c.scope, 'end_direction', coalesce(c.end_direction, '(none)'), count(*)
FROM calls c
WHERE NOT c.duplicate
GROUP BY c.scope, c.end_direction
ORDER BY 1, 2, 4 DESC, 3
