-- liaison schema, version 10: the report's lookups per obligation and per late record
-- answered from small indexes instead of from the wide rows of records and events.
--
-- records_labels: timeliness reads a department and a kind (and, under a filter, the
-- direction and the party) for every obligation met or due in the period. Looked up in
-- the records table, each costs a row of its own (subjects and bodies included); here,
-- an index entry of a few dozen bytes. lib/store/sqlite/store_sqlite_report.cpp names it
-- (INDEXED BY), since the planner prefers the primary key.
CREATE INDEX records_labels ON records(id, owner, kind, direction, party);

-- events_waiting: "was this record waiting at T" first asks whether it ever waited. With
-- events_record (record_id, id) alone that reads every event row of the record for its
-- type; the records that ever waited are a few per cent.
CREATE INDEX events_waiting ON events(record_id) WHERE type = 'waiting';

-- events_record_type: one record's events of one type ("its last closing", "its
-- reopenings before this one", "the resumption that moved this cycle's deadline"), the
-- questions asked of every record reopened, closed or waiting since a moment. Through
-- events_record (record_id, id) each reads every event row of the record for its type.
CREATE INDEX events_record_type ON events(record_id, type, id);

-- records_closed_at: "overdue at T" counts the records closed since T that were late at
-- T; with their reception, status and department in the index it reads no record row.
DROP INDEX records_closed_at;
CREATE INDEX records_closed_at ON records(closed_at, due, received_at, status, owner) WHERE closed_at IS NOT NULL;
