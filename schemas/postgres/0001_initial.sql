-- liaison PostgreSQL schema, version 1: the records, their clocks and their history, as
-- the SQLite schema holds them at its version 16 (schemas/0001-0016), with the same
-- guarantees written in PostgreSQL's terms. Times are UTC seconds (bigint), as on SQLite,
-- so an export is the same bytes from either store. Every text column compares byte by
-- byte (COLLATE "C"), as SQLite's do, whatever the database's collation: lists sort the
-- same on both stores, and a range of names ('action:' to 'action;') is a range of bytes. What SQLite keeps for the report and
-- the search (backlog_due, resolve_cycles, the fts5 index) comes in later versions.
--
-- The history cannot be changed behind liaison's back: triggers refuse every UPDATE,
-- DELETE and TRUNCATE of events, checkpoints, attachments, blobs, event_messages and
-- schedule_records, for every role (an owner who drops a trigger first is caught by
-- `audit verify`, as on SQLite). The one change allowed is a purge's (schemas/0014): the
-- text of an expired record's events, once the record is marked purged.

CREATE TABLE parties (
  id         text COLLATE "C" PRIMARY KEY,
  name       text COLLATE "C" NOT NULL,
  type       text COLLATE "C" NOT NULL,
  contact    text COLLATE "C" NOT NULL DEFAULT '',
  phone      text COLLATE "C" NOT NULL DEFAULT '',
  email      text COLLATE "C" NOT NULL DEFAULT '',
  address    text COLLATE "C" NOT NULL DEFAULT '',
  notes      text COLLATE "C" NOT NULL DEFAULT '',
  created_at bigint NOT NULL
);
CREATE INDEX parties_type ON parties(type, id);

CREATE TABLE records (
  id                    bigint PRIMARY KEY,
  ref                   text COLLATE "C" NOT NULL UNIQUE,
  kind                  text COLLATE "C" NOT NULL,
  direction             text COLLATE "C" NOT NULL CHECK (direction IN ('internal', 'external')),
  flow                  text COLLATE "C" NOT NULL DEFAULT 'none' CHECK (flow IN ('none', 'upward', 'downward', 'lateral')),
  subject               text COLLATE "C" NOT NULL,
  body                  text COLLATE "C" NOT NULL DEFAULT '',
  channel               text COLLATE "C" NOT NULL DEFAULT '',
  party                 text COLLATE "C" REFERENCES parties(id),
  from_dept             text COLLATE "C" NOT NULL DEFAULT '',
  owner                 text COLLATE "C" NOT NULL,
  assignee              text COLLATE "C" NOT NULL DEFAULT '',
  level                 text COLLATE "C" NOT NULL,
  major                 smallint NOT NULL DEFAULT 0 CHECK (major IN (0, 1)),
  status                text COLLATE "C" NOT NULL CHECK (status IN ('open', 'acknowledged', 'waiting', 'closed')),
  outcome               text COLLATE "C",
  resolution            text COLLATE "C" NOT NULL DEFAULT '',
  reply_via             text COLLATE "C" NOT NULL DEFAULT '',
  capa                  text COLLATE "C" NOT NULL DEFAULT '',
  rule                  text COLLATE "C" NOT NULL DEFAULT '',
  notify                text COLLATE "C" NOT NULL DEFAULT '',
  escalated_to          text COLLATE "C" NOT NULL DEFAULT '',
  received_at           bigint NOT NULL,
  created_at            bigint NOT NULL,
  created_by            text COLLATE "C" NOT NULL,
  ack_due               bigint,
  acked_at              bigint,
  due                   bigint,
  closed_at             bigint,
  purged_at             bigint,
  anonymised_at         bigint,
  topic                 text COLLATE "C" NOT NULL DEFAULT '',
  customer_ref          text COLLATE "C" NOT NULL DEFAULT '',
  eight_d               text COLLATE "C" NOT NULL DEFAULT '',
  their_ref             text COLLATE "C" NOT NULL DEFAULT '',
  compliance_obligation text COLLATE "C" NOT NULL DEFAULT ''
);
CREATE INDEX records_status_kind_owner ON records(status, kind, owner, received_at);
CREATE INDEX records_owner_status ON records(owner, status);
CREATE INDEX records_received ON records(received_at, direction, kind, owner, channel, party, topic);
CREATE INDEX records_party ON records(party) WHERE party IS NOT NULL;
CREATE INDEX records_open_due ON records(due, owner, status, received_at, ref) WHERE status <> 'closed';
CREATE INDEX records_unacked_due ON records(ack_due) WHERE acked_at IS NULL AND status <> 'closed';
CREATE INDEX records_assignee ON records(assignee) WHERE assignee <> '';
CREATE INDEX records_closed_at ON records(closed_at, due, received_at, status, owner) WHERE closed_at IS NOT NULL;
CREATE INDEX records_major ON records(received_at, status, closed_at) WHERE major = 1;
CREATE INDEX records_purgeable ON records(kind, closed_at) WHERE status = 'closed' AND purged_at IS NULL;
CREATE INDEX records_customer_ref ON records(customer_ref) WHERE customer_ref <> '';
CREATE INDEX records_eight_d ON records(eight_d) WHERE eight_d <> '';
CREATE INDEX records_their_ref ON records(their_ref) WHERE their_ref <> '';
CREATE INDEX records_topic ON records(topic, received_at) WHERE topic <> '';

