CREATE TABLE a (x int);
CREATE TABLE b (x int,);
SELEC 1;
CREATE TABLE c (x int);
