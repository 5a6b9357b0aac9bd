-- liaison PostgreSQL schema, version 2: full-text search, and event data read as JSON.
--
-- search_index holds, for each event of a record with free text, the terms the project's
-- own tokenizer (lib/fts/fts_tokenizer.h) makes of it, as a tsvector written by liaison
-- (lib/store/postgres/pg_search.h): Chinese runs as overlapping bigrams, so a
-- two-character word matches, with no extension beyond what PostgreSQL ships. Weights:
-- A the subject, B the body, C the rest of the history's text. It is derived from the
-- events and rebuilt from them; a purge takes a record's rows out.
CREATE TABLE search_index (
  event_id  bigint PRIMARY KEY REFERENCES events(id),
  record_id bigint NOT NULL REFERENCES records(id),
  terms     tsvector NOT NULL
);
CREATE INDEX search_index_terms ON search_index USING gin (terms);
CREATE INDEX search_index_record ON search_index(record_id);

-- An event's data as JSON, or NULL when it is not a JSON object (as json_valid() guards
-- on SQLite); a \u0000, valid JSON that PostgreSQL's json functions refuse to unescape, is
-- read as U+FFFD.
CREATE FUNCTION liaison_json(data text) RETURNS json LANGUAGE plpgsql IMMUTABLE STRICT
SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  d json;
BEGIN
  d := replace(data, '\u0000', '\ufffd')::json;
  RETURN CASE WHEN json_typeof(d) = 'object' THEN d END;
EXCEPTION WHEN invalid_text_representation THEN
  RETURN NULL;
END $$;
