#!/usr/bin/env python3
"""Generate deterministic migration corpora for bench/run.sh.

    gen_corpus.py lint DIR [--files N] [--seed S]
        N PostgreSQL migration files of realistic mixed DDL, one schema that
        evolves from file to file: CREATE TABLE with FKs, checks and
        defaults, ALTER TABLE ADD COLUMN, CREATE INDEX (CONCURRENTLY in
        `.no-transaction.` files, and not), FKs added NOT VALID then
        validated, batched UPDATE backfills, DO blocks, plpgsql functions
        and triggers with $$ bodies, enums, views, renames and drops.
        Files are NNNNNN_name.up.sql (the "pairs" layout with only the up
        half), so every byte is a forward migration that both `migrate lint`
        and squawk read. Same seed, same bytes.

    gen_corpus.py up DIR [--n N] [--start K]
        N migrations in the dbmate layout that migrate also reads natively:
        VERSION_tK.sql holding "-- migrate:up" CREATE TABLE tK (id int);
        and "-- migrate:down" DROP TABLE tK; (the workload of
        /work/shared/anchors/runners.md section 4 and bench/runner.sh),
        valid on SQLite and PostgreSQL alike.

    gen_corpus.py count PATH...
        Print "files bytes statements" for the .sql files under PATHs
        (statements: top-level semicolon-separated, outside quotes, dollar
        quotes and comments), the denominators of the lint figures.

Only the standard library; Python 3.9+.
"""

import argparse
import os
import random
import sys

# ---------------------------------------------------------------- lint corpus

TYPES = [
    ("bigint", 6), ("integer", 5), ("text", 10), ("varchar(255)", 4),
    ("varchar(64)", 3), ("boolean", 4), ("timestamptz", 6), ("date", 2),
    ("jsonb", 3), ("numeric(12,2)", 2), ("uuid", 3), ("smallint", 1),
    ("inet", 1), ("text[]", 1), ("bytea", 1), ("double precision", 1),
]
WORDS = (
    "account user team project invoice payment order item product price "
    "customer address shipment warehouse stock audit event session token "
    "role permission membership comment attachment tag label webhook job "
    "queue report metric plan subscription coupon refund ledger entry "
    "device notification message thread channel release build artifact "
    "deployment region tenant org profile setting feature flag export"
).split()
COLS = (
    "name title slug email status state kind note description amount total "
    "quantity position priority score external_ref source locale timezone "
    "currency country city zip phone url ip_address checksum version "
    "retries attempts flags metadata payload settings archived_at "
    "deleted_at expires_at started_at finished_at confirmed_at last_seen_at "
    "is_active is_public is_default verified"
).split()
# Column names whose type is obvious (prefix or suffix match).
NAMED_TYPES = [
    ("_at", "timestamptz"), ("is_", "boolean"), ("verified", "boolean"),
    ("email", "varchar(255)"), ("amount", "numeric(12,2)"),
    ("total", "numeric(12,2)"), ("quantity", "integer"), ("position", "integer"),
    ("priority", "smallint"), ("score", "double precision"),
    ("retries", "integer"), ("attempts", "integer"), ("metadata", "jsonb"),
    ("payload", "jsonb"), ("settings", "jsonb"), ("flags", "text[]"),
    ("ip_address", "inet"), ("checksum", "bytea"), ("version", "integer"),
    ("_id", "bigint"),
]
DEFAULTS = {
    "bigint": ["0"], "integer": ["0", "1"], "smallint": ["0"],
    "text": ["''", "'pending'", "'unknown'"], "varchar(255)": ["''"],
    "varchar(64)": ["'new'"], "boolean": ["false", "true"],
    "timestamptz": ["now()", "CURRENT_TIMESTAMP"], "date": ["CURRENT_DATE"],
    "jsonb": ["'{}'::jsonb", "'[]'::jsonb"], "numeric(12,2)": ["0"],
    "uuid": ["gen_random_uuid()"], "inet": ["'0.0.0.0'"], "text[]": ["'{}'"],
    "bytea": ["''::bytea"], "double precision": ["0.0"],
}


