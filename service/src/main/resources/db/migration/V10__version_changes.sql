-- Revocations judged from memory (auth/Revocations) need every role or password change, and only those:
-- version_changed_at is stamped by the statements that bump token_version, never by a sign-up, so the
-- change feed can look back a minute for changes whose commit came late without reading every account
-- created in that minute. The service's sessions run in UTC (DependencySettings.sessionSql), so a daylight-saving
-- step of the server's clock cannot move a stamp behind the feed's position.
ALTER TABLE users ADD COLUMN version_changed_at DATETIME(6) NULL;
CREATE INDEX ix_users_version_changed ON users (version_changed_at);
