-- liaison PostgreSQL schema, version 3: what `liaison report` reads beside the records, as
-- the SQLite schema keeps it (schemas/0002-0004, 0008-0011), so that the report's figures
-- (lib/store/postgres/pg_store_report.cpp) are the SQLite store's, byte for byte, and cost
-- what the period holds rather than the size of the history.
--
-- backlog_due and resolve_cycles are derived from the records and their history and kept
-- by triggers in the same transaction as every write, whichever command writes; applied to
-- a database that already holds records, this migration fills them from those. The
-- application's role only reads them (grants.sql): the triggers and the recount write them
-- with their owner's rights, and `audit verify` compares both with a recount
-- (Maintenance::backlog_count_differences, resolve_cycle_differences).

-- The indexes of schemas/0009 and 0010 that version 1 does not have already.
CREATE INDEX records_due_early ON records(id) WHERE status <> 'closed' AND due < received_at;
CREATE INDEX records_labels ON records(id, owner, kind, direction, party);
CREATE INDEX events_waiting ON events(record_id) WHERE type = 'waiting';

-- A time in event data (ISO 8601, "2026-03-02T16:00:00+08:00") as UTC seconds, as
-- unixepoch() reads it on SQLite: a time without an offset is UTC, a fraction of a second
-- is dropped, and what is not a time is NULL.
CREATE FUNCTION liaison_unixepoch(t text) RETURNS bigint LANGUAGE plpgsql IMMUTABLE STRICT
SET search_path = pg_catalog, public, pg_temp SET timezone = 'UTC' SET datestyle = 'ISO, YMD' AS $$
BEGIN
  -- SQLite's forms only: not 'now', 'epoch', a named zone or a date in another order.
  IF t !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?)?(Z|[+-][0-9]{2}:[0-9]{2})?$' THEN
    RETURN NULL;
  END IF;
  RETURN floor(extract(epoch FROM t::timestamptz))::bigint;
EXCEPTION WHEN others THEN
  RETURN NULL;
END $$;

-- A whole number in event data ("used_seconds"), NULL when it is not one.
CREATE FUNCTION liaison_bigint(v text) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT
SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT CASE WHEN v ~ '^-?[0-9]{1,18}$' THEN v::bigint END
$$;

-- backlog_due (schemas/0009): per department, per stretch of 2^21 seconds (about 24
-- days) of the resolve deadline (or none), and waiting or not, how many records are not
-- closed now. "Overdue at T" reads the stretches wholly before T from here and only the
-- last one from records_open_due; "open now" by department is a sum of a few rows.
CREATE TABLE backlog_due (
  owner   text COLLATE "C" NOT NULL,
  bucket  bigint NOT NULL,                -- due / 2097152 (times start at 1970); -1: no resolve deadline
  waiting smallint NOT NULL,              -- 1 when status = 'waiting'
  n       bigint NOT NULL,                -- a count gone down to 0 keeps its row
  PRIMARY KEY (owner, bucket, waiting)
);

INSERT INTO backlog_due (owner, bucket, waiting, n)
  SELECT owner, coalesce(due / 2097152, -1), (status = 'waiting')::int, count(*) FROM records
  WHERE status <> 'closed' GROUP BY 1, 2, 3;

-- SECURITY DEFINER, as liaison_events_indexed (0001): it writes backlog_due with its
-- owner's rights, so the application's role, which may only read it, cannot forge a count.
CREATE FUNCTION liaison_backlog_due_kept() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  IF TG_RELID <> 'public.records'::regclass THEN
    RAISE EXCEPTION 'liaison_backlog_due_kept keeps the counts of records only' USING ERRCODE = 'restrict_violation';
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.owner = OLD.owner AND NEW.status = OLD.status
     AND NEW.due IS NOT DISTINCT FROM OLD.due THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status <> 'closed' THEN
    UPDATE backlog_due SET n = n - 1
      WHERE owner = OLD.owner AND bucket = coalesce(OLD.due / 2097152, -1) AND waiting = (OLD.status = 'waiting')::int;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status <> 'closed' THEN
    INSERT INTO backlog_due AS b (owner, bucket, waiting, n)
      VALUES (NEW.owner, coalesce(NEW.due / 2097152, -1), (NEW.status = 'waiting')::int, 1)
      ON CONFLICT (owner, bucket, waiting) DO UPDATE SET n = b.n + 1;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER backlog_due_kept AFTER INSERT OR DELETE OR UPDATE OF owner, status, due ON records
  FOR EACH ROW EXECUTE FUNCTION liaison_backlog_due_kept();

