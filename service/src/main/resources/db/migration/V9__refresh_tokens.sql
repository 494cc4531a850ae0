-- Refresh tokens (sessions that outlast a sale). One row per family: a login starts a family, every
-- refresh replaces the family's token (rotation), so the row holds only the current token's hash.
-- A presented token of the family that is not the current one was used before: reuse, and the whole
-- family ends. The token itself (opaque to clients) names its family and carries the claims the next
-- access token needs; its hash covers all of it, so nothing in it can be altered.
CREATE TABLE refresh_families (
    -- random, not sequential: a family id is only ever learnt from a token of that family
    id                  BIGINT      NOT NULL,
    user_id             BIGINT      NOT NULL,
    -- the account's token version at login; a role or password change bumps the account's, which ends the family
    token_version       BIGINT      NOT NULL,
    -- SHA-256 of the current token
    token_hash          BINARY(32)  NOT NULL,
    generation          INT         NOT NULL,
    created_at          DATETIME(6) NOT NULL,
    refreshed_at        DATETIME(6) NOT NULL,
    -- sliding: moved forward by every refresh, never past absolute_expires_at
    expires_at          DATETIME(6) NOT NULL,
    absolute_expires_at DATETIME(6) NOT NULL,
    revoked_at          DATETIME(6) NULL,
    -- LOGOUT, REUSE, ACCOUNT_CHANGED
    revoked_reason      VARCHAR(16) NULL,
    PRIMARY KEY (id),
    CONSTRAINT fk_refresh_families_user FOREIGN KEY (user_id) REFERENCES users (id),
    INDEX ix_refresh_families_user (user_id),
    -- the sweeper deletes families past their cap in small batches through this index
    INDEX ix_refresh_families_cap (absolute_expires_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
