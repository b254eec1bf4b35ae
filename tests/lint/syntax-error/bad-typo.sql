CREATE TABLE ok_one (id int);
CREATE TABL broken (id int);
ALTER TABLE users DROP COLUMN nickname;
