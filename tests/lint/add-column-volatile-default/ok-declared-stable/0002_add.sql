ALTER TABLE orders ADD COLUMN tenant text DEFAULT current_tenant();
