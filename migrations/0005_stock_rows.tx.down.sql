DROP TRIGGER IF EXISTS products_stock_rows ON products;
DROP TRIGGER IF EXISTS warehouses_stock_rows ON warehouses;
DROP FUNCTION IF EXISTS stock_rows_for_product();
DROP FUNCTION IF EXISTS stock_rows_for_warehouse();
