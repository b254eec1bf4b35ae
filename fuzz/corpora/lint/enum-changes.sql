CREATE TYPE status AS ENUM ('a', 'b');
ALTER TYPE status ADD VALUE 'c';
ALTER TYPE status RENAME VALUE 'a' TO 'aa';
ALTER TYPE status RENAME TO status2;
DROP TYPE status2;
