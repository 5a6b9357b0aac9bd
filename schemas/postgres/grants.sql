-- The privileges of liaison's roles on a PostgreSQL database, run by its owner after
-- `liaison init --db-only` has set the schema up (and again after each upgrade). The
-- roles are an administrator's to create, one per duty:
--
--   liaison_owner    owns the database and its tables; runs `init --db-only` (migrations)
--   liaison_app      the application: what the commands write, and nothing more
--   liaison_auditor  read-only (the auditor views come with `liaison query` on PostgreSQL)
--
-- The application's role may not UPDATE, DELETE or TRUNCATE the history: the grants give
-- it none of that, and the triggers (0001_initial.sql) refuse it to every role, the
-- owner's too. Its only UPDATEs of the history are a purge's emptying (events.data and
-- data_sha256, attachments.name, blobs.content), which the triggers allow only for
-- records marked purged.
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;  -- PostgreSQL 14 and older grant it
-- Nobody but the owner attaches liaison's trigger functions to a table of their own (the
-- index keeper runs with its owner's rights), nor shadows a table with a temporary one.
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC;
DO $$ BEGIN EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database()); END $$;
GRANT USAGE ON SCHEMA public TO liaison_app, liaison_auditor;

GRANT SELECT ON schema_migrations TO liaison_app, liaison_auditor;

-- The records and what goes with them change as their events say.
GRANT SELECT, INSERT, UPDATE ON records, parties, sequences TO liaison_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON clocks TO liaison_app;  -- a record's clocks are written anew
GRANT SELECT, INSERT ON identities TO liaison_app;
GRANT UPDATE (name, position, organization, phone) ON identities TO liaison_app;  -- anonymisation

-- The history: appended to, never changed but by a purge. The mail and schedule indexes
-- are read only: a trigger keeps them as the events are written.
GRANT SELECT, INSERT ON events, checkpoints, attachments, blobs TO liaison_app;
GRANT SELECT ON event_messages, schedule_records TO liaison_app;
GRANT UPDATE (data, data_sha256) ON events TO liaison_app;
GRANT UPDATE (name) ON attachments TO liaison_app;
GRANT UPDATE (content) ON blobs TO liaison_app;

-- The search index is derived from the history: written as events are, emptied of a
-- purged record, rebuilt whole.
GRANT SELECT, INSERT, DELETE ON search_index TO liaison_app;
GRANT EXECUTE ON FUNCTION liaison_json(text) TO liaison_app, liaison_auditor;
