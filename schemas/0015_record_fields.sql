-- liaison schema, version 15: the fields auditors sample beside the kind, and letters'
-- references and deadlines (liaison-file(1), liaison-edit(1)).
--
-- topic: what the record is about (质量, 安全, 设备 …), an id from the config's [[topic]]
-- list, '' = none. customer_ref: the customer's own number for a complaint; eight_d: the
-- 8D report's number beside the CAPA reference. All three are set on filing and changed
-- by `liaison edit` (an `edited` event with the values before and after); eight_d also
-- by `close --8d`.
ALTER TABLE records ADD COLUMN topic TEXT NOT NULL DEFAULT '';
ALTER TABLE records ADD COLUMN customer_ref TEXT NOT NULL DEFAULT '';
ALTER TABLE records ADD COLUMN eight_d TEXT NOT NULL DEFAULT '';
-- A letter from a regulator or certification body: their reference number (来文编号) and
-- the compliance obligation it concerns; both set on filing (--their-ref, --obligation)
-- and by `liaison edit`.
ALTER TABLE records ADD COLUMN their_ref TEXT NOT NULL DEFAULT '';
ALTER TABLE records ADD COLUMN compliance_obligation TEXT NOT NULL DEFAULT '';
-- 1: the clock's deadline was given by the sender (`file --due`), not set by the kind.
ALTER TABLE clocks ADD COLUMN given INTEGER NOT NULL DEFAULT 0 CHECK (given IN (0, 1));

-- `list --customer-ref` and `--8d` find a record by a number: one probe each.
CREATE INDEX records_customer_ref ON records(customer_ref) WHERE customer_ref <> '';
CREATE INDEX records_eight_d ON records(eight_d) WHERE eight_d <> '';
CREATE INDEX records_their_ref ON records(their_ref) WHERE their_ref <> '';
CREATE INDEX records_topic ON records(topic, received_at) WHERE topic <> '';

-- The report's volume reads every dimension of the period's records from this index
-- alone (lib/store/sqlite/store_sqlite_report.cpp, volume): the topic joins them.
DROP INDEX records_received;
CREATE INDEX records_received ON records(received_at, direction, kind, owner, channel, party, topic);
