package io.couponrush.loadtest.simulation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** The pool of bearer tokens and the order in which requests take them. */
final class Tokens {

    static final String AUTHORIZATION = "authorization";

    private final List<String> headers;

    private Tokens(List<String> headers) {
        this.headers = headers;
    }

    static Tokens load(Path file, int count) {
        try (var lines = Files.lines(file)) {
            var headers = lines.map(String::trim).filter(line -> !line.isEmpty()).limit(count)
                    .map(token -> "Bearer " + token).toList();
            if (headers.size() < count) {
                throw new IllegalArgumentException(file + " has " + headers.size() + " tokens, " + count + " wanted");
            }
            return new Tokens(headers);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tokens from " + file, e);
        }
    }

    static Tokens of(List<String> tokens) {
        return new Tokens(tokens.stream().map(token -> "Bearer " + token).toList());
    }

    /** An endless feeder of {@code authorization} header values in the given mode. */
    Iterator<Map<String, Object>> feeder(TokenMode mode) {
        Supplier<String> next = switch (mode) {
            case SEED -> () -> headers.getFirst();
            case DISTINCT -> {
                var counter = new AtomicLong();
                yield () -> headers.get((int) Math.floorMod(counter.getAndIncrement(), (long) headers.size()));
            }
            case RANDOM -> () -> headers.get(ThreadLocalRandom.current().nextInt(headers.size()));
        };
        return Stream.generate(() -> Map.<String, Object>of(AUTHORIZATION, next.get())).iterator();
    }
}
