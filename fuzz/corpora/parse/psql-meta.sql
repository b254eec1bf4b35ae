\set ON_ERROR_STOP on
\i other.sql
SELECT 1;
\copy t from 'x.csv'
