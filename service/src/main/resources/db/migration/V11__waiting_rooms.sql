-- Waiting rooms (issue 21). A coupon may have one: a line that opens before the window, admitting people
-- at a rate once it opens. Its settings never change after creation (they are part of the terms).
ALTER TABLE coupons
    ADD COLUMN room_mode             VARCHAR(8)  NULL,  -- NULL: no waiting room; FIFO or RAFFLE
    ADD COLUMN room_line_opens_at    DATETIME(6) NULL,
    ADD COLUMN room_admit_per_second DOUBLE      NULL,  -- NULL with a room: auto
    ADD COLUMN room_turn_seconds     INT         NULL,
    -- RAFFLE: the draw's secret, committed by its SHA-256 (published from creation), revealed at the opening
    ADD COLUMN room_seed             BINARY(32)  NULL;

-- Everyone who joined a line, durable before the join is answered: the line in Redis is rebuilt from here
-- if Redis loses it. score is the person's place in the line's order (waitingroom/LineOrder); admitted_at
-- is written after an admission, so a rebuild neither forgets turns given nor gives more than the rate.
CREATE TABLE queue_entries (
    coupon_id   BIGINT      NOT NULL,
    user_id     BIGINT      NOT NULL,
    joined_at   DATETIME(6) NOT NULL,
    score       DOUBLE      NOT NULL,
    admitted_at DATETIME(6) NULL,
    PRIMARY KEY (coupon_id, user_id),
    INDEX ix_queue_entries_line (coupon_id, score),
    CONSTRAINT fk_queue_entries_coupon FOREIGN KEY (coupon_id) REFERENCES coupons (id),
    CONSTRAINT fk_queue_entries_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
