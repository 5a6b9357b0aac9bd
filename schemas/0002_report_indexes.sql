-- liaison schema, version 2: indexes for reports and reminders.
-- `report` counts lifecycle events (closed, reopened, acknowledged, reminded …) by type
-- and time, and `remind` looks up the reminders sent since a moment.
CREATE INDEX events_type_at ON events(type, at, record_id);
