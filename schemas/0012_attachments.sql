-- liaison schema, version 12: attachments (issue 13).
--
-- A file attached to a record (`file --attach`, `log --attach`) is kept inside the
-- database, so one file still holds everything to back up. Its bytes are kept once, by
-- their SHA-256 (`blobs`), however many records attach the same file. Each attachment
-- names the event that added it; that event's data lists the attachment (n, name,
-- media_type, size, sha256), so the chain's hash covers the digest and `audit verify`
-- finds a swapped file (the blob no longer hashes to it) or a row that is not the
-- history's.
CREATE TABLE blobs (
  sha256  TEXT PRIMARY KEY,                  -- lowercase hex of the content's SHA-256
  size    INTEGER NOT NULL,
  content BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE attachments (
  record_id  INTEGER NOT NULL REFERENCES records(id),
  n          INTEGER NOT NULL,               -- 1, 2, 3 … within the record, in the order added
  event_id   INTEGER NOT NULL REFERENCES events(id),
  name       TEXT NOT NULL,                  -- the file's name as given, without its folder
  media_type TEXT NOT NULL,                  -- detected from the content (libmagic)
  size       INTEGER NOT NULL,
  sha256     TEXT NOT NULL REFERENCES blobs(sha256),
  PRIMARY KEY (record_id, n)
) WITHOUT ROWID;
CREATE INDEX attachments_event ON attachments(event_id);

-- Like the events they belong to, attachments and their bytes are never changed.
CREATE TRIGGER attachments_no_update BEFORE UPDATE ON attachments
BEGIN SELECT RAISE(ABORT, 'attachments are append-only'); END;
CREATE TRIGGER attachments_no_delete BEFORE DELETE ON attachments
BEGIN SELECT RAISE(ABORT, 'attachments are append-only'); END;
CREATE TRIGGER blobs_no_update BEFORE UPDATE ON blobs
BEGIN SELECT RAISE(ABORT, 'attachments are append-only'); END;
CREATE TRIGGER blobs_no_delete BEFORE DELETE ON blobs
BEGIN SELECT RAISE(ABORT, 'attachments are append-only'); END;
