-- liaison schema, version 17: an action item's evidence is found by search.
--
-- `action done --evidence TEXT` keeps the evidence under the key "evidence" of its
-- action-done event, a key search_text (schemas/0005) did not read: redaction and purge
-- treated it as free text, search did not. The two views are made again with it, as
-- 0005 says them otherwise, and the action-done events already written, whose evidence
-- was their only free text and so never indexed, are indexed now.
DROP VIEW search_items;
DROP VIEW search_text;

CREATE VIEW search_text AS
SELECT e.id AS event_id, e.record_id AS record_id, t.key AS key, t.value AS text
FROM events e, json_tree(CASE WHEN json_valid(e.data) THEN e.data ELSE '{}' END) t
WHERE e.record_id IS NOT NULL AND t.type = 'text' AND t.value <> ''
  AND t.key IN ('subject', 'body', 'text', 'reason', 'note', 'resolution', 'explanation', 'capa', 'evidence');

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

INSERT INTO search(rowid, subject, body, history)
SELECT item, subject, body, history FROM search_items
WHERE event_id IN (SELECT id FROM events WHERE type = 'action-done');
