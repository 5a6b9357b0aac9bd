-- The auditor views of `liaison query` (man liaison-views(7)): stable names over the
-- tables, times in the organisation's zone, display names beside ids, and the free text
-- of records above the acting user's clearance redacted. Not a migration: they are
-- created as TEMP views on the query connection only (lib/store/sqlite/store_sqlite_query.cpp), so an
-- unqualified `records` means the view while the table stays main.records, which the
-- authorizer lets only these views read. Every column here is documented in
-- man/liaison-views.7; add columns at the end, never rename or drop one.
--
-- The liaison_* functions are defined by the query connection, bound to its config and
-- acting user: liaison_time(utc) ISO 8601 in the organisation's zone; liaison_text(level,
-- text) the text, or the redaction mark when the level is above the user's clearance;
-- liaison_event_data(level, json) the same for the free-text values of an event's data;
-- liaison_department / _kind / _level / _user / _channel / _party_type / _topic (id) the display
-- name from the config. Each column is one expression over one row, so SQLite flattens
-- the view into the query and computes only the columns the query uses. Names from other
-- tables (party_name, an event's ref) are scalar subqueries on primary keys, not LEFT
-- JOINs: SQLite 3.40 does not drop an unused LEFT JOIN from an aggregate query, and a
-- grouped count over ids would then read every row instead of only an index.

CREATE TEMP VIEW records AS
SELECT r.id                                  AS id,
       r.ref                                 AS ref,
       r.kind                                AS kind,
       liaison_kind(r.kind)                  AS kind_name,
       r.direction                           AS direction,
       r.flow                                AS flow,
       liaison_text(r.level, r.subject)      AS subject,
       liaison_text(r.level, r.body)         AS body,
       r.channel                             AS channel,
       liaison_channel(r.channel)            AS channel_name,
       r.party                               AS party,
       (SELECT p.name FROM main.parties AS p WHERE p.id = r.party) AS party_name,
       r.from_dept                           AS from_dept,
       liaison_department(r.from_dept)       AS from_dept_name,
       r.owner                               AS owner,
       liaison_department(r.owner)           AS owner_name,
       r.assignee                            AS assignee,
       liaison_user(r.assignee)              AS assignee_name,
       r.level                               AS level,
       liaison_level(r.level)                AS level_name,
       r.major                               AS major,
       r.status                              AS status,
       r.outcome                             AS outcome,
       liaison_text(r.level, r.resolution)   AS resolution,
       r.reply_via                           AS reply_via,
       liaison_text(r.level, r.capa)         AS capa,
       r.rule                                AS rule,
       r.notify                              AS notify,
       r.escalated_to                        AS escalated_to,
       liaison_time(r.received_at)           AS received_at,
       r.received_at                         AS received_at_utc,
       liaison_time(r.created_at)            AS created_at,
       r.created_at                          AS created_at_utc,
       r.created_by                          AS created_by,
       liaison_time(r.ack_due)               AS ack_due,
       r.ack_due                             AS ack_due_utc,
       liaison_time(r.acked_at)              AS acked_at,
       r.acked_at                            AS acked_at_utc,
       liaison_time(r.due)                   AS due,
       r.due                                 AS due_utc,
       liaison_time(r.closed_at)             AS closed_at,
       r.closed_at                           AS closed_at_utc,
       liaison_time(r.purged_at)             AS purged_at,
       r.purged_at                           AS purged_at_utc,
       liaison_time(r.anonymised_at)         AS anonymised_at,
       r.anonymised_at                       AS anonymised_at_utc,
       r.topic                               AS topic,
       liaison_topic(r.topic)                AS topic_name,
       liaison_text(r.level, r.customer_ref) AS customer_ref,
       liaison_text(r.level, r.eight_d)      AS eight_d,
       liaison_text(r.level, r.their_ref)    AS their_ref,
       liaison_text(r.level, r.compliance_obligation) AS compliance_obligation
FROM main.records AS r;

CREATE TEMP VIEW events AS
SELECT e.id                                  AS id,
       e.record_id                           AS record_id,
       (SELECT r.ref FROM main.records AS r WHERE r.id = e.record_id) AS ref,
       e.type                                AS type,
       e.actor                               AS actor,
       liaison_user(e.actor)                 AS actor_name,
       liaison_time(e.at)                    AS at,
       e.at                                  AS at_utc,
       liaison_event_data((SELECT r.level FROM main.records AS r WHERE r.id = e.record_id), e.data) AS data,
       liaison_hash(e.prev_hash)             AS prev_hash,
       liaison_hash(e.hash)                  AS hash,
       liaison_time(e.recorded_at)           AS recorded_at,
       e.recorded_at                         AS recorded_at_utc,
       liaison_hash(nullif(e.salt, ''))      AS salt
FROM main.events AS e;

CREATE TEMP VIEW checkpoints AS
SELECT c.id                                  AS id,
       c.event_id                            AS event_id,
       liaison_hash(c.event_hash)            AS event_hash,
       liaison_time(c.at)                    AS at,
       c.at                                  AS at_utc,
       c.public_key                          AS public_key,
       c.signature                           AS signature
FROM main.checkpoints AS c;

CREATE TEMP VIEW parties AS
SELECT p.id                                  AS id,
       p.name                                AS name,
       p.type                                AS type,
       liaison_party_type(p.type)            AS type_name,
       p.contact                             AS contact,
       p.phone                               AS phone,
       p.email                               AS email,
       p.address                             AS address,
       p.notes                               AS notes,
       liaison_time(p.created_at)            AS created_at,
       p.created_at                          AS created_at_utc
FROM main.parties AS p;

-- clocks: one row per obligation cycle. The table holds each record's current clocks; a
-- reopening replaced the resolve clock before it, so each resolve cycle a reopening ended
-- is read back from the history (as lib/store/sqlite/store_sqlite_report.cpp does for
-- the report): the 'filed', 'imported' or 'reopened' event that began it holds its clock,
-- the 'resumed' events in it moved its deadline, and the closing that the reopening undid
-- met it. `cycle` numbers a record's resolve cycles from 1; a record's current resolve
-- clock is cycle 1 + its reopenings.
CREATE TEMP VIEW clocks AS
SELECT c.record_id                           AS record_id,
       (SELECT r.ref FROM main.records AS r WHERE r.id = c.record_id) AS ref,
       c.name                                AS name,
       c.duration                            AS duration,
       liaison_time(c.started_at)            AS started_at,
       c.started_at                          AS started_at_utc,
       liaison_time(c.due)                   AS due,
       c.due                                 AS due_utc,
       liaison_time(c.stopped_at)            AS stopped_at,
       c.stopped_at                          AS stopped_at_utc,
       CASE WHEN c.stopped_at IS NULL OR c.due IS NULL THEN NULL
            ELSE c.stopped_at <= c.due END   AS on_time,
       c.used_seconds                        AS used_seconds,
       liaison_time(c.paused_since)          AS paused_since,
       c.paused_since                        AS paused_since_utc,
       c.paused_seconds                      AS paused_seconds,
       c.provisional                         AS provisional,
       c.config_hash                         AS config_hash,
       CASE WHEN c.name = 'resolve'
            THEN 1 + (SELECT count(*) FROM main.events AS e WHERE e.record_id = c.record_id AND e.type = 'reopened')
            ELSE 1 END                       AS cycle,
       c.given                               AS given
FROM main.clocks AS c
UNION ALL
SELECT k.record_id,
       (SELECT r.ref FROM main.records AS r WHERE r.id = k.record_id),
       'resolve',
       k.clock ->> '$.duration',
       liaison_time(unixepoch(k.clock ->> '$.started_at')),
       unixepoch(k.clock ->> '$.started_at'),
       liaison_time(k.due),
       k.due,
       liaison_time(k.stopped_at),
       k.stopped_at,
       CASE WHEN k.stopped_at IS NULL OR k.due IS NULL THEN NULL ELSE k.stopped_at <= k.due END,
       k.used_seconds,
       NULL,
       NULL,
       NULL,
       coalesce(k.clock ->> '$.provisional', 0),
       k.clock ->> '$.config_hash',
       k.cycle,
       coalesce(k.clock ->> '$.given', 0)
FROM (SELECT j.record_id, j.cycle, j.clock,
             coalesce((SELECT unixepoch(m.data ->> '$.due') FROM main.events AS m
                        WHERE m.record_id = j.record_id AND m.id > j.start_id AND m.id < j.next_id
                          AND m.type = 'resumed' AND m.data ->> '$.due' IS NOT NULL
                        ORDER BY m.id DESC LIMIT 1),
                      unixepoch(j.clock ->> '$.due'))                         AS due,
             coalesce(j.closing_at, unixepoch(j.clock ->> '$.stopped_at'))   AS stopped_at,
             coalesce(j.closing_used, j.clock ->> '$.used_seconds')          AS used_seconds
      FROM (SELECT n.record_id AS record_id, n.id AS next_id, s.id AS start_id,
                   (SELECT count(*) FROM main.events AS x
                     WHERE x.record_id = n.record_id AND x.type = 'reopened' AND x.id < n.id) + 1 AS cycle,
                   CASE WHEN s.type = 'reopened' THEN s.data -> '$.clock'
                        WHEN s.data ->> '$.clocks[0].clock' = 'resolve' THEN s.data -> '$.clocks[0]'
                        WHEN s.data ->> '$.clocks[1].clock' = 'resolve' THEN s.data -> '$.clocks[1]' END AS clock,
                   cl.at AS closing_at,
                   cl.data ->> '$.clocks.resolve.used_seconds' AS closing_used
            FROM main.events AS n
            JOIN main.events AS s
              ON s.id = (SELECT max(p.id) FROM main.events AS p
                          WHERE p.record_id = n.record_id AND p.type IN ('filed', 'imported', 'reopened')
                            AND p.id < n.id)
            LEFT JOIN main.events AS cl
              ON cl.id = (SELECT max(q.id) FROM main.events AS q
                           WHERE q.record_id = n.record_id AND q.type = 'closed' AND q.id > s.id AND q.id < n.id)
            WHERE n.type = 'reopened') AS j
      WHERE j.clock IS NOT NULL) AS k;

-- Files attached to records (schemas/0012): their description, never their bytes. Below
-- the record's level only that each exists: its name is the mark, media type, size and
-- digest are NULL (liaison_readable), as `attachment list` shows them.
CREATE TEMP VIEW attachments AS
SELECT a.record_id                           AS record_id,
       (SELECT r.ref FROM main.records AS r WHERE r.id = a.record_id) AS ref,
       a.n                                   AS n,
       a.event_id                            AS event_id,
       liaison_text((SELECT r.level FROM main.records AS r WHERE r.id = a.record_id), a.name) AS name,
       liaison_readable((SELECT r.level FROM main.records AS r WHERE r.id = a.record_id), a.media_type) AS media_type,
       liaison_readable((SELECT r.level FROM main.records AS r WHERE r.id = a.record_id), a.size) AS size,
       liaison_readable((SELECT r.level FROM main.records AS r WHERE r.id = a.record_id), a.sha256) AS sha256,
       (SELECT liaison_time(e.at) FROM main.events AS e WHERE e.id = a.event_id) AS at,
       (SELECT e.at FROM main.events AS e WHERE e.id = a.event_id) AS at_utc,
       (SELECT e.actor FROM main.events AS e WHERE e.id = a.event_id) AS actor
FROM main.attachments AS a;

-- What each record owes, and to or by whom: one row per current clock, its type and
-- holder read from its name (lib/services/services.h): ack and resolve are the owner
-- department's; notify:<party> the report owed to an outside party; receipt:<user> a
-- recipient's signature; approval:<n>:<user> an approver's decision; action:<n>:<user> a
-- meeting's action item, its owner's. `waiting` marks an
-- approval whose turn has not come (or a resolve clock paused by `liaison wait`).
CREATE TEMP VIEW obligations AS
SELECT c.record_id                           AS record_id,
       (SELECT r.ref FROM main.records AS r WHERE r.id = c.record_id) AS ref,
       c.name                                AS clock,
       CASE WHEN instr(c.name, ':') = 0 THEN c.name
            ELSE substr(c.name, 1, instr(c.name, ':') - 1) END AS type,
       CASE WHEN instr(c.name, ':') = 0 THEN (SELECT r.owner FROM main.records AS r WHERE r.id = c.record_id)
            WHEN substr(c.name, 1, 9) = 'approval:' THEN substr(substr(c.name, 10), instr(substr(c.name, 10), ':') + 1)
            WHEN substr(c.name, 1, 7) = 'action:' THEN substr(substr(c.name, 8), instr(substr(c.name, 8), ':') + 1)
            ELSE substr(c.name, instr(c.name, ':') + 1) END AS holder,
       CASE WHEN instr(c.name, ':') = 0 THEN 'department'
            WHEN substr(c.name, 1, 7) = 'notify:' THEN 'party'
            ELSE 'user' END                  AS holder_type,
       liaison_time(c.due)                   AS due,
       c.due                                 AS due_utc,
       liaison_time(c.stopped_at)            AS met_at,
       c.stopped_at                          AS met_at_utc,
       CASE WHEN c.stopped_at IS NULL THEN NULL
            WHEN c.due IS NULL THEN CASE WHEN substr(c.name, 1, 9) = 'approval:' THEN 1 END
            ELSE c.stopped_at <= c.due END   AS on_time,
       c.paused_since IS NOT NULL            AS waiting
FROM main.clocks AS c;
