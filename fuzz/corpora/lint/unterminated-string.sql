SELECT 1;
SELECT 'open string;
SELECT 2;