class Schema:
    def __init__(self, rng):
        self.rng = rng
        self.tables = {}  # name -> list of [col, type]
        self.order = []
        self.enums = {}
        self.funcs = []
        self.required = {}  # table -> NOT NULL columns without a default
        self.seeded = set()  # tables holding rows (no unique index, no SET NOT NULL)
        self.views = {}  # table -> columns its view reads
        self.n_idx = 0

    def pick_type(self, col=None):
        if col:
            for suf, ty in NAMED_TYPES:
                if col.endswith(suf) or col.startswith(suf):
                    return ty
        r = self.rng.uniform(0, sum(w for _, w in TYPES))
        for t, w in TYPES:
            r -= w
            if r <= 0:
                return t
        return "text"

    def new_table_name(self):
        while True:
            a = self.rng.choice(WORDS)
            name = a + "s" if self.rng.random() < 0.6 else \
                a + "_" + self.rng.choice(WORDS) + "s"
            if name not in self.tables:
                return name

    def any_table(self):
        return self.rng.choice(self.order)

    def new_col(self, table):
        used = {c for c, _ in self.tables.get(table, [])}
        for _ in range(50):
            c = self.rng.choice(COLS)
            if self.rng.random() < 0.3:
                c += "_" + self.rng.choice(["v2", "new", "old", "raw", "norm", "tmp"])
            if c not in used:
                return c
        return "c%d" % self.rng.randrange(10 ** 6)

    def idx_name(self, table, cols):
        self.n_idx += 1
        return "idx_%s_%s_%d" % (table, "_".join(cols), self.n_idx)


def header(rng, title, n):
    who = rng.choice(["ana", "bo", "chen", "dara", "eli", "femi", "gus"])
    ticket = rng.randrange(100, 9999)
    lines = ["-- %s" % title, "-- ticket: PLAT-%d, author: %s" % (ticket, who)]
    if rng.random() < 0.3:
        lines.append("-- Reviewed for lock safety; see the runbook for rollback steps.")
    return "\n".join(lines) + "\n\n"


def g_create_table(s):
    rng = s.rng
    name = s.new_table_name()
    cols = []
    lines = []
    if rng.random() < 0.5:
        lines.append("    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY")
    else:
        lines.append("    id bigserial PRIMARY KEY")
    cols.append(["id", "bigint"])
    fks = []
    req = set()
    if s.order and rng.random() < 0.7:
        for ref in rng.sample(s.order, min(len(s.order), rng.randint(1, 2))):
            col = ref.rstrip("s") + "_id"
            if any(c == col for c, _ in cols):
                continue
            act = rng.choice(["", " ON DELETE CASCADE", " ON DELETE SET NULL",
                              " ON DELETE RESTRICT"])
            nn = " NOT NULL" if act != " ON DELETE SET NULL" and rng.random() < 0.6 else ""
            lines.append("    %s bigint%s REFERENCES %s (id)%s" % (col, nn, ref, act))
            if nn:
                req.add(col)
            cols.append([col, "bigint"])
            fks.append(col)
    for _ in range(rng.randint(2, 9)):
        c = rng.choice(COLS)
        if any(x == c for x, _ in cols):
            continue
        t = s.pick_type(c)
        extra = ""
        r = rng.random()
        if r < 0.3:
            extra = " NOT NULL DEFAULT " + rng.choice(DEFAULTS[t])
        elif r < 0.45:
            extra = " NOT NULL"
            req.add(c)
        elif r < 0.5 and t in ("text", "varchar(255)", "varchar(64)"):
            extra = " UNIQUE"
        lines.append("    %s %s%s" % (c, t, extra))
        cols.append([c, t])
    lines.append("    created_at timestamptz NOT NULL DEFAULT now()")
    lines.append("    updated_at timestamptz NOT NULL DEFAULT now()")
    cols += [["created_at", "timestamptz"], ["updated_at", "timestamptz"]]
    if rng.random() < 0.3:
        numeric = [c for c, t in cols if t in ("integer", "bigint", "numeric(12,2)") and c != "id"]
        if numeric:
            c = rng.choice(numeric)
            lines.append("    CONSTRAINT %s_%s_nonneg CHECK (%s >= 0)" % (name, c, c))
    ine = "IF NOT EXISTS " if rng.random() < 0.3 else ""
    out = "CREATE TABLE %s%s (\n%s\n);\n" % (ine, name, ",\n".join(lines))
    for fk in fks:
        out += "CREATE INDEX %s ON %s (%s);\n" % (s.idx_name(name, [fk]), name, fk)
    if rng.random() < 0.5:
        out += "\nCOMMENT ON TABLE %s IS 'One row per %s (%s).';\n" % (
            name, name.rstrip("s").replace("_", " "), rng.choice(WORDS))
    s.tables[name] = cols
    s.required[name] = req
    s.order.append(name)
    return "create_" + name, out, False


