-- Portable between H2 (local profile) and PostgreSQL (postgres profile).
-- Idempotency keys are service-starter's generic mechanism now: a completed key records
-- the id of whatever resource it created, as text, instead of an order id with a foreign
-- key to orders. Completed keys keep their order's id (the UUID's text form).
ALTER TABLE idempotency_keys ADD COLUMN resource_id VARCHAR(255);
UPDATE idempotency_keys SET resource_id = CAST(order_id AS VARCHAR(255)) WHERE order_id IS NOT NULL;

ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_state;
ALTER TABLE idempotency_keys DROP COLUMN order_id;
ALTER TABLE idempotency_keys ADD CONSTRAINT idempotency_keys_state CHECK (
    (resource_id IS NULL AND completed_at IS NULL AND locked_until IS NOT NULL)
    OR (resource_id IS NOT NULL AND completed_at IS NOT NULL AND locked_until IS NULL));
