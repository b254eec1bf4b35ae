-- a join without WHERE still touches every row
UPDATE orders o SET customer_name = c.name FROM customers c;