def g_add_columns(s):
    rng = s.rng
    t = s.any_table()
    out = ""
    if rng.random() < 0.4:
        out += "SET lock_timeout = '%ds';\n" % rng.choice([2, 3, 5, 10])
    if rng.random() < 0.3:
        out += "SET statement_timeout = '%ds';\n" % rng.choice([30, 60])
    n = rng.randint(1, 4)
    if rng.random() < 0.5:
        parts = []
        for _ in range(n):
            c = s.new_col(t)
            ty = s.pick_type(c)
            d = ""
            r = rng.random()
            if r < 0.3:
                d = " DEFAULT " + rng.choice(DEFAULTS[ty])
            elif r < 0.4:
                d = " NOT NULL DEFAULT " + rng.choice(DEFAULTS[ty])
            parts.append("    ADD COLUMN %s %s%s" % (c, ty, d))
            s.tables[t].append([c, ty])
        out += "ALTER TABLE %s\n%s;\n" % (t, ",\n".join(parts))
    else:
        for _ in range(n):
            c = s.new_col(t)
            ty = s.pick_type(c)
            ine = "IF NOT EXISTS " if rng.random() < 0.3 else ""
            d = " DEFAULT " + rng.choice(DEFAULTS[ty]) if rng.random() < 0.3 else ""
            out += "ALTER TABLE %s ADD COLUMN %s%s %s%s;\n" % (t, ine, c, ty, d)
            s.tables[t].append([c, ty])
    return "add_columns_to_" + t, out, False


def g_index(s):
    rng = s.rng
    t = s.any_table()
    cols = [c for c, ty in s.tables[t] if ty not in ("jsonb", "text[]", "bytea")]
    k = min(len(cols), rng.choice([1, 1, 1, 2, 2, 3]))
    pick = rng.sample(cols, k)
    conc = rng.random() < 0.55
    uniq = "UNIQUE " if t not in s.seeded and rng.random() < 0.15 else ""
    where = ""
    if rng.random() < 0.25:
        w = [c for c, ty in s.tables[t] if c in ("deleted_at", "archived_at")]
        where = " WHERE %s IS NULL" % w[0] if w else " WHERE id > 0"
    using = ""
    jcols = [c for c, ty in s.tables[t] if ty == "jsonb"]
    out = ""
    if conc:
        out += "-- Built concurrently: the table takes writes all day.\n"
        ine = "IF NOT EXISTS " if rng.random() < 0.5 else ""
        out += "CREATE %sINDEX CONCURRENTLY %s%s ON %s (%s)%s;\n" % (
            uniq, ine, s.idx_name(t, pick), t, ", ".join(pick), where)
        if jcols and rng.random() < 0.4:
            out += "CREATE INDEX CONCURRENTLY %s ON %s USING gin (%s);\n" % (
                s.idx_name(t, [jcols[0]]), t, jcols[0])
    else:
        out += "CREATE %sINDEX %s ON %s%s (%s)%s;\n" % (
            uniq, s.idx_name(t, pick), t, using, ", ".join(pick), where)
        if rng.random() < 0.3:
            out += "DROP INDEX IF EXISTS idx_%s_legacy;\n" % t
    return "index_" + t, out, conc


def g_fk(s):
    rng = s.rng
    if len(s.order) < 2:
        return g_add_columns(s)
    a, b = rng.sample(s.order, 2)
    col = b.rstrip("s") + "_ref_id"
    if any(c == col for c, _ in s.tables[a]):
        col = s.new_col(a) + "_id"
    cname = "fk_%s_%s" % (a, col)
    out = "SET lock_timeout = '5s';\n" if rng.random() < 0.5 else ""
    out += "ALTER TABLE %s ADD COLUMN %s bigint;\n" % (a, col)
    s.tables[a].append([col, "bigint"])
    if rng.random() < 0.6:
        out += ("ALTER TABLE %s ADD CONSTRAINT %s\n    FOREIGN KEY (%s) REFERENCES %s (id) "
                "NOT VALID;\nALTER TABLE %s VALIDATE CONSTRAINT %s;\n") % (a, cname, col, b, a, cname)
    else:
        out += ("ALTER TABLE %s ADD CONSTRAINT %s FOREIGN KEY (%s)\n    REFERENCES %s (id)"
                " ON DELETE CASCADE;\n") % (a, cname, col, b)
    return "fk_%s_%s" % (a, b), out, False


