DROP PROCEDURE IF EXISTS lock_company(bigint);
