-- lint: --dialect sqlite
-- reading the setting, and pragmas that work in a transaction
PRAGMA foreign_keys;
PRAGMA defer_foreign_keys = ON;
PRAGMA user_version = 3;
