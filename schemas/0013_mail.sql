-- liaison schema, version 13: mail intake (issue 13).
--
-- `liaison mail-in` files a message, or logs it on the record it answers, with the
-- SHA-256 of its Message-ID in the event's data ("message_sha256"; the digest, not the
-- id, which often names the sender). `event_messages` finds the event a Message-ID went
-- to: a message delivered twice is filed once, and a reply naming an earlier message in
-- In-Reply-To or References joins that message's record. The trigger keeps it from the
-- events themselves, so an import or a restore has nothing to rebuild, and its primary
-- key means two deliveries of one message racing each other cannot both be written: the
-- second's transaction fails, and mail-in then finds the first. (A table, not an index on
-- json_extract(data, …): the auditors' query session reads the schema with
-- trusted_schema off, which refuses JSON functions in an index.)
CREATE TABLE event_messages (
  message_sha256 TEXT PRIMARY KEY,                 -- lowercase hex
  event_id       INTEGER NOT NULL REFERENCES events(id)
) WITHOUT ROWID;

-- (An old database may hold event data that is not JSON; it holds no digest either.)
INSERT INTO event_messages (message_sha256, event_id)
  SELECT digest, id FROM (
    SELECT CASE WHEN json_valid(data) THEN json_extract(data, '$.message_sha256') END AS digest, id FROM events)
  WHERE digest IS NOT NULL;

CREATE TRIGGER event_messages_kept AFTER INSERT ON events
  WHEN json_valid(NEW.data) AND json_extract(NEW.data, '$.message_sha256') IS NOT NULL
BEGIN
  INSERT INTO event_messages (message_sha256, event_id) VALUES (json_extract(NEW.data, '$.message_sha256'), NEW.id);
END;

CREATE TRIGGER event_messages_no_update BEFORE UPDATE ON event_messages
BEGIN SELECT RAISE(ABORT, 'event_messages are append-only'); END;
CREATE TRIGGER event_messages_no_delete BEFORE DELETE ON event_messages
BEGIN SELECT RAISE(ABORT, 'event_messages are append-only'); END;