-- resolve_cycles (schemas/0011): the resolve cycles that reopenings ended. A reopening
-- replaces the record's resolve clock (the clocks table holds the current one). The cycle
-- it ended began with the record's last 'filed', 'imported' or 'reopened' event before it
-- (whose data holds the clock), had its deadline moved by the 'resumed' events in it, and
-- was met by the closing the reopening undid. resolve_cycles_replayed rebuilds one row per
-- such cycle from the events alone; the trigger below keeps its row in resolve_cycles as
-- the reopening is written (reopen, import). Every value comes from events before the
-- reopening, which never change, so a kept row never needs updating. Event data that is
-- not a JSON object gives no clock, so no cycle, rather than an error that would refuse
-- the reopening.
CREATE VIEW resolve_cycles_replayed AS
SELECT k.record_id, k.reopened_id, k.cycle, k.reopened_at,
  k.clock ->> 'duration' AS duration, liaison_unixepoch(k.clock ->> 'started_at') AS started_at,
  coalesce((SELECT liaison_unixepoch(liaison_json(m.data) ->> 'due') FROM events m
      WHERE m.record_id = k.record_id AND m.id > k.start_id AND m.id < k.reopened_id AND m.type = 'resumed'
      AND liaison_json(m.data) ->> 'due' IS NOT NULL ORDER BY m.id DESC LIMIT 1),
    liaison_unixepoch(k.clock ->> 'due')) AS due,
  coalesce(k.closing_at, liaison_unixepoch(k.clock ->> 'stopped_at')) AS stopped_at,
  coalesce(k.closing_used, liaison_bigint(k.clock ->> 'used_seconds')) AS used_seconds
FROM (SELECT n.record_id, n.id AS reopened_id, n.at AS reopened_at, s.id AS start_id,
    (SELECT count(*) FROM events x WHERE x.record_id = n.record_id AND x.type = 'reopened' AND x.id < n.id) + 1 AS cycle,
    CASE WHEN s.type = 'reopened' THEN liaison_json(s.data) -> 'clock'
      WHEN liaison_json(s.data) #>> '{clocks,0,clock}' = 'resolve' THEN liaison_json(s.data) #> '{clocks,0}'
      WHEN liaison_json(s.data) #>> '{clocks,1,clock}' = 'resolve' THEN liaison_json(s.data) #> '{clocks,1}' END AS clock,
    c.at AS closing_at, liaison_bigint(liaison_json(c.data) #>> '{clocks,resolve,used_seconds}') AS closing_used
  FROM events n
  JOIN events s ON s.id = (SELECT max(p.id) FROM events p WHERE p.record_id = n.record_id
    AND p.type IN ('filed', 'imported', 'reopened') AND p.id < n.id)
  LEFT JOIN events c ON c.id = (SELECT max(q.id) FROM events q WHERE q.record_id = n.record_id
    AND q.type = 'closed' AND q.id > s.id AND q.id < n.id)
  WHERE n.type = 'reopened') AS k
WHERE k.clock IS NOT NULL;

CREATE TABLE resolve_cycles (
  record_id    bigint NOT NULL,
  reopened_id  bigint NOT NULL,           -- the 'reopened' event that ended the cycle
  cycle        bigint NOT NULL,           -- 1 for the cycle the first reopening ended, …
  reopened_at  bigint NOT NULL,
  duration     text COLLATE "C",          -- as configured, e.g. '5wd'
  started_at   bigint,
  due          bigint,                    -- its last deadline, as the resumes in it moved it
  stopped_at   bigint,                    -- when the closing the reopening undid met it
  used_seconds bigint,                    -- the working seconds its clock had counted then
  PRIMARY KEY (record_id, reopened_id)
);
-- Timeliness asks for the cycles met in the period, and for those due in it.
CREATE INDEX resolve_cycles_stopped ON resolve_cycles(stopped_at, due, reopened_at, used_seconds);
CREATE INDEX resolve_cycles_due ON resolve_cycles(due, stopped_at, reopened_at, used_seconds);

INSERT INTO resolve_cycles SELECT * FROM resolve_cycles_replayed;

CREATE FUNCTION liaison_resolve_cycles_kept() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  IF TG_RELID <> 'public.events'::regclass THEN
    RAISE EXCEPTION 'liaison_resolve_cycles_kept keeps the cycles of events only' USING ERRCODE = 'restrict_violation';
  END IF;
  INSERT INTO resolve_cycles SELECT * FROM resolve_cycles_replayed WHERE reopened_id = NEW.id;
  RETURN NULL;
END $$;
CREATE TRIGGER resolve_cycles_kept AFTER INSERT ON events FOR EACH ROW WHEN (NEW.type = 'reopened')
  EXECUTE FUNCTION liaison_resolve_cycles_kept();

-- `audit recount` (Maintenance::recount_kept): each table rebuilt from the records and the
-- history as this migration first filled it, with the owner's rights; nothing the caller
-- passes goes in.
CREATE FUNCTION liaison_recount_backlog_due() RETURNS void LANGUAGE sql SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp AS $$
  DELETE FROM backlog_due;
  INSERT INTO backlog_due (owner, bucket, waiting, n)
    SELECT owner, coalesce(due / 2097152, -1), (status = 'waiting')::int, count(*) FROM records
    WHERE status <> 'closed' GROUP BY 1, 2, 3;
$$;
CREATE FUNCTION liaison_replay_resolve_cycles() RETURNS void LANGUAGE sql SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp AS $$
  DELETE FROM resolve_cycles;
  INSERT INTO resolve_cycles SELECT * FROM resolve_cycles_replayed;
$$;
