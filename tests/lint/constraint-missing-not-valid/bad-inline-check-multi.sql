ALTER TABLE versions
  ADD COLUMN zip_sha256 bytea CONSTRAINT versions_zip_sha256_len CHECK (octet_length(zip_sha256) = 32),
  ADD COLUMN json_sha256 bytea CONSTRAINT versions_json_sha256_len CHECK (octet_length(json_sha256) = 32);
ALTER TABLE orders ADD COLUMN qty int NOT NULL DEFAULT 1 CHECK (qty > 0);
