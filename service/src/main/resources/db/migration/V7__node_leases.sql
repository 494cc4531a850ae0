-- Node ids (10 bits of every row id) without hand assignment: an instance started without
-- couponrush.node-id leases a free one here and renews it while alive; a lease that is not renewed
-- expires (the database's clock decides, one clock for all instances) and may be taken over. An
-- instance with a configured node id records it here too, so leasing instances skip it.
CREATE TABLE node_leases (
    node_id    INT         NOT NULL,
    holder     BIGINT      NOT NULL,
    expires_at DATETIME(6) NOT NULL,
    PRIMARY KEY (node_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
