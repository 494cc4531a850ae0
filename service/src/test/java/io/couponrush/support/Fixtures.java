package io.couponrush.support;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import io.couponrush.auth.TokenService;
import io.couponrush.user.Role;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** Users, tokens and coupons for tests, made fast: bulk inserts and minted tokens, no BCrypt per user. */
public final class Fixtures {

    private static final AtomicLong RUN = new AtomicLong();

    private final JdbcTemplate jdbc;
    private final TokenService tokens;
    private final TestApi api;
    private final MutableClock clock;

    public Fixtures(JdbcTemplate jdbc, TokenService tokens, TestApi api, MutableClock clock) {
        this.jdbc = jdbc;
        this.tokens = tokens;
        this.api = api;
        this.clock = clock;
    }

    public record TestUser(long id, String token) {
    }

    public List<TestUser> users(int count) {
        var prefix = "t" + RUN.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        var now = clock.instant().atOffset(ZoneOffset.UTC).toLocalDateTime();
        var rows = new ArrayList<Object[]>();
        for (int i = 0; i < count; i++) {
            rows.add(new Object[] {prefix + i + "@test.io", "$2a$10$notarealhashnotarealhashnotarealhashnotarealhashnotar", "u" + i,
                    Role.USER.name(), now});
        }
        jdbc.batchUpdate("INSERT INTO users (email, password_hash, nickname, role, created_at) VALUES (?, ?, ?, ?, ?)", rows);
        return jdbc.queryForList("SELECT id FROM users WHERE email LIKE ? ORDER BY id", Long.class, prefix + "%")
                .stream().map(id -> new TestUser(id, tokens.mint(id, Role.USER).accessToken())).toList();
    }

    public TestUser user() {
        return users(1).getFirst();
    }

    public TestUser admin() {
        var user = user();
        jdbc.update("UPDATE users SET role = 'ADMIN' WHERE id = ?", user.id());
        return new TestUser(user.id(), tokens.mint(user.id(), Role.ADMIN).accessToken());
    }

    /** Creates a coupon through the API, open now for a day. */
    public long coupon(String strategy, int stock, int perUserLimit) {
        var now = clock.instant();
        return coupon(strategy, stock, perUserLimit, now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofDays(1)));
    }

    public long coupon(String strategy, int stock, int perUserLimit, Instant startsAt, Instant endsAt) {
        return coupon(strategy, stock, perUserLimit, startsAt, endsAt, Map.of());
    }

    /** @param more further fields of the coupon's definition ({@code subGates}, say) */
    public long coupon(String strategy, int stock, int perUserLimit, Instant startsAt, Instant endsAt, Map<String, Object> more) {
        var body = new java.util.HashMap<String, Object>(Map.of(
                "name", "test coupon", "discountAmount", 1000, "totalQuantity", stock,
                "perUserLimit", perUserLimit, "issueStartsAt", startsAt.toString(), "issueEndsAt", endsAt.toString()));
        if (strategy != null) {
            body.put("strategy", strategy);
        }
        body.putAll(more);
        var response = api.post("/api/v1/coupons", admin().token(), body);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json().get("id").asLong();
    }

    public int remaining(long couponId) {
        return jdbc.queryForObject("SELECT remaining FROM coupons WHERE id = ?", Integer.class, couponId);
    }

    public int rows(long couponId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM user_coupons WHERE coupon_id = ?", Integer.class, couponId);
    }

    public int rowsOf(long couponId, long userId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM user_coupons WHERE coupon_id = ? AND user_id = ?",
                Integer.class, couponId, userId);
    }

    public boolean rowExists(long userCouponId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM user_coupons WHERE id = ?", Integer.class, userCouponId) == 1;
    }

    /** Row counts of every table: "nothing written" means this did not change. */
    public Map<String, Long> tableCounts() {
        return Map.of(
                "users", jdbc.queryForObject("SELECT COUNT(*) FROM users", Long.class),
                "coupons", jdbc.queryForObject("SELECT COUNT(*) FROM coupons", Long.class),
                "user_coupons", jdbc.queryForObject("SELECT COUNT(*) FROM user_coupons", Long.class));
    }
}
