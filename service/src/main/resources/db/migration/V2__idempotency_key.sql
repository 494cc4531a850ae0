-- Idempotency-Key (RFC draft "The Idempotency-Key HTTP Header Field"): the same user and key answer
-- the original grant on any instance. The database enforces it, not a cache that can be lost.
-- ascii_bin: keys are compared byte for byte ("abc" and "ABC" are different keys). NULL for requests
-- without a key; NULLs never collide in a unique key.
ALTER TABLE user_coupons
    ADD COLUMN idempotency_key VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NULL,
    ADD CONSTRAINT uk_user_coupons_idempotency UNIQUE (user_id, idempotency_key);
