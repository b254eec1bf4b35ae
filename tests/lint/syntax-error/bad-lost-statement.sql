SELECT 1;
-- a misspelt first keyword: the scanner's split would lose the statement
SELEC 2;
