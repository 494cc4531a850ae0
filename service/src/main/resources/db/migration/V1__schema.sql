-- MySQL 8 and MariaDB 10.6+ compatible. Instants are stored as UTC in DATETIME(6).

CREATE TABLE users (
    id            BIGINT       NOT NULL AUTO_INCREMENT,
    email         VARCHAR(254) NOT NULL,
    password_hash VARCHAR(100) NOT NULL,
    nickname      VARCHAR(40)  NOT NULL,
    role          VARCHAR(16)  NOT NULL,
    created_at    DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uk_users_email UNIQUE (email)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE coupons (
    id              BIGINT       NOT NULL AUTO_INCREMENT,
    name            VARCHAR(100) NOT NULL,
    description     VARCHAR(500) NULL,
    discount_amount BIGINT       NOT NULL,
    total_quantity  INT          NOT NULL,
    remaining       INT          NOT NULL,
    per_user_limit  INT          NOT NULL,
    issue_starts_at DATETIME(6)  NOT NULL,
    issue_ends_at   DATETIME(6)  NOT NULL,
    strategy        VARCHAR(20)  NOT NULL,
    version         BIGINT       NOT NULL DEFAULT 0,
    created_at      DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    -- The last line of defence for I1: no strategy, however wrong, can drive stock below zero.
    CONSTRAINT ck_coupons_remaining CHECK (remaining >= 0 AND remaining <= total_quantity),
    CONSTRAINT ck_coupons_window CHECK (issue_starts_at < issue_ends_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE user_coupons (
    id        BIGINT      NOT NULL,
    coupon_id BIGINT      NOT NULL,
    user_id   BIGINT      NOT NULL,
    -- 1..per_user_limit; NULL when the coupon has no per-user limit (NULLs never collide in a unique key).
    copy_no   INT         NULL,
    issued_at DATETIME(6) NOT NULL,
    PRIMARY KEY (id),
    -- I2 enforced by the database: a user holds each copy number of a coupon at most once.
    CONSTRAINT uk_user_coupons_copy UNIQUE (coupon_id, user_id, copy_no),
    CONSTRAINT fk_user_coupons_coupon FOREIGN KEY (coupon_id) REFERENCES coupons (id),
    CONSTRAINT fk_user_coupons_user FOREIGN KEY (user_id) REFERENCES users (id),
    INDEX ix_user_coupons_user (user_id, issued_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
