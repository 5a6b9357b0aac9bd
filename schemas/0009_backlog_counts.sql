-- liaison schema, version 9: the backlog's deadlines counted, so that "how many were overdue
-- at T" costs what happened since T, not the size of the backlog.
--
-- backlog_due holds, per department, per stretch of 2^21 seconds (about 24 days) of the
-- resolve deadline (or none), and waiting or not, how many records are not closed now
-- (so how many are open now is a sum of a few hundred rows too). Triggers on
-- records keep it in the same transaction as every write that files, imports, moves,
-- pauses, closes or reopens a record, whichever command does it; `audit verify` recounts
-- it from the records. lib/store/sqlite/store_sqlite_report.cpp reads the stretches
-- wholly before T from here and only the last one from records_open_due.
-- A deadline before the record's reception (only an imported record can have one) makes
-- "due before T" not imply "received before T"; records_due_early finds those few.
CREATE INDEX records_due_early ON records(id) WHERE status <> 'closed' AND due < received_at;

CREATE TABLE backlog_due (
  owner   TEXT NOT NULL,
  bucket  INTEGER NOT NULL,               -- due / 2097152 (times start at 1970); -1: no resolve deadline
  waiting INTEGER NOT NULL,               -- status = 'waiting'
  n       INTEGER NOT NULL,
  PRIMARY KEY (owner, bucket, waiting)
) WITHOUT ROWID;

INSERT INTO backlog_due (owner, bucket, waiting, n)
  SELECT owner, coalesce(due / 2097152, -1), status = 'waiting', count(*) FROM records
  WHERE status <> 'closed' GROUP BY 1, 2, 3;

CREATE TRIGGER backlog_due_insert AFTER INSERT ON records
  WHEN NEW.status <> 'closed'
BEGIN
  INSERT INTO backlog_due (owner, bucket, waiting, n) VALUES (NEW.owner, coalesce(NEW.due / 2097152, -1), NEW.status = 'waiting', 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER backlog_due_update_old AFTER UPDATE OF owner, status, due ON records
  WHEN OLD.status <> 'closed'
BEGIN
  UPDATE backlog_due SET n = n - 1
    WHERE owner = OLD.owner AND bucket = coalesce(OLD.due / 2097152, -1) AND waiting = (OLD.status = 'waiting');
END;

CREATE TRIGGER backlog_due_update_new AFTER UPDATE OF owner, status, due ON records
  WHEN NEW.status <> 'closed'
BEGIN
  INSERT INTO backlog_due (owner, bucket, waiting, n) VALUES (NEW.owner, coalesce(NEW.due / 2097152, -1), NEW.status = 'waiting', 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER backlog_due_delete AFTER DELETE ON records
  WHEN OLD.status <> 'closed'
BEGIN
  UPDATE backlog_due SET n = n - 1
    WHERE owner = OLD.owner AND bucket = coalesce(OLD.due / 2097152, -1) AND waiting = (OLD.status = 'waiting');
END;
