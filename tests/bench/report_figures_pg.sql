-- report_figures.sql (the figures of `liaison report --period P`, written as directly as
-- the schema allows) in PostgreSQL's dialect, for tests/bench/pg_run.sh to time beside
-- liaison on a PostgreSQL store: a truth value is an integer only when cast, and a JSON
-- field is read with ->>. Parameters (psql -v): F, E, P as Unix seconds, S a suggestion
-- kind. The same assumptions and definitions as report_figures.sql.
SELECT 'imported', '', count(*) FROM events WHERE type = 'imported';

-- §1 Volume.
SELECT 'volume', 'total', count(*) FROM records WHERE received_at >= :F AND received_at < :E;
SELECT 'volume.owner', owner, count(*) FROM records WHERE received_at >= :F AND received_at < :E GROUP BY owner;
SELECT 'volume.channel', channel, count(*) FROM records WHERE received_at >= :F AND received_at < :E GROUP BY channel;
SELECT 'volume.kind', direction || '/' || kind, count(*) FROM records WHERE received_at >= :F AND received_at < :E
  GROUP BY direction, kind;

-- §2 Flow, this period [F, E) and the previous [P, F) (which ends open as this one begins):
-- open at T = open now - received
-- since T + closings since T - reopenings since T.
WITH n(t, received, closed, reopened) AS (
  SELECT t,
    (SELECT count(*) FROM records WHERE received_at >= t),
    (SELECT count(*) FROM events WHERE type = 'closed' AND at >= t),
    (SELECT count(*) FROM events WHERE type = 'reopened' AND at >= t)
  FROM (SELECT :F::bigint AS t UNION ALL SELECT :E) AS tt),
open_now(n) AS (SELECT sum(n) FROM backlog_due)
SELECT 'flow', 'open_at_' || CASE n.t WHEN :E THEN 'end' ELSE 'start' END,
       open_now.n - n.received + n.closed - n.reopened FROM n, open_now
UNION ALL SELECT 'flow', 'received', (SELECT count(*) FROM records WHERE received_at >= :F AND received_at < :E)
UNION ALL SELECT 'flow', 'closed', (SELECT count(*) FROM events WHERE type = 'closed' AND at >= :F AND at < :E)
UNION ALL SELECT 'flow', 'reopened', (SELECT count(*) FROM events WHERE type = 'reopened' AND at >= :F AND at < :E)
UNION ALL SELECT 'previous', 'received', (SELECT count(*) FROM records WHERE received_at >= :P AND received_at < :F)
UNION ALL SELECT 'previous', 'closed', (SELECT count(*) FROM events WHERE type = 'closed' AND at >= :P AND at < :F);