def g_backfill(s):
    rng = s.rng
    t = s.any_table()
    c = s.new_col(t)
    ty = rng.choice(["text", "bigint", "boolean", "timestamptz"])
    out = "ALTER TABLE %s ADD COLUMN %s %s;\n\n" % (t, c, ty)
    s.tables[t].append([c, ty])
    src = [x for x, y in s.tables[t] if y == ty and x != c]
    expr = "t." + src[0] if src else DEFAULTS[ty][0]
    if rng.random() < 0.6:
        step = rng.choice([5000, 10000, 50000])
        for i in range(rng.randint(2, 6)):
            out += "UPDATE %s AS t SET %s = %s\n    WHERE id BETWEEN %d AND %d AND %s IS NULL;\n" % (
                t, c, expr, i * step + 1, (i + 1) * step, c)
    elif len(s.order) > 1:
        o = rng.choice([x for x in s.order if x != t])
        out += ("UPDATE %s AS t SET %s = %s\n    FROM %s AS o\n    WHERE o.id = t.id AND "
                "t.%s IS NULL;\n") % (t, c, expr if src else "DEFAULT", o, c)
    else:
        out += "UPDATE %s AS t SET %s = %s;\n" % (t, c, expr)
    if t not in s.seeded and rng.random() < 0.3:
        out += "ALTER TABLE %s ALTER COLUMN %s SET NOT NULL;\n" % (t, c)
        s.required[t].add(c)
    return "backfill_%s_%s" % (t, c), out, False


def g_do_block(s):
    rng = s.rng
    t = s.any_table()
    en = "%s_%s" % (t.rstrip("s"), rng.choice(["status", "kind", "state", "tier"]))
    vals = rng.sample(["active", "pending", "done", "failed", "archived",
                       "draft", "paid", "void", "gold", "basic"], rng.randint(2, 5))
    s.enums[en] = vals
    out = (
        "DO $$\nBEGIN\n"
        "    IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = '%s') THEN\n"
        "        CREATE TYPE %s AS ENUM (%s);\n"
        "    END IF;\n"
        "    IF NOT EXISTS (\n"
        "        SELECT 1 FROM information_schema.columns\n"
        "        WHERE table_name = '%s' AND column_name = '%s'\n"
        "    ) THEN\n"
        "        ALTER TABLE %s ADD COLUMN %s %s;\n"
        "    END IF;\n"
        "END\n$$;\n"
    ) % (en, en, ", ".join("'%s'" % v for v in vals), t, en, t, en, en)
    s.tables[t].append([en, en])
    if rng.random() < 0.4:
        out += "\nDO $do$\nDECLARE\n    n bigint;\nBEGIN\n    SELECT count(*) INTO n FROM %s;\n" \
               "    RAISE NOTICE '%s has %% rows', n;\nEND\n$do$;\n" % (t, t)
    return "do_" + en, out, False


def g_function(s):
    rng = s.rng
    t = s.any_table()
    fn = "%s_touch_updated_at" % t
    out = (
        "CREATE OR REPLACE FUNCTION %s() RETURNS trigger\n"
        "LANGUAGE plpgsql AS $$\n"
        "BEGIN\n"
        "    NEW.updated_at := now();\n"
        "    IF TG_OP = 'UPDATE' AND NEW IS NOT DISTINCT FROM OLD THEN\n"
        "        RETURN NULL; -- nothing changed; skip the write\n"
        "    END IF;\n"
        "    RETURN NEW;\n"
        "END;\n"
        "$$;\n\n"
        "DROP TRIGGER IF EXISTS trg_%s_updated_at ON %s;\n"
        "CREATE TRIGGER trg_%s_updated_at\n"
        "    BEFORE UPDATE ON %s\n"
        "    FOR EACH ROW EXECUTE FUNCTION %s();\n"
    ) % (fn, t, t, t, t, fn)
    if rng.random() < 0.5:
        out += (
            "\nCREATE OR REPLACE FUNCTION %s_count(p_since timestamptz)\n"
            "RETURNS bigint\nLANGUAGE sql STABLE AS $fn$\n"
            "    SELECT count(*) FROM %s WHERE created_at >= p_since;\n$fn$;\n"
        ) % (t, t)
    s.funcs.append(fn)
    return "function_" + fn, out, False


