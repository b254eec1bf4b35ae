-- migrate:up transaction:false
ALTER TYPE mood ADD VALUE 'ecstatic';
-- migrate:down transaction:true
SELECT 1;
