-- The SQLite functions the command-line tests' own queries use (`db` in tests/cli/lib.sh),
-- defined on each test database when the suite runs against PostgreSQL
-- (LIAISON_TEST_DB=postgres), so the same checks read either store. Test scaffolding
-- only: liaison itself never calls them.

-- json_extract(data, '$.a.b[0]'): the value as text, JSON true/false as 1/0 (as SQLite
-- returns them), NULL when absent or when data is not JSON.
CREATE FUNCTION json_extract(data text, path text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  v text;
BEGIN
  v := data::json #>> string_to_array(regexp_replace(substr(path, 3), '\[([0-9]+)\]', '.\1', 'g'), '.');
  RETURN CASE v WHEN 'true' THEN '1' WHEN 'false' THEN '0' ELSE v END;
EXCEPTION WHEN others THEN
  RETURN NULL;
END $$;

CREATE FUNCTION json_valid(data text) RETURNS integer LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  PERFORM data::json;
  RETURN 1;
EXCEPTION WHEN others THEN
  RETURN 0;
END $$;

CREATE FUNCTION instr(haystack text, needle text) RETURNS integer LANGUAGE sql IMMUTABLE
AS $$ SELECT strpos(haystack, needle) $$;

CREATE FUNCTION liaison_test_concat(acc text, value text, sep text) RETURNS text LANGUAGE sql IMMUTABLE
AS $$ SELECT CASE WHEN value IS NULL THEN acc WHEN acc IS NULL THEN value ELSE acc || sep || value END $$;
CREATE FUNCTION liaison_test_concat(acc text, value text) RETURNS text LANGUAGE sql IMMUTABLE
AS $$ SELECT liaison_test_concat(acc, value, ',') $$;
CREATE AGGREGATE group_concat(text, text) (SFUNC = liaison_test_concat, STYPE = text);
CREATE AGGREGATE group_concat(text) (SFUNC = liaison_test_concat, STYPE = text);

-- datetime(utc, 'unixepoch', '+N hours'): "YYYY-MM-DD HH:MM:SS", as SQLite writes it.
CREATE FUNCTION datetime(utc bigint, unit text, shift text) RETURNS text LANGUAGE sql IMMUTABLE
AS $$ SELECT to_char(to_timestamp(utc) AT TIME ZONE 'UTC' + shift::interval, 'YYYY-MM-DD HH24:MI:SS') $$;

-- strftime('%s', 'YYYY-MM-DD HH:MM:SS'): the UTC time's seconds, as SQLite gives them
-- (only '%s' is used by the tests).
CREATE FUNCTION strftime(format text, utc text) RETURNS bigint LANGUAGE sql IMMUTABLE
AS $$ SELECT CASE WHEN format = '%s' THEN extract(epoch FROM (utc::timestamp AT TIME ZONE 'UTC'))::bigint END $$;

-- json_type(data, path): the JSON type at path ('text', 'integer', 'object' …), NULL when absent.
CREATE FUNCTION json_type(data text, path text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  v json;
BEGIN
  v := data::json #> string_to_array(regexp_replace(substr(path, 3), '\[([0-9]+)\]', '.\1', 'g'), '.');
  IF v IS NULL THEN RETURN NULL; END IF;
  RETURN CASE json_typeof(v) WHEN 'string' THEN 'text' WHEN 'number' THEN
    CASE WHEN v::text ~ '^-?[0-9]+$' THEN 'integer' ELSE 'real' END
    WHEN 'boolean' THEN v::text ELSE json_typeof(v) END;
EXCEPTION WHEN others THEN
  RETURN NULL;
END $$;

-- json_set(data, '$.a.b', value): data with that member set to the text value.
CREATE FUNCTION json_set(data text, path text, value text) RETURNS text LANGUAGE sql IMMUTABLE
AS $$ SELECT jsonb_set(data::jsonb, string_to_array(substr(path, 3), '.'), to_jsonb(value))::text $$;

-- json_array_length(data, '$.a'): the length of the array there.
CREATE FUNCTION json_array_length(data text, path text) RETURNS integer LANGUAGE sql IMMUTABLE
AS $$ SELECT json_array_length(data::json #> string_to_array(substr(path, 3), '.')) $$;
