-- liaison PostgreSQL schema, version 4: the auditor views of `liaison query` (man
-- liaison-views(7)), the same names, columns and meanings as SQLite's (schemas/views.sql),
-- in a schema of their own, liaison_views, so that `records` there is the view while
-- public.records stays the table. The views belong to the database's owner and read the
-- tables with the owner's rights; the auditor's role is given the views and not the
-- tables (schemas/postgres/grants.sql).
--
-- Who reads is not the database's to know: liaison query establishes the acting user and
-- puts what the views need into three temporary tables of its own session before it runs
-- the query (lib/store/postgres/pg_store_query.cpp):
--   pg_temp.liaison_viewer(every_level boolean, mark text)  one row: may the user read
--       every level (Access::may_read_every_level), and the redaction mark in their language
--   pg_temp.liaison_readable(level text)   the config's levels the user may read
--   pg_temp.liaison_names(what text, id text, name text)  display names from the config
-- and sets the session's TimeZone to the organisation's. The functions below read them;
-- without them (the views read outside liaison query) every view fails rather than show
-- anything unredacted. The connecting role's ceiling (liaison_views.ceilings) bounds
-- whatever the session's tables say. The functions are SQL, STABLE and qualified throughout, so what a
-- query sets for itself cannot change what they resolve to.
SET LOCAL check_function_bodies = off;  -- the temporary tables exist only in a query's session

CREATE SCHEMA liaison_views;

-- What each database role may read at most, whoever liaison says is acting: the session's
-- tables are the session's to fill, so a role that reaches the views with psql could
-- claim any clearance there; its ceiling here, which only the owner writes, still holds.
-- A role without a row reads no text at all. The owner who sets the schema up may read
-- everything (it owns the tables); grants.sql gives the application's role the same, since
-- it reads the tables anyway, and leaves the auditor's to the administrator.
CREATE TABLE liaison_views.ceilings (
  role        name PRIMARY KEY,
  every_level boolean NOT NULL DEFAULT false,
  levels      text[] COLLATE "C" NOT NULL DEFAULT '{}'
);
INSERT INTO liaison_views.ceilings (role, every_level) VALUES (current_user, true);

CREATE FUNCTION liaison_views.liaison_may_read(level text) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT (coalesce((SELECT v.every_level FROM pg_temp.liaison_viewer AS v), false)
          OR EXISTS (SELECT 1 FROM pg_temp.liaison_readable AS r WHERE r.level = $1))
     AND EXISTS (SELECT 1 FROM liaison_views.ceilings AS c
                  WHERE c.role = session_user AND (c.every_level OR $1 = ANY (c.levels)))
$$;

CREATE FUNCTION liaison_views.liaison_mark() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT v.mark FROM pg_temp.liaison_viewer AS v
$$;

-- liaison_text(level, text): the text, or the mark when the level is above the user's
-- clearance (an empty text stays empty, NULL stays NULL).
CREATE FUNCTION liaison_views.liaison_text(level text, value text) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN $2 IS NULL OR $2 = '' OR liaison_views.liaison_may_read($1) THEN $2
              ELSE liaison_views.liaison_mark() END
$$;

