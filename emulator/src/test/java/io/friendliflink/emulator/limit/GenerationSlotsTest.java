package io.friendliflink.emulator.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class GenerationSlotsTest {
    private final Executor direct = Runnable::run;
    private final List<String> granted = new ArrayList<>();

    @Test
    void grantsUpToConcurrencyThenQueuesFirstComeFirstServed() {
        GenerationSlots slots = new GenerationSlots(2, 10);

        assertThat(slots.acquire(direct, () -> granted.add("a")).isGranted()).isTrue();
        assertThat(slots.acquire(direct, () -> granted.add("b")).isGranted()).isTrue();
        GenerationSlots.Ticket c = slots.acquire(direct, () -> granted.add("c"));
        GenerationSlots.Ticket d = slots.acquire(direct, () -> granted.add("d"));
        assertThat(c.isGranted()).isFalse();
        assertThat(slots.queued()).isEqualTo(2);

        slots.release();
        assertThat(granted).containsExactly("c");
        assertThat(c.isGranted()).isTrue();
        slots.release();
        assertThat(granted).containsExactly("c", "d");
        assertThat(slots.generating()).isEqualTo(2);
        slots.release();
        slots.release();
        assertThat(slots.generating()).isZero();
        assertThat(d.isGranted()).isTrue();
    }

    @Test
    void cancelledWaiterIsSkipped() {
        GenerationSlots slots = new GenerationSlots(1, 10);
        slots.acquire(direct, () -> {});
        GenerationSlots.Ticket gaveUp = slots.acquire(direct, () -> granted.add("gave up"));
        slots.acquire(direct, () -> granted.add("patient"));

        assertThat(gaveUp.cancel()).isTrue();
        slots.release();

        assertThat(granted).containsExactly("patient");
        assertThat(slots.queued()).isZero();
    }

    @Test
    void cancelAfterGrantSaysTheHolderMustRelease() {
        GenerationSlots slots = new GenerationSlots(1, 10);
        GenerationSlots.Ticket t = slots.acquire(direct, () -> {});

        assertThat(t.cancel()).isFalse();
    }

    @Test
    void fullQueueRefuses() {
        GenerationSlots slots = new GenerationSlots(1, 1);
        slots.acquire(direct, () -> {});
        assertThat(slots.acquire(direct, () -> {})).isNotNull();

        assertThat(slots.acquire(direct, () -> {})).isNull();
    }
}
