DROP PROCEDURE IF EXISTS stock_take(bigint[], bigint[], int[]);
