-- liaison schema, version 6: the complainant's identity (投诉人身份) as a separate,
-- protected part of the record (DESIGN §4). It is never written into the events, which
-- anyone cleared for the record may read: the `filed` event says only whether an
-- identity was given and carries identity_digest = SHA-256 over salt and the fields (see
-- lib/services/services.cpp identity_digest), so an edit of this table shows against the history.
-- Only the owner department's head, top management, admins and the grievance role see
-- it (lib/policy/access.h); each view appends an `identity-viewed` event.
CREATE TABLE identities (
  record_id    INTEGER PRIMARY KEY REFERENCES records(id),
  anonymous    INTEGER NOT NULL DEFAULT 0 CHECK (anonymous IN (0, 1)),  -- 1: filed as anonymous, fields empty
  name         TEXT NOT NULL DEFAULT '',
  position     TEXT NOT NULL DEFAULT '',
  organization TEXT NOT NULL DEFAULT '',
  phone        TEXT NOT NULL DEFAULT '',
  salt         TEXT NOT NULL DEFAULT ''  -- random hex, input of the digest in the filed event
);
