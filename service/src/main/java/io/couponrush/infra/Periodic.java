package io.couponrush.infra;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.springframework.context.SmartLifecycle;

/**
 * A background task every instance runs on a fixed delay while the application runs, on one
 * virtual thread. A failed pass is logged and the next one comes as usual: these tasks make state
 * converge (sweep, warm, write), so skipping one costs a delay, never correctness.
 */
public abstract class Periodic implements SmartLifecycle {

    private final String name;
    private final Duration every;
    private final Duration first;
    private final Logger log;
    private volatile ScheduledExecutorService scheduler;

    protected Periodic(String name, Duration first, Duration every, Logger log) {
        this.name = name;
        this.first = first;
        this.every = every;
        this.log = log;
    }

    /** One pass. */
    protected abstract void runOnce();

    /** Called once the scheduler is stopped, still in the application's lifetime. */
    protected void afterStop() {
    }

    @Override
    public void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name(name).factory());
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                runOnce();
            } catch (Dependencies.Unavailable e) {
                log.debug("{}: {} (next pass in {} ms)", name, e.getMessage(), every.toMillis());
            } catch (RuntimeException e) {
                log.debug("{} pass failed (next in {} ms): {}", name, every.toMillis(), e.getMessage());
            }
        }, first.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        var running = scheduler;
        scheduler = null;
        if (running != null) {
            running.shutdownNow();
            afterStop();
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }
}
