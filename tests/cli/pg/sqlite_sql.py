#!/usr/bin/env python3
"""Reads a test's SQLite query on stdin and writes it for PostgreSQL on stdout (`db` in
tests/cli/lib.sh, LIAISON_TEST_DB=postgres): a subquery in FROM or JOIN gets the alias
PostgreSQL 15 requires, coalesce(column, '') reads the column as text, a blob literal is
bytea and DROP TRIGGER switches the trigger off. The functions SQLite has and PostgreSQL lacks come from
sqlite_compat.sql instead. Test scaffolding only."""
import re
import sys

sql = sys.stdin.read()
# coalesce(number, ''): SQLite mixes types, PostgreSQL wants text on both sides.
sql = re.sub(r"coalesce\(([\w.]+),\s*''\)", r"coalesce(CAST(\1 AS text), '')", sql, flags=re.I)
# DROP TRIGGER t_no_update (an attacker's first step): on PostgreSQL the trigger is
# switched off on its table (events_no_update is on events, and so on).
sql = re.sub(r"\bDROP TRIGGER (?:IF EXISTS )?((\w+?)_(?:no_\w+|append_only|indexed))\b",
             r"ALTER TABLE \2 DISABLE TRIGGER \1", sql, flags=re.I)
# x NOT GLOB '*[^0-9a-f]*' (only those characters): a regular expression there.
sql = re.sub(r"([\w.]+) NOT GLOB '\*\[\^([^\]]+)\]\*'", r"\1 !~ '[^\2]'", sql)
# text || (x IS NULL): SQLite concatenates 1 or 0, PostgreSQL would write true or false.
sql = re.sub(r"\|\|\s*\(([\w.]+) IS (NOT )?NULL\)", r"|| ((\1 IS \2NULL)::int)", sql, flags=re.I)
# X'00ff': a blob literal, bytea's hex input there.
sql = re.sub(r"\bX'([0-9A-Fa-f]*)'", r"'\\x\1'::bytea", sql)
out = []
i = 0
n = 0
opened = []  # for each open parenthesis: whether it starts a derived table
while i < len(sql):
    c = sql[i]
    if c == "'":
        j = i + 1
        while j < len(sql):
            if sql[j] == "'" and (j + 1 >= len(sql) or sql[j + 1] != "'"):
                break
            j += 2 if sql[j] == "'" else 1
        out.append(sql[i:j + 1])
        i = j + 1
        continue
    if c == "(":
        before = "".join(out).rstrip()
        derived = re.search(r"\b(FROM|JOIN)$", before, re.I) is not None and \
            re.match(r"\s*SELECT\b", sql[i + 1:], re.I) is not None
        opened.append(derived)
        out.append(c)
    elif c == ")":
        derived = opened.pop() if opened else False
        out.append(c)
        if derived and not re.match(r"\s*(AS\s+)?[A-Za-z_]\w*", sql[i + 1:]) or \
                derived and re.match(r"\s*(WHERE|GROUP|ORDER|LIMIT|UNION|JOIN|ON|LEFT|INNER|EXCEPT|INTERSECT)\b", sql[i + 1:], re.I):
            n += 1
            out.append(f" AS _q{n}")
    else:
        out.append(c)
    i += 1
sys.stdout.write("".join(out))