-- liaison_readable(level, value): the value, or NULL when the level is above the user's
-- clearance (what is withheld whole: an attachment's size or digest).
CREATE FUNCTION liaison_views.liaison_readable(level text, value anyelement) RETURNS anyelement LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN liaison_views.liaison_may_read($1) THEN $2 END
$$;

-- liaison_hash(hash): the hash for a reader of every level, else NULL (a hash would
-- confirm a guessed confidential text).
CREATE FUNCTION liaison_views.liaison_hash(hash text) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN (SELECT v.every_level FROM pg_temp.liaison_viewer AS v)
               AND (SELECT c.every_level FROM liaison_views.ceilings AS c WHERE c.role = session_user)
              THEN $1 END
$$;

-- liaison_time(utc seconds): ISO 8601 in the session's time zone, the organisation's.
CREATE FUNCTION liaison_views.liaison_time(utc bigint) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT pg_catalog.to_char(pg_catalog.to_timestamp($1::double precision), 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM')
$$;

-- A JSON number as an integer, a JSON boolean as 1 or 0 (as SQLite's ->> gives them).
CREATE FUNCTION liaison_views.liaison_integer(value json) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE pg_catalog.json_typeof($1)
              WHEN 'number' THEN pg_catalog.round(($1::text)::numeric)::bigint
              WHEN 'boolean' THEN CASE WHEN $1::text = 'true' THEN 1 ELSE 0 END END
$$;

-- Display names from the config: NULL for an empty or unknown id.
CREATE FUNCTION liaison_views.liaison_name(what text, id text) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT n.name FROM pg_temp.liaison_names AS n WHERE n.what = $1 AND n.id = $2
$$;
CREATE FUNCTION liaison_views.liaison_department(id text) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT liaison_views.liaison_name('department', $1) $$;
CREATE FUNCTION liaison_views.liaison_kind(id text) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT liaison_views.liaison_name('kind', $1) $$;
CREATE FUNCTION liaison_views.liaison_level(id text) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT liaison_views.liaison_name('level', $1) $$;
CREATE FUNCTION liaison_views.liaison_user(id text) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT liaison_views.liaison_name('user', $1) $$;
CREATE FUNCTION liaison_views.liaison_channel(id text) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT liaison_views.liaison_name('channel', $1) $$;
CREATE FUNCTION liaison_views.liaison_party_type(id text) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT liaison_views.liaison_name('party_type', $1) $$;
CREATE FUNCTION liaison_views.liaison_topic(id text) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT liaison_views.liaison_name('topic', $1) $$;

-- An event's data without what it says of the complainant (the keys "identity" and
-- "complainant", at any depth): no view shows who raised a record.
CREATE FUNCTION liaison_views.liaison_without_identity(value jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE pg_catalog.jsonb_typeof($1)
    WHEN 'object' THEN coalesce((SELECT pg_catalog.jsonb_object_agg(e.k, liaison_views.liaison_without_identity(e.v))
                                   FROM pg_catalog.jsonb_each($1) AS e(k, v)
                                  WHERE e.k NOT IN ('identity', 'complainant')), '{}'::jsonb)
    WHEN 'array' THEN coalesce((SELECT pg_catalog.jsonb_agg(liaison_views.liaison_without_identity(e.v) ORDER BY e.i)
                                  FROM pg_catalog.jsonb_array_elements($1) WITH ORDINALITY AS e(v, i)), '[]'::jsonb)
    ELSE $1 END
$$;

-- Every non-empty string in a value, at any depth, as the mark.
CREATE FUNCTION liaison_views.liaison_marked(value jsonb, mark text) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE pg_catalog.jsonb_typeof($1)
    WHEN 'string' THEN CASE WHEN $1 = '""'::jsonb THEN $1 ELSE pg_catalog.to_jsonb($2) END
    WHEN 'object' THEN coalesce((SELECT pg_catalog.jsonb_object_agg(e.k, liaison_views.liaison_marked(e.v, $2))
                                   FROM pg_catalog.jsonb_each($1) AS e(k, v)), '{}'::jsonb)
    WHEN 'array' THEN coalesce((SELECT pg_catalog.jsonb_agg(liaison_views.liaison_marked(e.v, $2) ORDER BY e.i)
                                  FROM pg_catalog.jsonb_array_elements($1) WITH ORDINALITY AS e(v, i)), '[]'::jsonb)
    ELSE $1 END
$$;

-- An event's data with its free text redacted, as lib/policy/access.cpp redacts it: the
-- values of the free-text keys (is_free_text_key) marked whole, an attachment reduced to
-- its number, a mail's digest marked; the rest walked into.
CREATE FUNCTION liaison_views.liaison_redacted(value jsonb, mark text) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE pg_catalog.jsonb_typeof($1)
    WHEN 'object' THEN coalesce((
      SELECT pg_catalog.jsonb_object_agg(e.k, CASE
               WHEN e.k IN ('subject', 'body', 'text', 'reason', 'note', 'resolution', 'explanation', 'capa',
                            'eight_d', 'customer_ref', 'their_ref', 'compliance_obligation', 'evidence')
                 THEN liaison_views.liaison_marked(e.v, $2)
               WHEN e.k = 'attachments' AND pg_catalog.jsonb_typeof(e.v) = 'array'
                 THEN coalesce((SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
                                         'n', CASE WHEN pg_catalog.jsonb_typeof(a.v) = 'object' AND a.v ? 'n'
                                                   THEN a.v -> 'n' ELSE 'null'::jsonb END,
                                         'name', $2) ORDER BY a.i)
                                  FROM pg_catalog.jsonb_array_elements(e.v) WITH ORDINALITY AS a(v, i)), '[]'::jsonb)
               WHEN e.k = 'message_sha256' THEN pg_catalog.to_jsonb($2)
               ELSE liaison_views.liaison_redacted(e.v, $2) END)
        FROM pg_catalog.jsonb_each($1) AS e(k, v)), '{}'::jsonb)
    WHEN 'array' THEN coalesce((SELECT pg_catalog.jsonb_agg(liaison_views.liaison_redacted(e.v, $2) ORDER BY e.i)
                                  FROM pg_catalog.jsonb_array_elements($1) WITH ORDINALITY AS e(v, i)), '[]'::jsonb)
    ELSE $1 END
$$;

-- liaison_event_data(level, data): the event's data as stored when the user may read the
-- level (a NULL level, a registry event's, is not redacted) and it names no complainant;
-- else rewritten (by the server: keys in its order, a space after ':' and ',').
CREATE FUNCTION liaison_views.liaison_event_data(level text, data text) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT CASE
    WHEN $2 IS NULL THEN NULL
    WHEN ($1 IS NULL OR liaison_views.liaison_may_read($1))
         AND pg_catalog.strpos($2, '"identity"') = 0 AND pg_catalog.strpos($2, '"complainant"') = 0 THEN $2
    WHEN $1 IS NULL OR liaison_views.liaison_may_read($1)
      THEN coalesce(liaison_views.liaison_without_identity(public.liaison_json($2)::jsonb), '{}'::jsonb)::text
    WHEN public.liaison_json($2) IS NULL
      THEN pg_catalog.jsonb_build_object('text', liaison_views.liaison_mark())::text
    ELSE liaison_views.liaison_redacted(liaison_views.liaison_without_identity(public.liaison_json($2)::jsonb),
                                        liaison_views.liaison_mark())::text END
$$;

CREATE VIEW liaison_views.records AS
SELECT r.id                                  AS id,
       r.ref                                 AS ref,
       r.kind                                AS kind,
       liaison_views.liaison_kind(r.kind)    AS kind_name,
       r.direction                           AS direction,
       r.flow                                AS flow,
       liaison_views.liaison_text(r.level, r.subject) AS subject,
       liaison_views.liaison_text(r.level, r.body) AS body,
       r.channel                             AS channel,
       liaison_views.liaison_channel(r.channel) AS channel_name,
       r.party                               AS party,
       (SELECT p.name FROM public.parties AS p WHERE p.id = r.party) AS party_name,
       r.from_dept                           AS from_dept,
       liaison_views.liaison_department(r.from_dept) AS from_dept_name,
       r.owner                               AS owner,
       liaison_views.liaison_department(r.owner) AS owner_name,
       r.assignee                            AS assignee,
       liaison_views.liaison_user(r.assignee) AS assignee_name,
       r.level                               AS level,
       liaison_views.liaison_level(r.level)  AS level_name,
       r.major                               AS major,
       r.status                              AS status,
       r.outcome                             AS outcome,
       liaison_views.liaison_text(r.level, r.resolution) AS resolution,
       r.reply_via                           AS reply_via,
       liaison_views.liaison_text(r.level, r.capa) AS capa,
       r.rule                                AS rule,
       r.notify                              AS notify,
       r.escalated_to                        AS escalated_to,
       liaison_views.liaison_time(r.received_at) AS received_at,
       r.received_at                         AS received_at_utc,
       liaison_views.liaison_time(r.created_at) AS created_at,
       r.created_at                          AS created_at_utc,
       r.created_by                          AS created_by,
       liaison_views.liaison_time(r.ack_due) AS ack_due,
       r.ack_due                             AS ack_due_utc,
       liaison_views.liaison_time(r.acked_at) AS acked_at,
       r.acked_at                            AS acked_at_utc,
       liaison_views.liaison_time(r.due)     AS due,
       r.due                                 AS due_utc,
       liaison_views.liaison_time(r.closed_at) AS closed_at,
       r.closed_at                           AS closed_at_utc,
       liaison_views.liaison_time(r.purged_at) AS purged_at,
       r.purged_at                           AS purged_at_utc,
       liaison_views.liaison_time(r.anonymised_at) AS anonymised_at,
       r.anonymised_at                       AS anonymised_at_utc,
       r.topic                               AS topic,
       liaison_views.liaison_topic(r.topic)  AS topic_name,
       liaison_views.liaison_text(r.level, r.customer_ref) AS customer_ref,
       liaison_views.liaison_text(r.level, r.eight_d) AS eight_d,
       liaison_views.liaison_text(r.level, r.their_ref) AS their_ref,
       liaison_views.liaison_text(r.level, r.compliance_obligation) AS compliance_obligation
FROM public.records AS r;

CREATE VIEW liaison_views.events AS
SELECT e.id                                  AS id,
       e.record_id                           AS record_id,
       (SELECT r.ref FROM public.records AS r WHERE r.id = e.record_id) AS ref,
       e.type                                AS type,
       e.actor                               AS actor,
       liaison_views.liaison_user(e.actor)   AS actor_name,
       liaison_views.liaison_time(e.at)      AS at,
       e.at                                  AS at_utc,
       liaison_views.liaison_event_data((SELECT r.level FROM public.records AS r WHERE r.id = e.record_id), e.data) AS data,
       liaison_views.liaison_hash(e.prev_hash) AS prev_hash,
       liaison_views.liaison_hash(e.hash)    AS hash,
       liaison_views.liaison_time(e.recorded_at) AS recorded_at,
       e.recorded_at                         AS recorded_at_utc,
       liaison_views.liaison_hash(nullif(e.salt, '')) AS salt
FROM public.events AS e;

CREATE VIEW liaison_views.checkpoints AS
SELECT c.id                                  AS id,
       c.event_id                            AS event_id,
       liaison_views.liaison_hash(c.event_hash) AS event_hash,
       liaison_views.liaison_time(c.at)      AS at,
       c.at                                  AS at_utc,
       c.public_key                          AS public_key,
       c.signature                           AS signature
FROM public.checkpoints AS c;

CREATE VIEW liaison_views.parties AS
SELECT p.id                                  AS id,
       p.name                                AS name,
       p.type                                AS type,
       liaison_views.liaison_party_type(p.type) AS type_name,
       p.contact                             AS contact,
       p.phone                               AS phone,
       p.email                               AS email,
       p.address                             AS address,
       p.notes                               AS notes,
       liaison_views.liaison_time(p.created_at) AS created_at,
       p.created_at                          AS created_at_utc
FROM public.parties AS p;

-- One row per obligation cycle, the resolve cycles that reopenings ended read back from
-- the history, as schemas/views.sql explains.
CREATE VIEW liaison_views.clocks AS
SELECT c.record_id                           AS record_id,
       (SELECT r.ref FROM public.records AS r WHERE r.id = c.record_id) AS ref,
       c.name                                AS name,
       c.duration                            AS duration,
       liaison_views.liaison_time(c.started_at) AS started_at,
       c.started_at                          AS started_at_utc,
       liaison_views.liaison_time(c.due)     AS due,
       c.due                                 AS due_utc,
       liaison_views.liaison_time(c.stopped_at) AS stopped_at,
       c.stopped_at                          AS stopped_at_utc,
       CASE WHEN c.stopped_at IS NULL OR c.due IS NULL THEN NULL
            ELSE (c.stopped_at <= c.due)::integer END AS on_time,
       c.used_seconds                        AS used_seconds,
       liaison_views.liaison_time(c.paused_since) AS paused_since,
       c.paused_since                        AS paused_since_utc,
       c.paused_seconds                      AS paused_seconds,
       c.provisional::integer                AS provisional,
       c.config_hash                         AS config_hash,
       CASE WHEN c.name = 'resolve'
            THEN 1 + (SELECT count(*) FROM public.events AS e WHERE e.record_id = c.record_id AND e.type = 'reopened')
            ELSE 1 END                       AS cycle,
       c.given::integer                      AS given
FROM public.clocks AS c
UNION ALL
SELECT k.record_id,
       (SELECT r.ref FROM public.records AS r WHERE r.id = k.record_id),
       'resolve',
       k.clock ->> 'duration',
       liaison_views.liaison_time(public.liaison_unixepoch(k.clock ->> 'started_at')),
       public.liaison_unixepoch(k.clock ->> 'started_at'),
       liaison_views.liaison_time(k.due),
       k.due,
       liaison_views.liaison_time(k.stopped_at),
       k.stopped_at,
       CASE WHEN k.stopped_at IS NULL OR k.due IS NULL THEN NULL ELSE (k.stopped_at <= k.due)::integer END,
       k.used_seconds,
       NULL,
       NULL,
       NULL,
       coalesce(liaison_views.liaison_integer(k.clock -> 'provisional'), 0)::integer,
       k.clock ->> 'config_hash',
       k.cycle,
       coalesce(liaison_views.liaison_integer(k.clock -> 'given'), 0)::integer
FROM (SELECT j.record_id, j.cycle, j.clock,
             coalesce((SELECT public.liaison_unixepoch(public.liaison_json(m.data) ->> 'due') FROM public.events AS m
                        WHERE m.record_id = j.record_id AND m.id > j.start_id AND m.id < j.next_id
                          AND m.type = 'resumed' AND public.liaison_json(m.data) ->> 'due' IS NOT NULL
                        ORDER BY m.id DESC LIMIT 1),
                      public.liaison_unixepoch(j.clock ->> 'due'))                          AS due,
             coalesce(j.closing_at, public.liaison_unixepoch(j.clock ->> 'stopped_at'))     AS stopped_at,
             coalesce(j.closing_used, liaison_views.liaison_integer(j.clock -> 'used_seconds')) AS used_seconds
      FROM (SELECT n.record_id AS record_id, n.id AS next_id, s.id AS start_id,
                   (SELECT count(*) FROM public.events AS x
                     WHERE x.record_id = n.record_id AND x.type = 'reopened' AND x.id < n.id) + 1 AS cycle,
                   CASE WHEN s.type = 'reopened' THEN public.liaison_json(s.data) -> 'clock'
                        WHEN public.liaison_json(s.data) -> 'clocks' -> 0 ->> 'clock' = 'resolve'
                          THEN public.liaison_json(s.data) -> 'clocks' -> 0
                        WHEN public.liaison_json(s.data) -> 'clocks' -> 1 ->> 'clock' = 'resolve'
                          THEN public.liaison_json(s.data) -> 'clocks' -> 1 END AS clock,
                   cl.at AS closing_at,
                   liaison_views.liaison_integer(public.liaison_json(cl.data) -> 'clocks' -> 'resolve' -> 'used_seconds')
                     AS closing_used
            FROM public.events AS n
            JOIN public.events AS s
              ON s.id = (SELECT max(p.id) FROM public.events AS p
                          WHERE p.record_id = n.record_id AND p.type IN ('filed', 'imported', 'reopened')
                            AND p.id < n.id)
            LEFT JOIN public.events AS cl
              ON cl.id = (SELECT max(q.id) FROM public.events AS q
                           WHERE q.record_id = n.record_id AND q.type = 'closed' AND q.id > s.id AND q.id < n.id)
            WHERE n.type = 'reopened') AS j
      WHERE j.clock IS NOT NULL) AS k;

-- Files attached to records: their description, never their bytes; below the record's
-- level only that each exists.
CREATE VIEW liaison_views.attachments AS
SELECT a.record_id                           AS record_id,
       (SELECT r.ref FROM public.records AS r WHERE r.id = a.record_id) AS ref,
       a.n                                   AS n,
       a.event_id                            AS event_id,
       liaison_views.liaison_text((SELECT r.level FROM public.records AS r WHERE r.id = a.record_id), a.name) AS name,
       liaison_views.liaison_readable((SELECT r.level FROM public.records AS r WHERE r.id = a.record_id), a.media_type) AS media_type,
       liaison_views.liaison_readable((SELECT r.level FROM public.records AS r WHERE r.id = a.record_id), a.size) AS size,
       liaison_views.liaison_readable((SELECT r.level FROM public.records AS r WHERE r.id = a.record_id), a.sha256) AS sha256,
       (SELECT liaison_views.liaison_time(e.at) FROM public.events AS e WHERE e.id = a.event_id) AS at,
       (SELECT e.at FROM public.events AS e WHERE e.id = a.event_id) AS at_utc,
       (SELECT e.actor FROM public.events AS e WHERE e.id = a.event_id) AS actor
FROM public.attachments AS a;

-- What each record owes, and to or by whom: one row per current clock.
CREATE VIEW liaison_views.obligations AS
SELECT c.record_id                           AS record_id,
       (SELECT r.ref FROM public.records AS r WHERE r.id = c.record_id) AS ref,
       c.name                                AS clock,
       CASE WHEN strpos(c.name, ':') = 0 THEN c.name
            ELSE substr(c.name, 1, strpos(c.name, ':') - 1) END AS type,
       CASE WHEN strpos(c.name, ':') = 0 THEN (SELECT r.owner FROM public.records AS r WHERE r.id = c.record_id)
            WHEN substr(c.name, 1, 9) = 'approval:' THEN substr(substr(c.name, 10), strpos(substr(c.name, 10), ':') + 1)
            WHEN substr(c.name, 1, 7) = 'action:' THEN substr(substr(c.name, 8), strpos(substr(c.name, 8), ':') + 1)
            ELSE substr(c.name, strpos(c.name, ':') + 1) END AS holder,
       CASE WHEN strpos(c.name, ':') = 0 THEN 'department'
            WHEN substr(c.name, 1, 7) = 'notify:' THEN 'party'
            ELSE 'user' END                  AS holder_type,
       liaison_views.liaison_time(c.due)     AS due,
       c.due                                 AS due_utc,
       liaison_views.liaison_time(c.stopped_at) AS met_at,
       c.stopped_at                          AS met_at_utc,
       CASE WHEN c.stopped_at IS NULL THEN NULL
            WHEN c.due IS NULL THEN CASE WHEN substr(c.name, 1, 9) = 'approval:' THEN 1 END
            ELSE (c.stopped_at <= c.due)::integer END AS on_time,
       (c.paused_since IS NOT NULL)::integer AS waiting
FROM public.clocks AS c;

-- Nobody but the roles grants.sql names uses them.
REVOKE ALL ON SCHEMA liaison_views FROM PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA liaison_views FROM PUBLIC;
