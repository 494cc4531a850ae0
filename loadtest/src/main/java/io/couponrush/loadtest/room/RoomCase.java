package io.couponrush.loadtest.room;

import java.util.Arrays;

/** The same crowd on the same kind of coupon, three ways. */
enum RoomCase {

    /** No waiting room: everyone presses at the opening, and again when told to come back. */
    OFF("off", "room off", null),
    /** A line in arrival order: join before the opening, look again when told, press when admitted. */
    FIFO("fifo", "fifo room", "fifo"),
    /** The same, but everyone who joined before the opening is shuffled by a draw anyone can check. */
    RAFFLE("raffle", "raffle room", "raffle");

    private final String id;
    private final String title;
    private final String mode;

    RoomCase(String id, String title, String mode) {
        this.id = id;
        this.title = title;
        this.mode = mode;
    }

    String id() {
        return id;
    }

    String title() {
        return title;
    }

    /** The coupon's {@code waitingRoom.mode}, or {@code null} without a room. */
    String mode() {
        return mode;
    }

    boolean room() {
        return mode != null;
    }

    static RoomCase of(String id) {
        return Arrays.stream(values()).filter(c -> c.id.equals(id)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("bench.cases: one of off, fifo, raffle, not " + id));
    }
}
