package io.friendliflink.job.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@link PythonRandom} against CPython 3.11's {@code random.Random}: the expected values were printed by
 * CPython ({@code python3 -c "import random; r = random.Random(1234); print(...)"}), so the harness's
 * few-shot sampler ({@code lm_eval/api/samplers.py}, {@code self.rnd.sample(...)}) picks the same examples.
 */
class PythonRandomTest {

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    @Test
    void seed1234GivesCPythonsFirstWords() {
        PythonRandom r = new PythonRandom(1234);
        // [r.getrandbits(32) for _ in range(3)]
        assertThat(List.of(r.getrandbits(32), r.getrandbits(32), r.getrandbits(32)))
                .containsExactly(4150886329L, 3342196574L, 1892932127L);
    }

    @Test
    void samplesMatchCPythonOnOneGeneratorAcrossCallsAndBothAlgorithms() {
        PythonRandom r = new PythonRandom(1234);
        // r.sample(range(10), 3), r.sample(range(10), 4): the pool algorithm
        assertThat(r.sample(range(10), 3)).containsExactly(7, 1, 0);
        assertThat(r.sample(range(10), 4)).containsExactly(1, 0, 9, 8);
        // r.sample(range(100), 7): 100 > 21 + 4 ** ceil(log(21, 4)), the set algorithm
        assertThat(r.sample(range(100), 7)).containsExactly(98, 45, 30, 2, 3, 44, 82);
        // r.sample(range(5), 5)
        assertThat(r.sample(range(5), 5)).containsExactly(4, 3, 2, 1, 0);
    }

    @Test
    void aSeedWiderThan32BitsIsTwoKeyWords() {
        // random.Random(2**40 + 5).sample(range(1000), 6)
        assertThat(new PythonRandom((1L << 40) + 5).sample(range(1000), 6)).containsExactly(516, 529, 275, 679, 948, 28);
    }

    @Test
    void theHarnessDrawsForTheSampleDataAreCPythons() {
        // random.Random(1234): [r.sample(range(5), 3) for _ in range(3)], hellaswag's and winogrande's k=2 (+1)
        PythonRandom r = new PythonRandom(1234);
        assertThat(List.of(r.sample(range(5), 3), r.sample(range(5), 3), r.sample(range(5), 3)))
                .containsExactly(List.of(3, 0, 4), List.of(0, 4, 2), List.of(0, 4, 1));
    }

    @Test
    void aSampleLargerThanThePopulationIsRefusedAsPythonDoes() {
        assertThatThrownBy(() -> new PythonRandom(1).sample(range(2), 3))
                .hasMessageContaining("Sample larger than population");
    }
}
