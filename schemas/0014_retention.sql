-- liaison schema, version 14: retention, purge and anonymisation (issue 13).
--
-- An event's hash now covers the SHA-256 of its data, not the data itself: new events
-- keep that digest in `data_sha256`, and their hash is formed over it (form 2,
-- lib/services/chain.h). `liaison purge` may then take the free text out of an expired
-- record's events and the hash still verifies. Events written before this version keep
-- their hashes (signed checkpoints name them); when a purge empties one of them, it sets
-- its `data_sha256` to the digest of the data it had, and the `purged` event that follows
-- in the chain seals what is left of it (lib/services/retention.h). Nothing else of an
-- event can change: the trigger below refuses every other update, and `audit verify`
-- requires every event whose data no longer matches its digest to be sealed so. Only the
-- events of a record already marked purged may be changed so.
ALTER TABLE events ADD COLUMN data_sha256 TEXT;      -- lowercase hex; NULL: before version 14, never purged

DROP TRIGGER IF EXISTS events_no_update;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
WHEN NOT (NEW.id IS OLD.id AND NEW.record_id IS OLD.record_id AND NEW.type IS OLD.type
          AND NEW.actor IS OLD.actor AND NEW.at IS OLD.at AND NEW.prev_hash IS OLD.prev_hash
          AND NEW.hash IS OLD.hash AND NEW.salt IS OLD.salt AND NEW.recorded_at IS OLD.recorded_at
          AND NEW.data_sha256 IS NOT NULL AND (OLD.data_sha256 IS NULL OR NEW.data_sha256 IS OLD.data_sha256)
          AND OLD.record_id IS NOT NULL
          AND EXISTS (SELECT 1 FROM records r WHERE r.id = OLD.record_id AND r.purged_at IS NOT NULL))
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

-- When a record's content went (`purged`) and when its complainant's identity went
-- (`anonymised`): each set by the event of that name, which `audit verify` replays.
ALTER TABLE records ADD COLUMN purged_at INTEGER;      -- UTC seconds; NULL: content kept
ALTER TABLE records ADD COLUMN anonymised_at INTEGER;  -- UTC seconds; NULL: identity kept

-- A purge keeps an attachment's row (its number, size, digest and media type) but not its
-- name, and keeps a file's bytes only while a record not purged still lists them.
DROP TRIGGER IF EXISTS attachments_no_update;
CREATE TRIGGER attachments_no_update BEFORE UPDATE ON attachments
WHEN NOT (NEW.record_id IS OLD.record_id AND NEW.n IS OLD.n AND NEW.event_id IS OLD.event_id
          AND NEW.media_type IS OLD.media_type AND NEW.size IS OLD.size AND NEW.sha256 IS OLD.sha256
          AND NEW.name = ''
          AND EXISTS (SELECT 1 FROM records r WHERE r.id = OLD.record_id AND r.purged_at IS NOT NULL))
BEGIN SELECT RAISE(ABORT, 'attachments are append-only'); END;
DROP TRIGGER IF EXISTS blobs_no_update;
CREATE TRIGGER blobs_no_update BEFORE UPDATE ON blobs
WHEN NOT (NEW.sha256 IS OLD.sha256 AND NEW.size IS OLD.size AND length(NEW.content) = 0
          AND NOT EXISTS (SELECT 1 FROM attachments a JOIN records r ON r.id = a.record_id
                          WHERE a.sha256 = OLD.sha256 AND r.purged_at IS NULL))
BEGIN SELECT RAISE(ABORT, 'attachments are append-only'); END;
CREATE INDEX attachments_sha256 ON attachments(sha256);
-- What `purge` reads: a kind's closed records not purged, by closing (RetentionStore::closed_records).
CREATE INDEX records_purgeable ON records(kind, closed_at) WHERE status = 'closed' AND purged_at IS NULL;
