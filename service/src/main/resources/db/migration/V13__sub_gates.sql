-- One hot coupon past one Redis shard (issue 23): the redis-gate strategy may split a coupon's gate into
-- sub_gates gates in different hash slots, each deciding the people routed to it. Fixed at creation: the
-- routing of a person to a sub-gate depends on it.
ALTER TABLE coupons
    ADD COLUMN sub_gates INT NOT NULL DEFAULT 1;
