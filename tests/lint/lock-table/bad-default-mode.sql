LOCK orders, public.line_items;
