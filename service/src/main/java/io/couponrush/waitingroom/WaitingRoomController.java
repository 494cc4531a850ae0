package io.couponrush.waitingroom;

import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import io.couponrush.issuance.ArrivalStamp;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The line of a coupon with a waiting room: join it, see where one stands (and when to look again), see the
 * line as a whole, and check a raffle's draw.
 */
@RestController
class WaitingRoomController {

    private final Rooms rooms;
    private final Clock clock;

    WaitingRoomController(Rooms rooms, Clock clock) {
        this.rooms = rooms;
        this.clock = clock;
    }

    /** The person is the token's subject; joining again answers the same place ({@code 200} instead of {@code 201}). */
    @PostMapping("/api/v1/coupons/{id}/queue")
    ResponseEntity<Map<String, Object>> join(@PathVariable long id, @AuthenticationPrincipal Jwt jwt, HttpServletRequest http) {
        var place = rooms.join(id, Long.parseLong(jwt.getSubject()), ArrivalStamp.of(http, clock));
        var answer = place.joinedNow()
                ? ResponseEntity.created(URI.create("/api/v1/coupons/" + id + "/queue/me"))
                : ResponseEntity.ok();
        return withRetryAfter(answer, place).body(body(place));
    }

    @GetMapping("/api/v1/coupons/{id}/queue/me")
    ResponseEntity<Map<String, Object>> me(@PathVariable long id, @AuthenticationPrincipal Jwt jwt) {
        var place = rooms.place(id, Long.parseLong(jwt.getSubject()));
        return withRetryAfter(ResponseEntity.ok(), place).body(body(place));
    }

    @GetMapping("/api/v1/coupons/{id}/queue")
    Map<String, Object> line(@PathVariable long id) {
        return rooms.stats(id);
    }

    @GetMapping("/api/v1/coupons/{id}/queue/draw")
    Map<String, Object> draw(@PathVariable long id) {
        return rooms.draw(id);
    }

    private static ResponseEntity.BodyBuilder withRetryAfter(ResponseEntity.BodyBuilder answer, Rooms.Place place) {
        if (place.retryAfterSeconds() > 0) {
            answer.header(HttpHeaders.RETRY_AFTER, Long.toString(place.retryAfterSeconds()));
        }
        return answer;
    }

    private static Map<String, Object> body(Rooms.Place place) {
        var body = new LinkedHashMap<String, Object>();
        body.put("state", place.state());
        body.put("detail", place.detail());
        body.putAll(place.members());
        if (place.retryAfterSeconds() > 0) {
            body.put("retryAfterSeconds", place.retryAfterSeconds());
        }
        return body;
    }
}
