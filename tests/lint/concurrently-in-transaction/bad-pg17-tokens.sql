-- lint: --pg-version 17
CREATE INDEX CONCURRENTLY orders_doc_idx ON orders ((doc IS JSON));
