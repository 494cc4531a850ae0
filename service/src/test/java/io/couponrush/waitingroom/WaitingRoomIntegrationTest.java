package io.couponrush.waitingroom;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

import io.couponrush.CouponrushApplication;
import io.couponrush.IntegrationTest;
import io.couponrush.infra.Dependencies;
import io.couponrush.support.Fixtures;
import io.couponrush.support.TestApi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The waiting room over HTTP on real MariaDB and Redis: the line's order (arrival, or a draw anyone can
 * check), admission at a rate and never above it across instances, no issue without a turn, honest news
 * of a sell-out, and places that survive an instance's death and Redis losing the line.
 */
class WaitingRoomIntegrationTest extends IntegrationTest {

    private RoomKeeper keeper;
    private Instant opening;

    @BeforeEach
    void keeper() {
        keeper = context.getBean(RoomKeeper.class);
        // whole milliseconds: the admission budget is computed in them
        opening = clock.instant().plus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.MILLIS);
    }

    private long room(String mode, int stock, Double rate, int turnSeconds, String strategy) {
        return room(mode, stock, rate, turnSeconds, strategy, 1);
    }

    private long room(String mode, int stock, Double rate, int turnSeconds, String strategy, int perUserLimit) {
        var room = new HashMap<String, Object>(Map.of("mode", mode, "lineOpensAt", clock.instant().minusSeconds(5).toString(),
                "turnSeconds", turnSeconds));
        if (rate != null) {
            room.put("admitPerSecond", rate);
        }
        var body = new HashMap<String, Object>(Map.of("name", "sale with a line", "discountAmount", 1000, "totalQuantity", stock,
                "issueStartsAt", opening.toString(), "issueEndsAt", opening.plus(Duration.ofDays(1)).toString(),
                "strategy", strategy, "waitingRoom", room, "perUserLimit", perUserLimit));
        var created = api.post("/api/v1/coupons", fixtures.admin().token(), body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asLong();
    }

    private TestApi.Response join(long coupon, Fixtures.TestUser user) {
        return api.post("/api/v1/coupons/" + coupon + "/queue", user.token(), null);
    }

    private TestApi.Response me(long coupon, Fixtures.TestUser user) {
        return api.get("/api/v1/coupons/" + coupon + "/queue/me", user.token());
    }

    private TestApi.Response issue(long coupon, Fixtures.TestUser user) {
        return api.post("/api/v1/coupons/" + coupon + "/issue", user.token(), null);
    }

    /** Moves the service's clock to {@code millis} after the opening and runs one admission step. */
    private void at(long millis) {
        var target = opening.plusMillis(millis);
        clock.advance(Duration.between(clock.instant(), target));
        keeper.lookAgain();
        keeper.runOnce();
    }

    private List<Long> admittedInOrder(long coupon) {
        return jdbc().queryForList("SELECT user_id FROM queue_entries WHERE coupon_id = ? AND admitted_at IS NOT NULL "
                + "ORDER BY admitted_at, score, user_id", Long.class, coupon);
    }

    private JdbcTemplate jdbc() {
        return context.getBean(JdbcTemplate.class);
    }

    @Test
    void admitsInArrivalOrderAtTheRateAndOnlyTheAdmittedIssue() {
        long coupon = room("fifo", 5, 2.0, 60, "batched");
        var people = fixtures.users(10);
        for (var person : people) {
            var joined = join(coupon, person);
            assertThat(joined.status()).as(joined.body()).isEqualTo(201);
            clock.advance(Duration.ofMillis(3)); // arrivals in this order
        }
        var last = me(coupon, people.getLast());
        assertThat(last.json().get("state").asString()).isEqualTo("WAITING");
        assertThat(last.json().get("position").asLong()).isEqualTo(10);
        assertThat(last.headers().firstValue("Retry-After")).isPresent();
        assertThat(issue(coupon, people.getFirst()).code()).as("the window checks come first").isEqualTo("ISSUE_NOT_OPEN");

        at(1_000); // two a second: two admitted
        assertThat(me(coupon, people.get(0)).json().get("state").asString()).isEqualTo("ADMITTED");
        assertThat(me(coupon, people.get(1)).json().get("state").asString()).isEqualTo("ADMITTED");
        var third = me(coupon, people.get(2)).json();
        assertThat(third.get("state").asString()).isEqualTo("WAITING");
        assertThat(third.get("position").asLong()).isEqualTo(1);
        assertThat(third.get("estimatedWaitSeconds").asLong()).isEqualTo(1);

        var notYet = issue(coupon, people.get(2));
        assertThat(notYet.status()).as(notYet.body()).isEqualTo(409);
        assertThat(notYet.isProblem()).isTrue();
        assertThat(notYet.code()).isEqualTo("NOT_ADMITTED");
        assertThat(notYet.json().get("state").asString()).isEqualTo("WAITING");
        assertThat(notYet.json().get("position").asLong()).isEqualTo(1);
        assertThat(fixtures.rows(coupon)).as("nothing written for a refused press").isZero();
        assertThat(issue(coupon, people.get(0)).status()).isEqualTo(201);
        assertThat(me(coupon, people.get(0)).json().get("state").asString()).isEqualTo("ISSUED");

        at(3_000);
        assertThat(admittedInOrder(coupon)).containsExactlyElementsOf(people.subList(0, 6).stream().map(Fixtures.TestUser::id).toList());
        var stats = api.get("/api/v1/coupons/" + coupon + "/queue", null).json();
        assertThat(stats.get("admitted").asLong()).isEqualTo(6);
        assertThat(stats.get("waiting").asLong()).isEqualTo(4);
        assertThat(stats.get("issued").asLong()).isEqualTo(1);
    }

    @Test
    void joiningTwiceKeepsTheFirstPlace() {
        long coupon = room("fifo", 5, 2.0, 60, "atomic");
        var people = fixtures.users(3);
        people.forEach(p -> assertThat(join(coupon, p).status()).isEqualTo(201));
        clock.advance(Duration.ofSeconds(1));

        var again = join(coupon, people.getFirst());
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json().get("position").asLong()).isEqualTo(1);
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM queue_entries WHERE coupon_id = ?", Integer.class, coupon)).isEqualTo(3);
    }

    @Test
    void joiningAgainAnswersFromTheLineWithoutWritingWhileAJoinTheDatabaseMayLackIsWrittenAgain() throws Exception {
        long coupon = room("fifo", 5, 2.0, 60, "atomic");
        var people = fixtures.users(2);
        people.forEach(p -> assertThat(join(coupon, p).status()).isEqualTo(201));
        try (var connection = context.getBean(DataSource.class).getConnection()) {
            connection.setAutoCommit(false);
            // a write of an entry would wait for the coupon's row (its foreign key) until join-write-wait ran out
            try (var lock = connection.prepareStatement("SELECT id FROM coupons WHERE id = ? FOR UPDATE")) {
                lock.setLong(1, coupon);
                lock.executeQuery().close();
            }
            var again = join(coupon, people.get(0));
            assertThat(again.status()).as(again.body()).isEqualTo(200);
            assertThat(again.json().get("position").asLong()).isEqualTo(1);
            connection.rollback();
        }

        // a join Redis has but the database may not (its write failed, its answer a 503): the retry writes it
        jdbc().update("DELETE FROM queue_entries WHERE coupon_id = ? AND user_id = ?", coupon, people.get(1).id());
        context.getBean(StringRedisTemplate.class).opsForSet().remove("{room:" + coupon + "}:stored", Long.toString(people.get(1).id()));
        var retry = join(coupon, people.get(1));
        assertThat(retry.status()).as(retry.body()).isEqualTo(200);
        assertThat(retry.json().get("position").asLong()).isEqualTo(2);
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM queue_entries WHERE coupon_id = ?", Integer.class, coupon)).isEqualTo(2);
    }

    @Test
    void aRaffleIsTheOrderAnyoneRecomputesFromTheRevealedSeedAndNotTheArrivalOrder() throws Exception {
        long coupon = room("raffle", 20, 100.0, 60, "redis-gate");
        var seedHash = api.get("/api/v1/coupons/" + coupon, null).json().get("waitingRoom").get("seedHash").asString();
        assertThat(api.get("/api/v1/coupons/" + coupon, null).json().get("waitingRoom").has("seed")).isFalse();
        var early = fixtures.users(14);
        for (var person : early) {
            assertThat(join(coupon, person).status()).isEqualTo(201);
            clock.advance(Duration.ofMillis(2));
        }
        var before = me(coupon, early.getFirst()).json();
        assertThat(before.get("state").asString()).isEqualTo("WAITING");
        assertThat(before.has("position")).as("no place before the draw").isFalse();
        assertThat(before.get("drawAt").asString()).isEqualTo(opening.toString());
        assertThat(api.get("/api/v1/coupons/" + coupon + "/queue/draw", null).code()).isEqualTo("DRAW_NOT_MADE");

        at(1); // the window opens: the draw is made, and published a margin later (the instances' clocks may differ)
        assertThat(api.get("/api/v1/coupons/" + coupon + "/queue/draw", null).code()).isEqualTo("DRAW_NOT_MADE");
        var unrevealed = api.get("/api/v1/coupons/" + coupon + "/queue", null).json().path("seed");
        assertThat(unrevealed.isNull() || unrevealed.isMissingNode()).as("no seed yet").isTrue();
        var late = fixtures.users(2);
        for (var person : late) {
            assertThat(join(coupon, person).status()).isEqualTo(201);
            clock.advance(Duration.ofMillis(2));
        }
        at(2_000); // 100 a second: everyone admitted, in the draw's order, then the latecomers as they came
        var admitted = admittedInOrder(coupon);

        at(10_000);
        var draw = api.get("/api/v1/coupons/" + coupon + "/queue/draw", null).json();
        var seed = HexFormat.of().parseHex(draw.get("seed").asString());
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(seed)))
                .as("the seed is the one committed at creation").isEqualTo(seedHash);
        var entrants = early.stream().map(Fixtures.TestUser::id).toList();
        assertThat(draw.get("entrants").valueStream().map(n -> Long.parseLong(n.asString())).toList())
                .containsExactlyInAnyOrderElementsOf(entrants);

        // recomputed here, independently of the service's code, by the rule the draw publishes
        var recomputed = new ArrayList<>(entrants);
        recomputed.sort((a, b) -> Long.compareUnsigned(key(seed, coupon, a), key(seed, coupon, b)));
        assertThat(draw.get("order").valueStream().map(n -> Long.parseLong(n.asString())).toList()).isEqualTo(recomputed);
        assertThat(recomputed).as("a shuffle, not the arrival order").isNotEqualTo(entrants);

        var expected = new ArrayList<>(recomputed);
        late.forEach(p -> expected.add(p.id()));
        assertThat(admitted).isEqualTo(expected);

        // published, the draw no longer changes: an entry that turns up now (not through a join) changes nothing
        jdbc().update("INSERT INTO queue_entries (coupon_id, user_id, joined_at, score) VALUES (?, ?, ?, 0.5)", coupon,
                fixtures.user().id(), java.time.LocalDateTime.ofInstant(opening.minusSeconds(1), java.time.ZoneOffset.UTC));
        var again = api.get("/api/v1/coupons/" + coupon + "/queue/draw", null);
        assertThat(again.json().get("order")).isEqualTo(draw.get("order"));
        assertThat(again.json().get("entrants")).hasSize(entrants.size());
    }

    /** The first 8 bytes of HMAC-SHA256(seed, "couponrush-raffle:<coupon>:<user>"): enough to order 14 entrants. */
    private static long key(byte[] seed, long coupon, long user) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(seed, "HmacSHA256"));
            return ByteBuffer.wrap(mac.doFinal(("couponrush-raffle:" + coupon + ":" + user).getBytes(StandardCharsets.US_ASCII))).getLong();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aTurnThatLapsedAdmitsNoIssueButAHolderStillHearsWhatItHolds() {
        long coupon = room("fifo", 5, 2.0, 30, "batched");
        var people = fixtures.users(3);
        people.forEach(p -> join(coupon, p));
        at(1_000);
        assertThat(issue(coupon, people.get(0)).status()).isEqualTo(201);

        at(40_000); // past both turns
        var lapsed = issue(coupon, people.get(1));
        assertThat(lapsed.code()).isEqualTo("NOT_ADMITTED");
        assertThat(lapsed.json().get("state").asString()).isEqualTo("LAPSED");
        assertThat(me(coupon, people.get(1)).json().get("state").asString()).isEqualTo("LAPSED");
        assertThat(issue(coupon, people.get(0)).code()).isEqualTo("ALREADY_ISSUED");
        assertThat(fixtures.rows(coupon)).isEqualTo(1);
    }

    @Test
    void aHolderTakesMoreCopiesWithinItsTurnButNoneAfterIt() {
        var strategies = List.of("batched", "atomic", "redis-gate");
        var coupons = new ArrayList<Long>();
        var people = fixtures.users(strategies.size());
        for (int i = 0; i < strategies.size(); i++) {
            long coupon = room("fifo", 10, 2.0, 30, strategies.get(i), 3);
            coupons.add(coupon);
            assertThat(join(coupon, people.get(i)).status()).isEqualTo(201);
        }
        at(1_000);
        for (int i = 0; i < strategies.size(); i++) {
            assertThat(issue(coupons.get(i), people.get(i)).status()).as(strategies.get(i)).isEqualTo(201);
            assertThat(issue(coupons.get(i), people.get(i)).status()).as(strategies.get(i)).isEqualTo(201);
        }

        at(40_000); // the turns (30 s from 1 s) ended: the third copy the limit allows is not theirs to take
        for (int i = 0; i < strategies.size(); i++) {
            var after = issue(coupons.get(i), people.get(i));
            assertThat(after.status()).as(strategies.get(i) + " " + after.body()).isEqualTo(409);
            assertThat(after.code()).isEqualTo("ALREADY_ISSUED");
            assertThat(after.json().get("copiesHeld").asInt()).isEqualTo(2);
            assertThat(issue(coupons.get(i), people.get(i)).code()).as("and again, from memory").isEqualTo("ALREADY_ISSUED");
            assertThat(fixtures.rows(coupons.get(i))).as(strategies.get(i)).isEqualTo(2);
        }
    }

    @Test
    void autoAdmitsAsManyAsThereAreCopiesNoTurnIsPressingFor() {
        long coupon = room("fifo", 3, null, 30, "atomic");
        var people = fixtures.users(6);
        people.forEach(p -> assertThat(join(coupon, p).status()).isEqualTo(201));

        at(1_000);
        assertThat(admittedInOrder(coupon)).hasSize(3);
        assertThat(issue(coupon, people.get(0)).status()).isEqualTo(201);
        at(2_000); // one copy taken, two turns still pressing for the other two: nobody more
        assertThat(admittedInOrder(coupon)).hasSize(3);

        at(32_000); // the two turns lapsed without a copy: two more admitted for the two copies left
        assertThat(admittedInOrder(coupon)).hasSize(5);
    }

    @Test
    void whenTheStockRunsOutEveryoneWaitingHearsItAndNoOneElseJoins() {
        long coupon = room("fifo", 2, 2.0, 60, "atomic");
        var people = fixtures.users(6);
        people.forEach(p -> join(coupon, p));
        at(1_000);
        assertThat(issue(coupon, people.get(0)).status()).isEqualTo(201);
        assertThat(issue(coupon, people.get(1)).status()).isEqualTo(201);

        at(2_000); // the stock each instance remembers is half a second old at most
        for (var waiting : people.subList(2, 6)) {
            var place = me(coupon, waiting);
            assertThat(place.json().get("state").asString()).isEqualTo("SOLD_OUT");
            assertThat(place.headers().firstValue("Retry-After")).as("final: nothing to ask again for").isEmpty();
        }
        assertThat(admittedInOrder(coupon)).as("no one admitted for nothing").hasSize(2);
        assertThat(join(coupon, fixtures.user()).code()).isEqualTo("COUPON_SOLD_OUT");
    }

    @Test
    void theLineComesBackWholeWhenRedisLosesIt() {
        long coupon = room("fifo", 10, 2.0, 60, "batched");
        var people = fixtures.users(6);
        people.forEach(p -> {
            join(coupon, p);
            clock.advance(Duration.ofMillis(3));
        });
        at(1_000);
        var redis = context.getBean(StringRedisTemplate.class);
        redis.delete(redis.keys("{room:" + coupon + "}:*"));

        assertThat(me(coupon, people.get(0)).json().get("state").asString()).isEqualTo("ADMITTED");
        assertThat(me(coupon, people.get(2)).json().get("position").asLong()).isEqualTo(1);
        assertThat(me(coupon, people.get(5)).json().get("position").asLong()).isEqualTo(4);
        at(1_400); // the budget at 1.4 s is still 2: nobody admitted again after the rebuild
        assertThat(admittedInOrder(coupon)).hasSize(2);
        at(2_000);
        assertThat(admittedInOrder(coupon)).containsExactlyElementsOf(people.subList(0, 4).stream().map(Fixtures.TestUser::id).toList());
    }

    @Test
    void aRedisErrorReplyIsAnsweredAsAnOutageNotAsAServerError() {
        long coupon = room("fifo", 5, 2.0, 60, "batched");
        var people = fixtures.users(2);
        people.forEach(p -> assertThat(join(coupon, p).status()).isEqualTo(201));
        at(1_000);
        // a key of the wrong type makes every script of the line fail with WRONGTYPE, an error reply as LOADING is
        var redis = context.getBean(StringRedisTemplate.class);
        var meta = "{room:" + coupon + "}:meta";
        redis.delete(meta);
        redis.opsForValue().set(meta, "not a hash");

        for (var answer : List.of(join(coupon, fixtures.user()), me(coupon, people.get(0)), issue(coupon, people.get(1)))) {
            assertThat(answer.status()).as(answer.body()).isEqualTo(503);
            assertThat(answer.isProblem()).isTrue();
            assertThat(answer.code()).isEqualTo("OVERLOADED");
            assertThat(answer.headers().firstValue("Retry-After")).isPresent();
        }
        assertThat(fixtures.rows(coupon)).isZero();

        redis.delete(meta); // the line is rebuilt from the database at the next touch
        assertThat(me(coupon, people.get(0)).json().get("state").asString()).isEqualTo("ADMITTED");
        assertThat(issue(coupon, people.get(1)).status()).isEqualTo(201);
    }

    @Test
    void aJoinWhoseCommitHangsIsAnsweredUnavailableAndTheNextJoinsAreNotHeldBehindIt() throws Exception {
        long coupon = room("fifo", 5, 2.0, 60, "atomic");
        var people = fixtures.users(2);
        var writes = new JoinWrites(context.getBean(JdbcClient.class),
                context.getBean(WaitingRoomSettings.class).withJoinWriteWait(Duration.ofMillis(300)));
        try (var connection = context.getBean(DataSource.class).getConnection()) {
            connection.setAutoCommit(false);
            // an entry's foreign key waits for the coupon's row: held here, the join's commit hangs
            try (var lock = connection.prepareStatement("SELECT id FROM coupons WHERE id = ? FOR UPDATE")) {
                lock.setLong(1, coupon);
                lock.executeQuery().close();
            }
            assertThatThrownBy(() -> writes.write(coupon, people.get(0).id(), clock.instant(), 1.0))
                    .isInstanceOf(Dependencies.Unavailable.class);
            connection.rollback();
        }
        // the write answered 503 still lands, and the joins after it are committed as before
        writes.write(coupon, people.get(1).id(), clock.instant(), 2.0);
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc().queryForObject(
                "SELECT COUNT(*) FROM queue_entries WHERE coupon_id = ?", Integer.class, coupon) == 2);
    }

    @Test
    void anAdmissionTheDatabaseDidNotGetIsWrittenByALaterStepSoALostRedisGivesNoSecondTurn() {
        long coupon = room("fifo", 10, 2.0, 60, "batched");
        var people = fixtures.users(8);
        people.forEach(p -> {
            assertThat(join(coupon, p).status()).isEqualTo(201);
            clock.advance(Duration.ofMillis(3));
        });
        at(1_000);
        var redis = context.getBean(StringRedisTemplate.class);
        var unsaved = "{room:" + coupon + "}:unsaved";
        assertThat(redis.opsForSet().size(unsaved)).as("written, so no longer unsaved").isZero();

        // as if the instance that admitted the first two died before writing it down
        var first = people.subList(0, 2).stream().map(Fixtures.TestUser::id).toList();
        jdbc().update("UPDATE queue_entries SET admitted_at = NULL WHERE coupon_id = ?", coupon);
        first.forEach(id -> redis.opsForSet().add(unsaved, id.toString()));
        at(1_500); // a moment later the admitting instance may still be writing them: only the third, admitted now, is written
        assertThat(admittedInOrder(coupon)).containsExactly(people.get(2).id());

        at(7_000); // a later step writes them, at the time Redis admitted them; everyone else is admitted by now
        assertThat(jdbc().queryForList("SELECT admitted_at FROM queue_entries WHERE coupon_id = ? AND user_id IN (?, ?)",
                java.time.LocalDateTime.class, coupon, first.get(0), first.get(1)))
                .containsOnly(java.time.LocalDateTime.ofInstant(opening.plusMillis(1_000), java.time.ZoneOffset.UTC));
        assertThat(redis.opsForSet().size(unsaved)).isZero();
        assertThat(admittedInOrder(coupon)).hasSize(8);

        redis.delete(redis.keys("{room:" + coupon + "}:*"));
        at(7_400); // rebuilt: everyone the budget allowed stays admitted, and nobody more
        assertThat(me(coupon, people.get(0)).json().get("state").asString()).isEqualTo("ADMITTED");
        assertThat(admittedNow(coupon)).isEqualTo(8);
    }

    @Test
    void aHolderWhoseAdmissionWasNeverWrittenIsRebuiltAsAdmittedAndUsed() {
        long coupon = room("fifo", 10, 2.0, 60, "batched");
        var people = fixtures.users(4);
        people.forEach(p -> {
            assertThat(join(coupon, p).status()).isEqualTo(201);
            clock.advance(Duration.ofMillis(3));
        });
        at(1_000);
        assertThat(issue(coupon, people.get(0)).status()).isEqualTo(201);
        // the admission's write was lost, and Redis with it
        jdbc().update("UPDATE queue_entries SET admitted_at = NULL WHERE coupon_id = ? AND user_id = ?", coupon, people.get(0).id());
        var redis = context.getBean(StringRedisTemplate.class);
        redis.delete(redis.keys("{room:" + coupon + "}:*"));

        assertThat(me(coupon, people.get(0)).json().get("state").asString()).isEqualTo("ISSUED");
        assertThat(admittedNow(coupon)).as("the holder counts against the rate").isEqualTo(2);
        at(1_400); // the budget at 1.4 s is still 2: the holder takes no second turn, and nobody else is admitted
        assertThat(me(coupon, people.get(2)).json().get("position").asLong()).isEqualTo(1);
        assertThat(admittedNow(coupon)).isEqualTo(2);
    }

    @Test
    void aLineRedisHoldsOnlyInPartIsNoticedAndMadeWholeWithoutAdmittingAboveTheRate() {
        long coupon = room("fifo", 100, 2.0, 60, "batched");
        var people = fixtures.users(20);
        people.forEach(p -> {
            assertThat(join(coupon, p).status()).isEqualTo(201);
            clock.advance(Duration.ofMillis(3));
        });
        at(1_000);
        // as a Redis restored from a snapshot taken before anyone joined: still marked built, with nobody in it
        var redis = context.getBean(StringRedisTemplate.class);
        for (var part : List.of("line", "people", "admitted", "used", "unsaved")) {
            redis.delete("{room:" + coupon + "}:" + part);
        }
        redis.opsForHash().put("{room:" + coupon + "}:meta", "count", "0");

        at(7_000); // past reconcile-every: the step finds Redis behind the database, rebuilds, then admits to the budget
        assertThat(admittedNow(coupon)).isEqualTo(14);
        assertThat(admittedInOrder(coupon)).containsExactlyElementsOf(people.subList(0, 14).stream().map(Fixtures.TestUser::id).toList());
        assertThat(me(coupon, people.get(0)).json().get("state").asString()).isEqualTo("ADMITTED");
        assertThat(me(coupon, people.get(19)).json().get("position").asLong()).isEqualTo(6);
    }

    @Test
    void aLineOpenBeforeItsWindowIsKeptWholeToo() {
        long coupon = room("fifo", 100, 2.0, 60, "batched");
        var person = fixtures.user();
        assertThat(join(coupon, person).status()).isEqualTo(201);
        var redis = context.getBean(StringRedisTemplate.class);
        redis.delete("{room:" + coupon + "}:people");
        redis.delete("{room:" + coupon + "}:line");

        at(-50_000); // ten seconds later, fifty before the window opens: a step finds the line behind and rebuilds it
        assertThat(me(coupon, person).json().get("position").asLong()).isEqualTo(1);
        assertThat(admittedNow(coupon)).isZero();
    }

    @Test
    void anInstanceKilledWhilePeopleWaitCostsNoOneTheirPlaceAndNoInstanceAdmitsAboveTheRate() {
        // on the system clock: the second instance has no test clock, so this case runs in real time (a few seconds)
        clock.reset();
        opening = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.MILLIS);
        double rate = 20;
        long coupon = room("fifo", 1000, rate, 60, "batched");
        var people = fixtures.users(80);
        try (var other = new SpringApplicationBuilder(CouponrushApplication.class)
                .run("--server.port=0", "--couponrush.node-id=7", "--logging.level.io.couponrush.issuance.IssuanceService=error")) {
            var otherApi = new TestApi(other.getBean(Environment.class).getRequiredProperty("local.server.port", Integer.class));
            for (int i = 0; i < people.size(); i++) {
                var via = i % 2 == 0 ? api : otherApi;
                assertThat(via.post("/api/v1/coupons/" + coupon + "/queue", people.get(i).token(), null).status()).isEqualTo(201);
            }
            // both instances run their admission steps; the total (Redis's count) stays within the budget at every look
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
                long admitted = admittedNow(coupon);
                long elapsed = Math.max(0, Duration.between(opening, Instant.now()).toMillis());
                assertThat(admitted).as("admitted after %d ms", elapsed).isLessThanOrEqualTo((long) Math.floor(rate * elapsed / 1000) + 1);
                return admitted >= 30;
            });
        }
        // the other instance is gone: every place it answered is still there, and the line still moves
        for (var person : people.subList(60, 80)) {
            var place = me(coupon, person).json();
            assertThat(place.get("state").asString()).isIn("WAITING", "ADMITTED");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> admittedNow(coupon) >= 50);
        // first come, first served: whoever is admitted came before whoever still waits
        var redis = context.getBean(StringRedisTemplate.class);
        var admitted = redis.opsForZSet().range("{room:" + coupon + "}:admitted", 0, -1).stream().map(Long::parseLong).toList();
        var byArrival = jdbc().queryForList("SELECT user_id FROM queue_entries WHERE coupon_id = ? ORDER BY score", Long.class, coupon);
        assertThat(admitted).containsExactlyInAnyOrderElementsOf(byArrival.subList(0, admitted.size()));
    }

    private long admittedNow(long coupon) {
        return api.get("/api/v1/coupons/" + coupon + "/queue", null).json().get("admitted").asLong();
    }

    @Test
    void refusesABadRoomOrALineWhereThereIsNoneAndWritesNothing() {
        var before = fixtures.tableCounts();
        var admin = fixtures.admin().token();
        for (var room : List.<Map<String, Object>>of(Map.of("mode", "lottery"), Map.of("mode", "fifo", "admitPerSecond", 0),
                Map.of("mode", "fifo", "turnSeconds", 5), Map.of("mode", "fifo", "lineOpensAt", opening.plusSeconds(1).toString()),
                Map.of("mode", 1), Map.of("admitPerSecond", 5))) {
            var body = new HashMap<String, Object>(Map.of("name", "bad room", "discountAmount", 1, "totalQuantity", 1,
                    "issueStartsAt", opening.toString(), "issueEndsAt", opening.plusSeconds(60).toString(), "waitingRoom", room));
            var refused = api.post("/api/v1/coupons", admin, body);
            assertThat(refused.status()).as(room + " " + refused.body()).isEqualTo(400);
            assertThat(refused.isProblem()).isTrue();
            assertThat(refused.body()).contains("waitingRoom");
        }
        assertThat(fixtures.tableCounts()).containsEntry("coupons", before.get("coupons") + 0);

        long plain = fixtures.coupon("atomic", 1, 1);
        assertThat(join(plain, fixtures.user()).code()).isEqualTo("NO_WAITING_ROOM");
        assertThat(api.post("/api/v1/coupons/999999999/queue", fixtures.user().token(), null).code()).isEqualTo("COUPON_NOT_FOUND");
        assertThat(me(room("fifo", 1, 1.0, 60, "atomic"), fixtures.user()).code()).isEqualTo("NOT_IN_LINE");
        assertThat(api.post("/api/v1/coupons/" + plain + "/queue", null, null).status()).isEqualTo(401);
    }
}