def g_misc(s):
    rng = s.rng
    t = s.any_table()
    names = {c for c, _ in s.tables[t]}
    cols = [c for c, _ in s.tables[t] if c not in ("id", "created_at", "updated_at")
            and c not in s.views.get(t, ())]
    r = rng.random()
    if r < 0.2 and cols and not all(c + "_old" in names for c in cols):
        c = rng.choice([c for c in cols if c + "_old" not in names])
        out = "ALTER TABLE %s RENAME COLUMN %s TO %s_old;\n" % (t, c, c)
        for x in s.tables[t]:
            if x[0] == c:
                x[0] = c + "_old"
        kind = "rename"
    elif r < 0.35 and cols:
        c = rng.choice(cols)
        out = "ALTER TABLE %s DROP COLUMN IF EXISTS %s;\n" % (t, c)
        s.tables[t] = [x for x in s.tables[t] if x[0] != c]
        s.required[t].discard(c)
        kind = "drop"
    elif r < 0.5 and any(ty.startswith("varchar") and c in cols for c, ty in s.tables[t]):
        x = rng.choice([x for x in s.tables[t] if x[1].startswith("varchar") and x[0] in cols])
        out = "ALTER TABLE %s ALTER COLUMN %s TYPE text;\n" % (t, x[0])
        x[1] = "text"
        kind = "retype"
    elif r < 0.65 and s.enums:
        en = rng.choice(sorted(s.enums))
        v = "v%d" % rng.randrange(1000)
        out = "ALTER TYPE %s ADD VALUE IF NOT EXISTS '%s';\n" % (en, v)
        kind = "enum"
    elif r < 0.8 and t not in s.views:
        sel = ", ".join(["id"] + cols[:3])
        s.views[t] = set(cols[:3])
        out = "CREATE OR REPLACE VIEW %s_recent AS\n    SELECT %s\n    FROM %s\n" \
              "    WHERE created_at > now() - interval '30 days';\n" % (t, sel, t)
        kind = "view"
    elif not s.required[t]:
        s.seeded.add(t)
        out = "INSERT INTO %s (created_at, updated_at)\nVALUES\n%s\nON CONFLICT DO NOTHING;\n" % (
            t, ",\n".join("    (now(), now())" for _ in range(rng.randint(1, 5))))
        kind = "seed"
    else:
        out = "ANALYZE %s;\n" % t
        kind = "analyze"
    if rng.random() < 0.3:
        out = "SET lock_timeout = '3s';\n" + out
    return "%s_%s" % (kind, t), out, False


KINDS = [
    (g_create_table, 22), (g_add_columns, 18), (g_index, 15), (g_fk, 9),
    (g_backfill, 10), (g_do_block, 7), (g_function, 9), (g_misc, 10),
]


def pick_kind(rng):
    r = rng.uniform(0, sum(w for _, w in KINDS))
    for g, w in KINDS:
        r -= w
        if r <= 0:
            return g
    return KINDS[-1][0]


