-- Revocation pushed to every instance: a role or password change (which bumps token_version) also
-- stamps state_changed_at with the database's clock, and every instance polls for accounts changed
-- since its last look (a change feed) to drop them from its account cache at once. That lets an
-- instance trust an account it has seen for longer than the revocation delay, so the opening burst
-- of a sale does not read every account again.
ALTER TABLE users ADD COLUMN state_changed_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6);
CREATE INDEX ix_users_state_changed ON users (state_changed_at);
