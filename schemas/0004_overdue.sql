-- liaison schema, version 4: an index for `liaison overdue` and `liaison remind`
-- (lib/store/sqlite/store_sqlite_overdue.cpp). Acknowledgements still owed are found by their
-- deadline without reading the open records that were acknowledged long ago; the
-- resolve deadlines already have records_open_due (schemas/0001).
CREATE INDEX records_unacked_due ON records(ack_due) WHERE acked_at IS NULL AND status <> 'closed';
