package io.couponrush.live;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** ADMIN only (the security configuration's {@code /api/v1/admin/**}). */
@RestController
class LiveController {

    private final LiveFeeds feeds;

    LiveController(LiveFeeds feeds) {
        this.feeds = feeds;
    }

    /**
     * Server-Sent Events, one {@code live} event per {@code couponrush.live.interval} whose data is a
     * {@link LiveEvent}. EventSource cannot send a bearer token: browsers read it with {@code fetch()}.
     */
    @GetMapping("/api/v1/admin/coupons/{id}/live")
    SseEmitter live(@PathVariable long id) {
        return feeds.watch(id);
    }
}
