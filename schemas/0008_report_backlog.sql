-- liaison schema, version 8: what `report` asks of a period and of the backlog, answered
-- from indexes.
--
-- "Overdue at T" (lib/store/sqlite/store_sqlite_report.cpp) reads the open records with a
-- deadline before T, and the records closed since T whose deadline had passed at T. With
-- the owner, status, reception time and reference beside the deadline, counting the first
-- per department and picking the most late of them never reads a record's row; with the
-- deadline beside the closing time, the second reads only the rows that were late.
-- Both keep their names, and serve every query the narrower ones served.
DROP INDEX records_open_due;
CREATE INDEX records_open_due ON records(due, owner, status, received_at, ref) WHERE status <> 'closed';
DROP INDEX records_closed_at;
CREATE INDEX records_closed_at ON records(closed_at, due) WHERE closed_at IS NOT NULL;

-- A period's reception (volume, suggestions) and obligations (timeliness), likewise: the
-- dimensions the report groups by beside the reception time, the deadline, the time
-- used and the other end of each obligation beside the one it is looked up by.
DROP INDEX records_received;
CREATE INDEX records_received ON records(received_at, direction, kind, owner, channel, party);
DROP INDEX clocks_stopped;
CREATE INDEX clocks_stopped ON clocks(name, stopped_at, due, used_seconds) WHERE stopped_at IS NOT NULL;
DROP INDEX clocks_due;
CREATE INDEX clocks_due ON clocks(name, due, stopped_at, used_seconds) WHERE due IS NOT NULL;

-- The major records open at some moment of a period: not closed at its start means open
-- now or last closed since; with status and closing time in the index, the major records
-- closed long before are passed over without reading their rows.
DROP INDEX records_major;
CREATE INDEX records_major ON records(received_at, status, closed_at) WHERE major = 1;
