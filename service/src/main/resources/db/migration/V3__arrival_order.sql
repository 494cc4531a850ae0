-- First come, first served, audited. requested_at: when the server received the request that got
-- the grant (NULL for rows from before this column). issue_refusals: when the server received
-- requests that were answered COUPON_SOLD_OUT, the first few thousand per coupon and instance,
-- written in the background (never on the issue path). No foreign key: its check would take a
-- shared lock on the coupon row, the hot row every batch locks exclusively.
ALTER TABLE user_coupons ADD COLUMN requested_at DATETIME(6) NULL;

CREATE TABLE issue_refusals (
    id         BIGINT      NOT NULL AUTO_INCREMENT,
    coupon_id  BIGINT      NOT NULL,
    arrived_at DATETIME(6) NOT NULL,
    PRIMARY KEY (id),
    INDEX ix_issue_refusals_coupon (coupon_id, arrived_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- the warm-up looks for coupons about to open or open now, every second, on every instance
CREATE INDEX ix_coupons_window ON coupons (issue_ends_at, issue_starts_at);
