CREATE TABLE zip_codes (code text PRIMARY KEY, city text);
CREATE INDEX zip_codes_city_idx ON zip_codes (city);
CLUSTER zip_codes USING zip_codes_city_idx;
