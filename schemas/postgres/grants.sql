-- The privileges of liaison's roles on a PostgreSQL database, run by its owner after
-- `liaison init --db-only` has set the schema up (and again after each upgrade). The
-- roles are an administrator's to create, one per duty:
--
--   liaison_owner    owns the database and its tables; runs `init --db-only` (migrations)
--   liaison_app      the application: what the commands write, and nothing more
--   liaison_auditor  the auditor: `liaison query` over the views, and nothing of the tables
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
-- `liaison query` keeps the acting user's clearance and the config's names in temporary
-- tables of its session for the views to read (schemas/postgres/0004_query_views.sql).
DO $$ BEGIN EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO liaison_app, liaison_auditor', current_database()); END $$;

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

-- What the report reads beside the records (0003_report.sql): read only, since triggers
-- keep it as the records and events are written; `audit verify` compares it with a
-- recount of them, and `audit recount` rebuilds it from them through the two functions.
GRANT SELECT ON backlog_due, resolve_cycles, resolve_cycles_replayed TO liaison_app;
GRANT EXECUTE ON FUNCTION liaison_unixepoch(text), liaison_bigint(text), liaison_recount_backlog_due(),
  liaison_replay_resolve_cycles() TO liaison_app;
GRANT EXECUTE ON FUNCTION liaison_json(text) TO liaison_app, liaison_auditor;

-- The auditor views (`liaison query`): they read the tables with their owner's rights, so
-- whoever is given them reads the tables only through them, redacted.
REVOKE ALL ON ALL TABLES IN SCHEMA liaison_views FROM PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA liaison_views FROM PUBLIC;
GRANT USAGE ON SCHEMA liaison_views TO liaison_app, liaison_auditor;
GRANT SELECT ON ALL TABLES IN SCHEMA liaison_views TO liaison_app, liaison_auditor;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA liaison_views TO liaison_app, liaison_auditor;
GRANT EXECUTE ON FUNCTION liaison_unixepoch(text) TO liaison_auditor;  -- the clocks view reads times in the history
-- The most each role reads through the views, whoever liaison says is acting. The
-- application's role reads the tables anyway; the auditor's ceiling is the administrator's
-- to set, by the config's level ids, e.g.
--   INSERT INTO liaison_views.ceilings VALUES ('liaison_auditor', false, '{public,internal}');
-- or every level (true): until then the auditor reads no text through the views.
INSERT INTO liaison_views.ceilings (role, every_level) VALUES ('liaison_app', true) ON CONFLICT (role) DO NOTHING;
