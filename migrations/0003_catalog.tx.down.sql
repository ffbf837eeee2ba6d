DROP TABLE IF EXISTS demand_reservations, demands, supplier_order_lines, supplier_orders, suppliers, stock, warehouses, customer_prices, products, service_centres;
ALTER TABLE companies DROP COLUMN IF EXISTS discount_bp;
