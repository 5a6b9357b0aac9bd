-- liaison schema, version 11: the resolve cycles that reopenings ended, kept in a table of
-- their own, so that the report reads them from two small indexes instead of rebuilding
-- each from its record's history.
--
-- A reopening replaces the record's resolve clock (the clocks table holds the current
-- one). The cycle it ended began with the record's last 'filed', 'imported' or
-- 'reopened' event before it (whose data holds the clock), had its deadline moved by the
-- 'resumed' events in it, and was met by the closing the reopening undid. The view
-- resolve_cycles_replayed rebuilds one row per such cycle from the events alone; the
-- trigger below keeps its row in resolve_cycles in the same transaction as the reopening,
-- whichever command writes it (reopen, import); `audit verify` compares the two.
-- Every value of a row comes from events before the reopening, which never change, so a
-- kept row never needs updating. Event data that is not JSON (only a hand edit makes
-- that) gives no clock, so no cycle, rather than an error that would refuse the reopening.
CREATE VIEW resolve_cycles_replayed AS
SELECT k.record_id AS record_id, k.reopened_id AS reopened_id, k.cycle AS cycle, k.reopened_at AS reopened_at,
  k.clock ->> '$.duration' AS duration, unixepoch(k.clock ->> '$.started_at') AS started_at,
  coalesce((SELECT unixepoch(m.data ->> '$.due') FROM events m INDEXED BY events_record_type
      WHERE m.record_id = k.record_id AND m.id > k.start_id AND m.id < k.reopened_id AND m.type = 'resumed'
      AND json_valid(m.data) AND m.data ->> '$.due' IS NOT NULL ORDER BY m.id DESC LIMIT 1),
    unixepoch(k.clock ->> '$.due')) AS due,
  coalesce(k.closing_at, unixepoch(k.clock ->> '$.stopped_at')) AS stopped_at,
  coalesce(k.closing_used, k.clock ->> '$.used_seconds') AS used_seconds
FROM (SELECT n.record_id AS record_id, n.id AS reopened_id, n.at AS reopened_at, s.id AS start_id,
    (SELECT count(*) FROM events x INDEXED BY events_record_type WHERE x.record_id = n.record_id
      AND x.type = 'reopened' AND x.id < n.id) + 1 AS cycle,
    CASE WHEN NOT json_valid(s.data) THEN NULL
      WHEN s.type = 'reopened' THEN s.data -> '$.clock'
      WHEN s.data ->> '$.clocks[0].clock' = 'resolve' THEN s.data -> '$.clocks[0]'
      WHEN s.data ->> '$.clocks[1].clock' = 'resolve' THEN s.data -> '$.clocks[1]' END AS clock,
    c.at AS closing_at, CASE WHEN json_valid(c.data) THEN c.data ->> '$.clocks.resolve.used_seconds' END AS closing_used
  FROM events n
  JOIN events s ON s.id = (SELECT max(p.id) FROM events p INDEXED BY events_record_type WHERE p.record_id = n.record_id
    AND p.type IN ('filed', 'imported', 'reopened') AND p.id < n.id)
  LEFT JOIN events c ON c.id = (SELECT max(q.id) FROM events q INDEXED BY events_record_type WHERE q.record_id = n.record_id
    AND q.type = 'closed' AND q.id > s.id AND q.id < n.id)
  WHERE n.type = 'reopened') AS k
WHERE k.clock IS NOT NULL;

-- The view's values kept as it gives them: the columns after reopened_at have no type,
-- so no affinity converts them.
CREATE TABLE resolve_cycles (
  record_id    INTEGER NOT NULL,
  reopened_id  INTEGER NOT NULL,          -- the 'reopened' event that ended the cycle
  cycle        INTEGER NOT NULL,          -- 1 for the cycle the first reopening ended, …
  reopened_at  INTEGER NOT NULL,
  duration,                               -- as configured, e.g. '5wd'
  started_at,
  due,                                    -- its last deadline, as the resumes in it moved it
  stopped_at,                             -- when the closing the reopening undid met it
  used_seconds,                           -- the working seconds its clock had counted then
  PRIMARY KEY (record_id, reopened_id)
) WITHOUT ROWID;
-- Timeliness asks for the cycles met in the period, and for those due in it.
CREATE INDEX resolve_cycles_stopped ON resolve_cycles(stopped_at, due, reopened_at, used_seconds);
CREATE INDEX resolve_cycles_due ON resolve_cycles(due, stopped_at, reopened_at, used_seconds);

INSERT INTO resolve_cycles (record_id, reopened_id, cycle, reopened_at, duration, started_at, due, stopped_at, used_seconds)
  SELECT record_id, reopened_id, cycle, reopened_at, duration, started_at, due, stopped_at, used_seconds
  FROM resolve_cycles_replayed;

CREATE TRIGGER resolve_cycles_reopened AFTER INSERT ON events
  WHEN NEW.type = 'reopened'
BEGIN
  INSERT INTO resolve_cycles (record_id, reopened_id, cycle, reopened_at, duration, started_at, due, stopped_at, used_seconds)
    SELECT record_id, reopened_id, cycle, reopened_at, duration, started_at, due, stopped_at, used_seconds
    FROM resolve_cycles_replayed WHERE reopened_id = NEW.id;
END;