-- §4 Overdue at E and at F (the previous period's end), per department: open then, not
-- waiting then, resolve deadline then before it. The backlog's late part from its index;
-- the records reopened, waiting or resumed since, or closed since, one by one.
WITH moments(t, label) AS (SELECT :E, 'overdue' UNION ALL SELECT :F, 'previous.overdue'),
-- the records reopened, and those that waited or resumed, since each moment
changed(t, id, reopened, paused) AS MATERIALIZED (
  SELECT m.t, e.record_id, max((e.type = 'reopened')::int), max((e.type <> 'reopened')::int) FROM moments m
  JOIN events e ON e.type IN ('reopened', 'waiting', 'resumed') AND e.at >= m.t GROUP BY m.t, e.record_id),
late(label, owner) AS (
  -- open now, not reopened since t: the deadline it has now, waiting then as now unless
  -- it waited or resumed since
  SELECT m.label, r.owner FROM moments m CROSS JOIN records r
  LEFT JOIN changed ch ON ch.t = m.t AND ch.id = r.id
  WHERE r.status <> 'closed' AND r.due < m.t AND coalesce(ch.reopened, 0) = 0
    AND CASE WHEN ch.paused = 1
                 THEN coalesce((SELECT (w.type = 'waiting')::int FROM events w
                                WHERE w.record_id = r.id AND w.type IN ('waiting', 'resumed', 'closed') AND w.at < m.t
                                ORDER BY w.id DESC LIMIT 1), 0)
                 ELSE (r.status = 'waiting')::int END = 0
  UNION ALL
  -- reopened since t, or closed since t: open then, received before, not waiting then,
  -- and the deadline then (of the cycle the first reopening since t ended, if any) passed
  SELECT m.label, r.owner FROM (
    SELECT t, id FROM changed WHERE reopened = 1
    UNION
    SELECT m.t, r.id FROM moments m CROSS JOIN records r
    LEFT JOIN changed ch ON ch.t = m.t AND ch.id = r.id
    WHERE r.closed_at >= m.t AND (r.due < m.t OR ch.reopened = 1)
  ) k JOIN moments m ON m.t = k.t JOIN records r ON r.id = k.id LEFT JOIN changed ch ON ch.t = m.t AND ch.id = r.id
  WHERE (r.status <> 'closed' OR r.closed_at >= m.t)
    AND r.received_at < m.t
    AND CASE WHEN ch.reopened = 1
                 THEN coalesce((SELECT (c.type = 'closed')::int FROM events c
                                WHERE c.record_id = r.id AND c.type IN ('closed', 'reopened') AND c.at < m.t
                                ORDER BY c.id DESC LIMIT 1), 0)
                 ELSE coalesce((r.closed_at < m.t)::int, 0) END = 0
    AND coalesce((SELECT (w.type = 'waiting')::int FROM events w
                      WHERE w.record_id = r.id AND w.type IN ('waiting', 'resumed', 'closed') AND w.at < m.t
                      ORDER BY w.id DESC LIMIT 1), 0) = 0
    AND coalesce((
      -- the deadline of the cycle that the first reopening at or after t ended (kept in
      -- resolve_cycles, schemas/0011)
      SELECT y.due FROM resolve_cycles y WHERE y.record_id = r.id AND y.reopened_at >= m.t
      ORDER BY y.reopened_id LIMIT 1),
      r.due) < m.t)
SELECT label, owner, count(*) FROM late GROUP BY label, owner;

-- §3 Timeliness: the obligations met in [F, E), or due in it and not met before E (and
-- not a resolve cycle waiting at E since before its deadline); the current clocks and the
-- resolve cycles that reopenings since F ended. Counts and on-time per clock, overall,
-- per department and per kind; nearest-rank median and 90th percentile of the working
-- time of the met ones, overall. The previous period: the overall counts.
WITH
w(t, p) AS (SELECT :F, :E UNION ALL SELECT :P, :F),
cycles(record_id, name, due, stopped_at, used_seconds) AS (
  -- the cycles reopenings since P ended (resolve_cycles, schemas/0011)
  SELECT record_id, 'resolve', due, stopped_at, used_seconds FROM resolve_cycles WHERE reopened_at >= :P),
ob(t, name, record_id, due, stopped_at, used_seconds) AS (
  SELECT w.t, c.name, c.record_id, c.due, c.stopped_at, c.used_seconds FROM w, clocks c
  WHERE c.name IN ('ack', 'resolve') AND c.due IS NOT NULL AND c.stopped_at >= w.t AND c.stopped_at < w.p
  UNION ALL
  SELECT w.t, c.name, c.record_id, c.due, c.stopped_at, c.used_seconds FROM w, clocks c
  WHERE c.name IN ('ack', 'resolve') AND c.due >= w.t AND c.due < w.p AND (c.stopped_at IS NULL OR c.stopped_at >= w.p)
  UNION ALL
  SELECT w.t, y.name, y.record_id, y.due, y.stopped_at, y.used_seconds FROM w, cycles y
  WHERE y.due IS NOT NULL AND (y.stopped_at >= w.t AND y.stopped_at < w.p
                               OR y.due >= w.t AND y.due < w.p AND (y.stopped_at IS NULL OR y.stopped_at >= w.p))),
counted AS MATERIALIZED (
  SELECT o.t, o.name, r.owner, r.kind, coalesce(o.stopped_at < w.p, false) AS met,
         coalesce(o.stopped_at < w.p AND o.stopped_at <= o.due, false)::int AS on_time,
         o.used_seconds AS used
  FROM ob o JOIN w ON w.t = o.t JOIN records r ON r.id = o.record_id
  WHERE NOT (o.name = 'resolve' AND (o.stopped_at IS NULL OR o.stopped_at >= w.p)
             AND coalesce((SELECT x.type = 'waiting' AND x.at < o.due FROM events x
                           WHERE x.record_id = o.record_id AND x.type IN ('waiting', 'resumed', 'closed') AND x.at < w.p
                           ORDER BY x.id DESC LIMIT 1), false))),
ranked AS (
  SELECT name, used, row_number() OVER (PARTITION BY name ORDER BY used) AS k,
         count(*) OVER (PARTITION BY name) AS n
  FROM counted WHERE t = :F AND met)
SELECT 'timeliness.all', name, count(*) || '|' || sum(on_time) FROM counted WHERE t = :F GROUP BY name
UNION ALL SELECT 'timeliness.department', owner || '/' || name, count(*) || '|' || sum(on_time) FROM counted
  WHERE t = :F GROUP BY owner, name
UNION ALL SELECT 'timeliness.kind', kind || '/' || name, count(*) || '|' || sum(on_time) FROM counted
  WHERE t = :F GROUP BY kind, name
UNION ALL SELECT 'timeliness.median', name, coalesce(used::text, '') FROM ranked WHERE k = (n + 1) / 2
UNION ALL SELECT 'timeliness.p90', name, coalesce(used::text, '') FROM ranked WHERE k = (9 * n + 9) / 10
UNION ALL SELECT 'previous.timeliness', name, count(*) || '|' || sum(on_time) FROM counted WHERE t = :P GROUP BY name;

-- §5 Suggestions received in [F, E), where they stood at E; major records not closed at F.
SELECT 'suggestions', 'received', count(*), sum((closed = 1 AND outcome = 'adopted')::int),
       sum((closed = 1 AND outcome = 'rejected')::int),
       sum((closed = 1 AND coalesce(outcome, '') NOT IN ('adopted', 'rejected'))::int), sum((closed = 0)::int)
FROM (SELECT CASE WHEN r.id IN (SELECT record_id FROM events WHERE type = 'reopened' AND at >= :E)
                  THEN coalesce((SELECT (c.type = 'closed')::int FROM events c
                                 WHERE c.record_id = r.id AND c.type IN ('closed', 'reopened') AND c.at < :E
                                 ORDER BY c.id DESC LIMIT 1), 0)
                  ELSE coalesce((r.closed_at < :E)::int, 0) END AS closed,
             CASE WHEN r.closed_at < :E THEN r.outcome
                  ELSE (SELECT liaison_json(c.data) ->> 'outcome' FROM events c
                        WHERE c.record_id = r.id AND c.type = 'closed' AND c.at < :E ORDER BY c.id DESC LIMIT 1) END AS outcome
      FROM records r WHERE r.received_at >= :F AND r.received_at < :E AND r.kind = :'S') AS s;
SELECT 'major', 'total', count(*) FROM records r
WHERE r.major = 1 AND r.received_at < :E AND (r.status <> 'closed' OR r.closed_at >= :F)
  AND CASE WHEN r.id IN (SELECT record_id FROM events WHERE type = 'reopened' AND at >= :F)
               THEN coalesce((SELECT (c.type = 'closed')::int FROM events c
                              WHERE c.record_id = r.id AND c.type IN ('closed', 'reopened') AND c.at < :F
                              ORDER BY c.id DESC LIMIT 1), 0)
               ELSE coalesce((r.closed_at < :F)::int, 0) END = 0;
