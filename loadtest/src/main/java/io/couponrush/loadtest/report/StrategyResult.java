package io.couponrush.loadtest.report;

import io.couponrush.loadtest.integrity.AuditReport;
import io.couponrush.loadtest.integrity.DatabaseFacts;
import io.couponrush.loadtest.integrity.IntegrityVerdict;
import java.nio.file.Path;

/**
 * One strategy's run of one scenario. {@code error} is set when the run could not be completed
 * (coupon refused, service down, Gatling failed); the other fields may then be null.
 */
public record StrategyResult(
        String strategy,
        long couponId,
        RunStats stats,
        DatabaseFacts database,
        AuditReport audit,
        IntegrityVerdict verdict,
        Path gatlingReport,
        String error) {

    public static StrategyResult failed(String strategy, long couponId, String error) {
        return new StrategyResult(strategy, couponId, null, null, null, null, null, error);
    }

    /** The bench command must exit non-zero because of this run. */
    public boolean failsRun() {
        return error != null || verdict == null || verdict.failsRun();
    }

    public String verdictLabel() {
        return error != null ? "ERROR: " + error : verdict.label();
    }
}
