-- Revocation: every token carries the version it was minted at; a role or password change bumps it,
-- so tokens minted before stop working within the authentication cache's lifetime (seconds).
ALTER TABLE users ADD COLUMN token_version BIGINT NOT NULL DEFAULT 0;

-- The last-admin check locks the admin rows (SELECT ... FOR UPDATE); through this index it locks
-- only them, not every row a full scan would touch.
CREATE INDEX ix_users_role ON users (role);
