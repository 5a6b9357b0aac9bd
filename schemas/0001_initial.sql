-- liaison schema, version 1: parties, records, their clocks, the event history and
-- the reference sequences. Times are UTC seconds since the epoch (INTEGER).

-- Outside organisations and persons (联系数据库).
CREATE TABLE parties (
  id         TEXT PRIMARY KEY,          -- short code chosen at registration, e.g. 'svw'
  name       TEXT NOT NULL,
  type       TEXT NOT NULL,             -- party type id from the config
  contact    TEXT NOT NULL DEFAULT '',
  phone      TEXT NOT NULL DEFAULT '',
  email      TEXT NOT NULL DEFAULT '',
  address    TEXT NOT NULL DEFAULT '',
  notes      TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX parties_type ON parties(type, id);

-- One row per communication: its current state. What happened to it is in events.
CREATE TABLE records (
  id           INTEGER PRIMARY KEY,
  ref          TEXT NOT NULL UNIQUE,     -- EXT-2026-00042; gap-free within its sequence
  kind         TEXT NOT NULL,
  direction    TEXT NOT NULL CHECK (direction IN ('internal', 'external')),
  flow         TEXT NOT NULL DEFAULT 'none' CHECK (flow IN ('none', 'upward', 'downward', 'lateral')),
  subject      TEXT NOT NULL,
  body         TEXT NOT NULL DEFAULT '',
  channel      TEXT NOT NULL DEFAULT '',
  party        TEXT REFERENCES parties(id),   -- NULL when there is none
  from_dept    TEXT NOT NULL DEFAULT '',
  owner        TEXT NOT NULL,            -- owner department id (归口部门)
  assignee     TEXT NOT NULL DEFAULT '',
  level        TEXT NOT NULL,            -- confidentiality level id
  major        INTEGER NOT NULL DEFAULT 0 CHECK (major IN (0, 1)),
  status       TEXT NOT NULL CHECK (status IN ('open', 'acknowledged', 'waiting', 'closed')),
  outcome      TEXT,                     -- set when closed
  resolution   TEXT NOT NULL DEFAULT '',
  reply_via    TEXT NOT NULL DEFAULT '',
  capa         TEXT NOT NULL DEFAULT '',
  rule         TEXT NOT NULL DEFAULT '', -- the rule that routed it on filing
  notify       TEXT NOT NULL DEFAULT '', -- department ids notified, comma-separated
  escalated_to TEXT NOT NULL DEFAULT '',
  received_at  INTEGER NOT NULL,
  created_at   INTEGER NOT NULL,
  created_by   TEXT NOT NULL,
  ack_due      INTEGER,                  -- copy of clocks(ack).due, for listing
  acked_at     INTEGER,
  due          INTEGER,                  -- copy of clocks(resolve).due, for listing
  closed_at    INTEGER
);
CREATE INDEX records_status_kind_owner ON records(status, kind, owner, received_at);
CREATE INDEX records_owner_status ON records(owner, status);
CREATE INDEX records_received ON records(received_at);
CREATE INDEX records_party ON records(party) WHERE party IS NOT NULL;
CREATE INDEX records_open_due ON records(due) WHERE status <> 'closed';
CREATE INDEX records_assignee ON records(assignee) WHERE assignee <> '';

-- Each obligation of a record is its own clock (DESIGN §2): acknowledge, resolve, …
-- `due` is fixed when set, with the hash of the config that set it.
CREATE TABLE clocks (
  record_id      INTEGER NOT NULL REFERENCES records(id),
  name           TEXT NOT NULL,          -- 'ack', 'resolve'
  duration       TEXT NOT NULL,          -- as configured, e.g. '5wd'
  started_at     INTEGER NOT NULL,
  due            INTEGER,                -- NULL: the kind sets no such deadline
  stopped_at     INTEGER,                -- when the obligation was met
  used_seconds   INTEGER,                -- working seconds used, net of pauses, when stopped
  paused_since   INTEGER,                -- set while paused
  paused_seconds INTEGER NOT NULL DEFAULT 0,
  config_hash    TEXT NOT NULL,
  provisional    INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (record_id, name)
) WITHOUT ROWID;

-- The append-only history. Each event's hash is SHA-256 over the previous event's hash
-- and the canonical encoding of this one (see Store::event_digest), so an edit or a
-- deletion made behind the tool's back breaks the chain and `audit verify` finds it.
CREATE TABLE events (
  id        INTEGER PRIMARY KEY,         -- 1, 2, 3 … without gaps
  record_id INTEGER REFERENCES records(id),   -- NULL for registry events (parties)
  type      TEXT NOT NULL,               -- filed, routed, acknowledged, logged, …
  actor     TEXT NOT NULL,
  at        INTEGER NOT NULL,
  data      TEXT NOT NULL,               -- JSON object with sorted keys
  prev_hash TEXT NOT NULL,               -- '' for the first event
  hash      TEXT NOT NULL
);
CREATE INDEX events_record ON events(record_id, id);

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
-- INSERT OR REPLACE deletes the row it replaces without firing DELETE triggers, so new
-- events must come after the last one.
CREATE TRIGGER events_append_only BEFORE INSERT ON events
WHEN NEW.id <= (SELECT coalesce(max(id), 0) FROM events)
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

-- Last number handed out per reference sequence ('EXT-2026-' …). Updated in the
-- filing transaction, so a failed filing consumes no number.
CREATE TABLE sequences (
  name TEXT PRIMARY KEY,
  last INTEGER NOT NULL
) WITHOUT ROWID;