def gen_lint(outdir, nfiles, seed):
    rng = random.Random(seed)
    s = Schema(rng)
    os.makedirs(outdir, exist_ok=True)
    total = 0
    width = max(6, len(str(nfiles)))
    for i in range(1, nfiles + 1):
        g = g_create_table if len(s.order) < 3 else pick_kind(rng)
        name, body, no_tx = g(s)
        # Real migrations often bundle a few changes: 1 to 4 operations per
        # file (CONCURRENTLY ones stay alone in their no-transaction file).
        if not no_tx and len(s.order) >= 3:
            for _ in range(rng.choice([0, 0, 0, 0, 1, 1, 2, 3])):
                for _ in range(10):
                    g2 = pick_kind(rng)
                    _, more, more_no_tx = g2(s)
                    if not more_no_tx:
                        body += "\n" + more
                        break
        text = header(rng, name.replace("_", " "), i) + body
        suffix = ".no-transaction.up.sql" if no_tx else ".up.sql"
        fn = "%0*d_%s%s" % (width, i, name[:60], suffix)
        with open(os.path.join(outdir, fn), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        total += len(text.encode())
    print("%d files, %d bytes" % (nfiles, total))


# ------------------------------------------------------------------ up corpus

def gen_up(outdir, n, start, tables=0):
    # The same files bench/runner.sh writes: version 20240000000000 + K,
    # each creating table tK. With tables=T (a schema shaped like a real
    # project's: many migrations, few tables), migrations 1..T create
    # t1..tT and every later one adds a column to one of them in turn.
    os.makedirs(outdir, exist_ok=True)
    for k in range(start, start + n):
        if not tables or k <= tables:
            name = "t%d" % k
            text = "-- migrate:up\nCREATE TABLE t%d (id int);\n\n-- migrate:down\nDROP TABLE t%d;\n" % (k, k)
        else:
            t = (k - 1) % tables + 1
            name = "t%d_c%d" % (t, k)
            text = ("-- migrate:up\nALTER TABLE t%d ADD COLUMN c%d int;\n\n"
                    "-- migrate:down\nALTER TABLE t%d DROP COLUMN c%d;\n" % (t, k, t, k))
        with open(os.path.join(outdir, "%d_%s.sql" % (20240000000000 + k, name)), "w",
                  encoding="utf-8", newline="\n") as f:
            f.write(text)
    print("%d migrations" % n)


# ------------------------------------------------------------------- counting

def count_statements(text):
    """Top-level SQL statements in text: non-blank runs between semicolons
    outside quotes, quoted identifiers, dollar-quoted bodies and comments."""
    i, n, stmts, has_tok = 0, len(text), 0, False
    while i < n:
        ch = text[i]
        if ch == "-" and text.startswith("--", i):
            j = text.find("\n", i)
            i = n if j < 0 else j + 1
            continue
        if ch == "/" and text.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if text.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif text.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
            continue
        if ch == "'" or ch == '"':
            esc = ch == "'" and i > 0 and text[i - 1] in "eE"
            i += 1
            while i < n:
                if esc and text[i] == "\\":
                    i += 2
                    continue
                if text[i] == ch:
                    if i + 1 < n and text[i + 1] == ch:
                        i += 2
                        continue
                    break
                i += 1
            i += 1
            has_tok = True
            continue
        if ch == "$":
            j = i + 1
            while j < n and (text[j].isalnum() or text[j] == "_"):
                j += 1
            if j < n and text[j] == "$" and not text[i + 1:j][:1].isdigit():
                tag = text[i:j + 1]
                k = text.find(tag, j + 1)
                i = n if k < 0 else k + len(tag)
                has_tok = True
                continue
        if ch == ";":
            stmts += has_tok
            has_tok = False
        elif not ch.isspace():
            has_tok = True
        i += 1
    return stmts + has_tok


def count(paths):
    """Print 'files bytes statements' for the .sql files under paths."""
    files = nbytes = nstmts = 0
    for p in paths:
        if os.path.isfile(p):
            todo = [p]
        else:
            todo = []
            for root, dirs, names in os.walk(p):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                todo += [os.path.join(root, x) for x in names
                         if x.endswith(".sql") and not x.startswith(".")]
        for f in todo:
            with open(f, "rb") as fh:
                data = fh.read()
            files += 1
            nbytes += len(data)
            nstmts += count_statements(data.decode("utf-8", "replace"))
    print(files, nbytes, nstmts)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("lint")
    a.add_argument("dir")
    a.add_argument("--files", type=int, default=3000)
    a.add_argument("--seed", type=int, default=20240101)
    b = sub.add_parser("up")
    b.add_argument("dir")
    b.add_argument("--n", type=int, default=1000)
    b.add_argument("--start", type=int, default=1)
    b.add_argument("--tables", type=int, default=0,
                   help="create only this many tables; later migrations add columns to them")
    d = sub.add_parser("count")
    d.add_argument("paths", nargs="+")
    args = ap.parse_args(argv)
    if args.cmd == "lint":
        gen_lint(args.dir, args.files, args.seed)
    elif args.cmd == "up":
        gen_up(args.dir, args.n, args.start, args.tables)
    else:
        count(args.paths)


if __name__ == "__main__":
    main(sys.argv[1:])
