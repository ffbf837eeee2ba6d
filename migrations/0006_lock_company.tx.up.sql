-- Order entry locks the customer (so that its concurrent orders are decided
-- one after another) and reads what it decides on in the same round trip.
-- In a batch of statements only one may return rows, and SELECT ... FOR NO
-- KEY UPDATE always does; a procedure takes the lock without returning any.
-- The read that follows it in the batch sees every order committed before
-- the lock was granted.
CREATE PROCEDURE lock_company(company bigint) LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM companies WHERE id = company FOR NO KEY UPDATE;
END;
$$;
