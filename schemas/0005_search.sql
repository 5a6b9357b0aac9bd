-- liaison schema, version 5: full-text search over what records say.
--
-- search_text: every free-text value in the history of the records, one row per value:
-- string values under the keys subject, body, text, reason, note, resolution,
-- explanation and capa of an event's data (the keys redaction hides, lib/policy/access.h), at
-- any depth. The record's subject and body as filed are in its "filed" event; later
-- notes, reasons and resolutions in the events that added them. Malformed data is skipped.
CREATE VIEW search_text AS
SELECT e.id AS event_id, e.record_id AS record_id, t.key AS key, t.value AS text
FROM events e, json_tree(CASE WHEN json_valid(e.data) THEN e.data ELSE '{}' END) t
WHERE e.record_id IS NOT NULL AND t.type = 'text' AND t.value <> ''
  AND t.key IN ('subject', 'body', 'text', 'reason', 'note', 'resolution', 'explanation', 'capa');

-- search_items: what the index holds, one row per event with free text. `item` is the
-- index rowid: record_id * 2^24 + ordinal * 2^8 + length, where ordinal is the number of
-- earlier events of the same record and length the number of terms of the row (up to
-- 255, by liaison_terms()). So a match names its record (item >> 24) without reading a
-- table, the ranking function liaison_rank() has the row's length without a lookup
-- (lib/fts_sqlite_functions.h), and the same event always gets the same rowid (a rebuild
-- reproduces the index). Events after a record's 65,536th are not indexed.
CREATE VIEW search_items AS
SELECT (record_id << 24) + (ordinal << 8) + min(255, liaison_terms(subject, body, history)) AS item,
       event_id, record_id, subject, body, history
FROM (SELECT event_id, record_id,
             (SELECT count(*) FROM events p WHERE p.record_id = s.record_id AND p.id < s.event_id) AS ordinal,
             group_concat(text, char(10)) FILTER (WHERE key = 'subject') AS subject,
             group_concat(text, char(10)) FILTER (WHERE key = 'body') AS body,
             group_concat(text, char(10)) FILTER (WHERE key NOT IN ('subject', 'body')) AS history
      FROM search_text s
      GROUP BY event_id)
WHERE ordinal < 65536;

-- The index: FTS5, contentless (the text stays in events; the index holds only terms
-- and positions), tokenizer 'liaison' (lib/fts/fts_tokenizer.h: words; CJK runs as
-- overlapping bigrams plus each run's last character), ranked by liaison_rank(). Rows are only ever added, like
-- events: logging, closing, reopening … each append one. The store adds them in the
-- event's own transaction (lib/store/sqlite/store_sqlite_search.cpp), not a trigger: a trigger would
-- need the tokenizer in every program that writes events, the sqlite3 shell included.
-- To query or rebuild it from the sqlite3 shell: `.load build/liaison_fts` (see
-- liaison-search(1)); a rebuild is INSERT INTO search(search) VALUES ('delete-all')
-- followed by the backfill below (Store::rebuild_search_index does the same).
-- columnsize=0: FTS5 keeps no per-row sizes (%_docsize, 52 MB at 1,000,000 records),
-- as the rowid carries the length.
CREATE VIRTUAL TABLE search USING fts5(subject, body, history, content = '', columnsize = 0, tokenize = 'liaison');

-- Backfill: the records and events already there.
INSERT INTO search(rowid, subject, body, history) SELECT item, subject, body, history FROM search_items;
