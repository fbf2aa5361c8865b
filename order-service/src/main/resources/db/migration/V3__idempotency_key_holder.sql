-- Portable between H2 (local profile) and PostgreSQL (postgres profile).
-- Where the instance that holds an in-flight claim answers (its base URL): a request
-- that meets the claim asks that instance whether it is still there, and takes the
-- claim over at once if it is gone (crashed) instead of waiting for the lease to end.
ALTER TABLE idempotency_keys ADD COLUMN holder VARCHAR(255);
