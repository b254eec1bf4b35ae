INSERT INTO notes (body) VALUES ('never closed);
