-- First come, first served across instances (batched). While a coupon's stock runs short, every
-- instance whose lane holds undecided requests for it keeps one row here: the arrival of its earliest
-- undecided request (microseconds since the epoch, the server's clock) and how many it holds. A batch
-- that would hand out the last copies grants only its requests that arrived before every other
-- instance's earliest, and leaves the rest undecided until the others have had their turn. A row is a
-- lease: an instance that stops renewing it (crashed, frozen) is ignored after expires_at (ms).
-- No foreign key, for the reason given for issue_refusals.
CREATE TABLE issue_contenders (
    coupon_id        BIGINT NOT NULL,
    instance_id      BIGINT NOT NULL,
    earliest_arrival BIGINT NOT NULL,
    pending          INT    NOT NULL,
    expires_at       BIGINT NOT NULL,
    PRIMARY KEY (coupon_id, instance_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
