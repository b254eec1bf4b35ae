-- lint: --pg-version 16
CREATE INDEX orders_doc_is_json ON orders ((doc IS JSON));