CREATE TABLE clocks (
  record_id      bigint NOT NULL REFERENCES records(id),
  name           text COLLATE "C" NOT NULL,
  duration       text COLLATE "C" NOT NULL,
  started_at     bigint NOT NULL,
  due            bigint,
  stopped_at     bigint,
  used_seconds   bigint,
  paused_since   bigint,
  paused_seconds bigint NOT NULL DEFAULT 0,
  config_hash    text COLLATE "C" NOT NULL,
  provisional    smallint NOT NULL DEFAULT 0,
  given          smallint NOT NULL DEFAULT 0 CHECK (given IN (0, 1)),
  PRIMARY KEY (record_id, name)
);
CREATE INDEX clocks_stopped ON clocks(name, stopped_at, due, used_seconds) WHERE stopped_at IS NOT NULL;
CREATE INDEX clocks_due ON clocks(name, due, stopped_at, used_seconds) WHERE due IS NOT NULL;
CREATE INDEX clocks_open ON clocks(name) WHERE stopped_at IS NULL;

-- Numbered 1, 2, 3 … without gaps: the writer takes the next number inside its
-- serialised write transaction (liaison takes a transaction-scoped advisory lock before
-- it reads the chain's tip), so two writers never fork the chain.
CREATE TABLE events (
  id          bigint PRIMARY KEY,
  record_id   bigint REFERENCES records(id),
  type        text COLLATE "C" NOT NULL,
  actor       text COLLATE "C" NOT NULL,
  at          bigint NOT NULL,
  data        text COLLATE "C" NOT NULL,          -- JSON object with sorted keys, kept as the bytes hashed
  prev_hash   text COLLATE "C" NOT NULL,
  hash        text COLLATE "C" NOT NULL,
  salt        text COLLATE "C" NOT NULL DEFAULT '',
  recorded_at bigint,
  data_sha256 text COLLATE "C"
);
CREATE INDEX events_record ON events(record_id, id);
CREATE INDEX events_type_at ON events(type, at, record_id);
CREATE INDEX events_record_type ON events(record_id, type, id);

CREATE FUNCTION liaison_append_only() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  RAISE EXCEPTION '% are append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END $$;

CREATE FUNCTION liaison_events_insert() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  IF NEW.id <= (SELECT coalesce(max(id), 0) FROM events) THEN
    RAISE EXCEPTION 'events are append-only' USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$;

-- A purge may empty an event of a closed record marked purged, setting the digest of
-- what it held (data_sha256, the SHA-256 of its data, which must be that digest); nothing
-- else of an event ever changes.
CREATE FUNCTION liaison_events_update() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  IF NEW.id IS NOT DISTINCT FROM OLD.id AND NEW.record_id IS NOT DISTINCT FROM OLD.record_id
     AND NEW.type IS NOT DISTINCT FROM OLD.type AND NEW.actor IS NOT DISTINCT FROM OLD.actor
     AND NEW.at IS NOT DISTINCT FROM OLD.at AND NEW.prev_hash IS NOT DISTINCT FROM OLD.prev_hash
     AND NEW.hash IS NOT DISTINCT FROM OLD.hash AND NEW.salt IS NOT DISTINCT FROM OLD.salt
     AND NEW.recorded_at IS NOT DISTINCT FROM OLD.recorded_at
     AND NEW.data_sha256 IS NOT NULL
     AND NEW.data_sha256 = coalesce(OLD.data_sha256, encode(sha256(convert_to(OLD.data, 'UTF8')), 'hex'))
     AND OLD.record_id IS NOT NULL
     AND EXISTS (SELECT 1 FROM records r WHERE r.id = OLD.record_id AND r.status = 'closed'
                 AND r.purged_at IS NOT NULL) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'events are append-only' USING ERRCODE = 'restrict_violation';
END $$;

CREATE TRIGGER events_append_only BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION liaison_events_insert();
CREATE TRIGGER events_no_update BEFORE UPDATE ON events FOR EACH ROW EXECUTE FUNCTION liaison_events_update();
CREATE TRIGGER events_no_delete BEFORE DELETE ON events FOR EACH ROW EXECUTE FUNCTION liaison_append_only();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events FOR EACH STATEMENT EXECUTE FUNCTION liaison_append_only();

CREATE TABLE sequences (
  name text COLLATE "C" PRIMARY KEY,
  last bigint NOT NULL
);

CREATE TABLE identities (
  record_id    bigint PRIMARY KEY REFERENCES records(id),
  anonymous    smallint NOT NULL DEFAULT 0 CHECK (anonymous IN (0, 1)),
  name         text COLLATE "C" NOT NULL DEFAULT '',
  position     text COLLATE "C" NOT NULL DEFAULT '',
  organization text COLLATE "C" NOT NULL DEFAULT '',
  phone        text COLLATE "C" NOT NULL DEFAULT '',
  salt         text COLLATE "C" NOT NULL DEFAULT ''
);

CREATE TABLE checkpoints (
  id         bigint PRIMARY KEY,
  event_id   bigint NOT NULL,
  event_hash text COLLATE "C" NOT NULL,
  at         bigint NOT NULL,
  public_key text COLLATE "C" NOT NULL,
  signature  text COLLATE "C" NOT NULL,
  statement  text COLLATE "C" NOT NULL
);
CREATE TRIGGER checkpoints_no_update BEFORE UPDATE OR DELETE ON checkpoints
  FOR EACH ROW EXECUTE FUNCTION liaison_append_only();
CREATE TRIGGER checkpoints_no_truncate BEFORE TRUNCATE ON checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION liaison_append_only();

CREATE TABLE blobs (
  sha256  text COLLATE "C" PRIMARY KEY,
  size    bigint NOT NULL,
  content bytea NOT NULL
);
CREATE TABLE attachments (
  record_id  bigint NOT NULL REFERENCES records(id),
  n          integer NOT NULL,
  event_id   bigint NOT NULL REFERENCES events(id),
  name       text COLLATE "C" NOT NULL,
  media_type text COLLATE "C" NOT NULL,
  size       bigint NOT NULL,
  sha256     text COLLATE "C" NOT NULL REFERENCES blobs(sha256),
  PRIMARY KEY (record_id, n)
);
CREATE INDEX attachments_event ON attachments(event_id);
CREATE INDEX attachments_sha256 ON attachments(sha256);

-- A purge keeps an attachment's row but not its name, and a file's bytes only while a
-- record not purged still lists them.
CREATE FUNCTION liaison_attachments_update() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  IF NEW.record_id = OLD.record_id AND NEW.n = OLD.n AND NEW.event_id = OLD.event_id
     AND NEW.media_type = OLD.media_type AND NEW.size = OLD.size AND NEW.sha256 = OLD.sha256 AND NEW.name = ''
     AND EXISTS (SELECT 1 FROM records r WHERE r.id = OLD.record_id AND r.purged_at IS NOT NULL) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'attachments are append-only' USING ERRCODE = 'restrict_violation';
END $$;
CREATE FUNCTION liaison_blobs_update() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  IF NEW.sha256 = OLD.sha256 AND NEW.size = OLD.size AND length(NEW.content) = 0
     AND NOT EXISTS (SELECT 1 FROM attachments a JOIN records r ON r.id = a.record_id
                     WHERE a.sha256 = OLD.sha256 AND r.purged_at IS NULL) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'attachments are append-only' USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER attachments_no_update BEFORE UPDATE ON attachments FOR EACH ROW EXECUTE FUNCTION liaison_attachments_update();
CREATE TRIGGER attachments_no_delete BEFORE DELETE ON attachments FOR EACH ROW EXECUTE FUNCTION liaison_append_only();
CREATE TRIGGER attachments_no_truncate BEFORE TRUNCATE ON attachments FOR EACH STATEMENT EXECUTE FUNCTION liaison_append_only();
CREATE TRIGGER blobs_no_update BEFORE UPDATE ON blobs FOR EACH ROW EXECUTE FUNCTION liaison_blobs_update();
CREATE TRIGGER blobs_no_delete BEFORE DELETE ON blobs FOR EACH ROW EXECUTE FUNCTION liaison_append_only();
CREATE TRIGGER blobs_no_truncate BEFORE TRUNCATE ON blobs FOR EACH STATEMENT EXECUTE FUNCTION liaison_append_only();

-- The indexes a trigger keeps from the history as each event is written: the digest of a
-- mail's Message-ID (schemas/0013) and the period a scheduled record was filed for
-- (schemas/0016). Data that is not JSON indexes nothing (as json_valid() on SQLite).
CREATE TABLE event_messages (
  message_sha256 text COLLATE "C" PRIMARY KEY,
  event_id       bigint NOT NULL REFERENCES events(id)
);
CREATE TABLE schedule_records (
  schedule  text COLLATE "C" NOT NULL,
  period    text COLLATE "C" NOT NULL,
  record_id bigint NOT NULL REFERENCES records(id),
  PRIMARY KEY (schedule, period)
);

-- SECURITY DEFINER: it writes the two indexes with its owner's rights, so the
-- application's role, which may not write them (grants.sql), cannot forge a row in them.
-- A \u0000 in a mail's text is valid JSON that PostgreSQL's json functions refuse to
-- unescape: it is read as U+FFFD here, where only the digest and the period are taken.
CREATE FUNCTION liaison_events_indexed() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  d json;
BEGIN
  IF TG_RELID <> 'public.events'::regclass THEN
    RAISE EXCEPTION 'liaison_events_indexed keeps the indexes of events only' USING ERRCODE = 'restrict_violation';
  END IF;
  IF position('"message_sha256"' IN NEW.data) = 0 AND position('"schedule"' IN NEW.data) = 0 THEN
    RETURN NULL;
  END IF;
  BEGIN
    d := replace(NEW.data, '\u0000', '\ufffd')::json;
  EXCEPTION WHEN invalid_text_representation THEN
    RETURN NULL;
  END;
  IF json_typeof(d) = 'object' AND d ->> 'message_sha256' IS NOT NULL THEN
    INSERT INTO event_messages (message_sha256, event_id) VALUES (d ->> 'message_sha256', NEW.id);
  END IF;
  IF NEW.type = 'filed' AND json_typeof(d) = 'object' AND d #>> '{schedule,id}' IS NOT NULL THEN
    INSERT INTO schedule_records (schedule, period, record_id)
    VALUES (d #>> '{schedule,id}', d #>> '{schedule,period}', NEW.record_id);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER events_indexed AFTER INSERT ON events FOR EACH ROW EXECUTE FUNCTION liaison_events_indexed();
CREATE TRIGGER event_messages_no_update BEFORE UPDATE OR DELETE ON event_messages
  FOR EACH ROW EXECUTE FUNCTION liaison_append_only();
CREATE TRIGGER event_messages_no_truncate BEFORE TRUNCATE ON event_messages
  FOR EACH STATEMENT EXECUTE FUNCTION liaison_append_only();
CREATE TRIGGER schedule_records_no_update BEFORE UPDATE OR DELETE ON schedule_records
  FOR EACH ROW EXECUTE FUNCTION liaison_append_only();
CREATE TRIGGER schedule_records_no_truncate BEFORE TRUNCATE ON schedule_records
  FOR EACH STATEMENT EXECUTE FUNCTION liaison_append_only();
