-- liaison schema, version 7: salted, bitemporal events and signed checkpoints (issue 10).
--
-- Each new event carries a random salt that its hash covers, so the hash of an event
-- confirms nothing about a guessed text to someone who may not read the event (the salt
-- is shown only to those who may), and the real time it was recorded beside the time it
-- took effect (`at`, which --now sets). Events written before this version keep an empty
-- salt and no recorded_at: their hashes stay as they were (lib/services/chain.h).
ALTER TABLE events ADD COLUMN salt TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN recorded_at INTEGER;   -- UTC seconds; NULL: before version 7

-- Signed checkpoints (`liaison audit checkpoint`): the newest event and its chain hash at
-- a moment, signed with an Ed25519 key held outside the database. A copy kept elsewhere
-- (mail, paper) or the public key lets `audit verify` find a truncated or recomputed
-- chain. `statement` is the signed text exactly; the other columns repeat what it says.
CREATE TABLE checkpoints (
  id         INTEGER PRIMARY KEY,
  event_id   INTEGER NOT NULL,
  event_hash TEXT NOT NULL,
  at         INTEGER NOT NULL,                 -- UTC seconds, the real clock
  public_key TEXT NOT NULL,                    -- hex of the raw 32-byte Ed25519 key
  signature  TEXT NOT NULL,                    -- hex of the 64-byte signature over statement
  statement  TEXT NOT NULL
);
CREATE TRIGGER checkpoints_no_update BEFORE UPDATE ON checkpoints
BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;
CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints
BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;
