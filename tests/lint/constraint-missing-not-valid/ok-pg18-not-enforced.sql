-- lint: --pg-version 18
ALTER TABLE documents ADD CONSTRAINT documents_body_is_json CHECK (body IS JSON) NOT VALID;
ALTER TABLE documents ADD CONSTRAINT documents_meta_is_json CHECK (meta IS JSON) NOT ENFORCED;
