-- Spending a coupon (issue 22). Terms: a fixed amount (discount_amount) or a percentage (discount_percent,
-- capped by max_discount), a minimum order, and a validity: until a date, or a number of days after the copy
-- was issued (read against the clock on every use: no job locks the table to mark copies expired).
ALTER TABLE coupons
    ADD COLUMN discount_type    VARCHAR(8)  NOT NULL DEFAULT 'FIXED',
    ADD COLUMN discount_percent INT         NULL,
    ADD COLUMN max_discount     BIGINT      NULL,
    ADD COLUMN min_order_amount BIGINT      NOT NULL DEFAULT 0,
    ADD COLUMN valid_until      DATETIME(6) NULL,
    ADD COLUMN valid_days       INT         NULL;

-- A copy's redemption, on its own row: every change is one conditional UPDATE of it, so a copy is in exactly
-- one state whatever races. ISSUED: no order_id (or a hold past hold_until: a lapsed hold returns by itself);
-- RESERVED: order_id with hold_until ahead; USED: used_at. released_order_id remembers the last order that
-- gave the copy back (until the next reserve), so its cancel repeated answers the same and its reserve repeated
-- does not take the copy again.
ALTER TABLE user_coupons
    ADD COLUMN order_id          VARCHAR(64) NULL,
    -- the order system that holds or used the copy: only it may confirm or cancel
    ADD COLUMN order_client      VARCHAR(64) NULL,
    ADD COLUMN hold_until        DATETIME(6) NULL,
    ADD COLUMN used_at           DATETIME(6) NULL,
    ADD COLUMN order_amount      BIGINT      NULL,
    ADD COLUMN discount          BIGINT      NULL,
    ADD COLUMN released_order_id VARCHAR(64) NULL,
    ADD COLUMN restored          INT         NOT NULL DEFAULT 0;

-- What happened to each copy, appended in the same transaction as the change: the audit's "no copy used
-- twice" reads it (a copy whose USED events outnumber its RESTORED ones by more than one was spent twice).
CREATE TABLE redemption_events (
    id             BIGINT      NOT NULL AUTO_INCREMENT,
    user_coupon_id BIGINT      NOT NULL,
    order_id       VARCHAR(64) NOT NULL,
    event          VARCHAR(12) NOT NULL,
    at             DATETIME(6) NOT NULL,
    PRIMARY KEY (id),
    INDEX ix_redemption_events_copy (user_coupon_id, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
