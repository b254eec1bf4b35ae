-- empties the view (quickly); CONCURRENTLY is not allowed with it
REFRESH MATERIALIZED VIEW daily_sales WITH NO DATA;
