-- liaison schema, version 3: indexes for `liaison report` (lib/store/sqlite/store_sqlite_report.cpp).
-- Where a record stood at a past moment is read only for the records that can have been
-- open then: those open now, and those closed since (records_closed_at). Timeliness reads
-- the obligations met or due in the period (clocks_stopped, clocks_due); major records
-- are found without reading the others (records_major).
CREATE INDEX records_closed_at ON records(closed_at) WHERE closed_at IS NOT NULL;
CREATE INDEX records_major ON records(received_at) WHERE major = 1;
CREATE INDEX clocks_stopped ON clocks(name, stopped_at) WHERE stopped_at IS NOT NULL;
CREATE INDEX clocks_due ON clocks(name, due) WHERE due IS NOT NULL;
