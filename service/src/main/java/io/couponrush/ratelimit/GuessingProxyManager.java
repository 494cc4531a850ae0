package io.couponrush.ratelimit;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AsyncCompareAndSwapOperation;
import io.github.bucket4j.distributed.remote.RemoteBucketState;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.bucket4j.redis.lettuce.cas.LettuceBasedProxyManager;

/**
 * Bucket4j's Lettuce proxy manager with one round trip saved. Bucket4j reads a bucket (GET), works out
 * the new state, then writes it only if Redis still holds what it read (a compare-and-swap script).
 * This manager's first attempt skips the read and assumes the state this instance last read or wrote
 * (or no bucket yet, for a key it never saw); when the guess is wrong the swap fails and Bucket4j
 * tries again with a real read. Safety never rests on the guess: the swap is conditional in Redis.
 */
final class GuessingProxyManager extends LettuceBasedProxyManager<String> {

    private final Map<String, byte[]> lastKnown = new ConcurrentHashMap<>();

    GuessingProxyManager(Bucket4jLettuce.LettuceBasedProxyManagerBuilder<String> builder) {
        super(builder);
    }

    @Override
    protected AsyncCompareAndSwapOperation beginAsyncCompareAndSwapOperation(String key) {
        var redis = super.beginAsyncCompareAndSwapOperation(key);
        return new AsyncCompareAndSwapOperation() {

            private volatile boolean guessed;

            @Override
            public CompletableFuture<Optional<byte[]>> getStateData(Optional<Long> timeoutNanos) {
                if (!guessed) {
                    guessed = true;
                    return CompletableFuture.completedFuture(Optional.ofNullable(lastKnown.get(key)));
                }
                return redis.getStateData(timeoutNanos).thenApply(state -> {
                    state.ifPresentOrElse(bytes -> remember(key, bytes), () -> lastKnown.remove(key));
                    return state;
                });
            }

            @Override
            public CompletableFuture<Boolean> compareAndSwap(byte[] originalData, byte[] newData,
                    RemoteBucketState newState, Optional<Long> timeoutNanos) {
                return redis.compareAndSwap(originalData, newData, newState, timeoutNanos).thenApply(swapped -> {
                    if (swapped) {
                        remember(key, newData);
                    } else {
                        lastKnown.remove(key);
                    }
                    return swapped;
                });
            }
        };
    }

    private void remember(String key, byte[] state) {
        if (lastKnown.size() >= RateLimiter.MAX_LOCAL_KEYS) {
            lastKnown.clear();
        }
        lastKnown.put(key, state);
    }

    void forget() {
        lastKnown.clear();
    }
}
