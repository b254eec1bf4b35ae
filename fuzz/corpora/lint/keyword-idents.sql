CREATE TABLE "select" ("from" int, "where" text, user_ int, "" int);
SELECT "from" FROM "select";
