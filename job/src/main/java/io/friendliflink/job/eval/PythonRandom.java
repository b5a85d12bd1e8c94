package io.friendliflink.job.eval;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * CPython's {@code random.Random} for the calls the harness's few-shot sampler makes: seeding with an int
 * and {@code sample(population, k)}, so the same seed picks the same examples in the same order.
 *
 * <p>The generator is MT19937 seeded with {@code init_by_array} over the seed's 32-bit words
 * ({@code Modules/_randommodule.c}); {@code sample} and {@code _randbelow_with_getrandbits} follow
 * {@code Lib/random.py} line for line (a pool for small populations, a set of taken indexes for large ones).
 * lm-evaluation-harness seeds its sampler once per task with {@code fewshot_random_seed} (1234 unless
 * {@code --seed} names a fourth value, {@code lm_eval/defaults.py}) and draws for each document in order.
 *
 * <p>{@code
 * PythonRandom r = new PythonRandom(1234);
 * // as random.Random(1234).sample(range(10), 3) in Python: [7, 1, 0]
 * List<Integer> picks = r.sample(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), 3);
 * }
 */
final class PythonRandom {
    private static final int N = 624;
    private static final int M = 397;

    private final int[] mt = new int[N];
    private int index;

    /** As {@code random.Random(seed)} for a non-negative int seed. */
    PythonRandom(long seed) {
        if (seed < 0) {
            throw new IllegalArgumentException("seed must not be negative, was " + seed);
        }
        // CPython uses abs(seed) as little-endian 32-bit words, at least one.
        int[] key = (seed >>> 32) == 0 ? new int[] {(int) seed} : new int[] {(int) seed, (int) (seed >>> 32)};
        initByArray(key);
    }

    private void initGenrand(int s) {
        mt[0] = s;
        for (int i = 1; i < N; i++) {
            mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        }
        index = N;
    }

    private void initByArray(int[] key) {
        initGenrand(19650218);
        int i = 1;
        int j = 0;
        for (int k = Math.max(N, key.length); k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1664525)) + key[j] + j;
            i++;
            j++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
            if (j >= key.length) {
                j = 0;
            }
        }
        for (int k = N - 1; k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1566083941)) - i;
            i++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }
        mt[0] = 0x80000000;
    }

    /** The next 32 random bits, as {@code genrand_uint32}. */
    int nextInt32() {
        if (index >= N) {
            for (int k = 0; k < N; k++) {
                int y = (mt[k] & 0x80000000) | (mt[(k + 1) % N] & 0x7fffffff);
                mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
            }
            index = 0;
        }
        int y = mt[index++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    /** {@code getrandbits(k)} for {@code 1 <= k <= 32}. */
    long getrandbits(int k) {
        if (k < 1 || k > 32) {
            throw new IllegalArgumentException("k must be 1 to 32, was " + k);
        }
        return Integer.toUnsignedLong(nextInt32()) >>> (32 - k);
    }

    /** {@code _randbelow_with_getrandbits(n)}: uniform in {@code [0, n)}, by rejection. */
    int randbelow(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("n must be positive, was " + n);
        }
        int k = 32 - Integer.numberOfLeadingZeros(n); // n.bit_length()
        long r = getrandbits(k);
        while (r >= n) {
            r = getrandbits(k);
        }
        return (int) r;
    }

    /** {@code sample(population, k)}: {@code k} distinct positions' elements, in selection order. */
    <T> List<T> sample(List<T> population, int k) {
        int n = population.size();
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("Sample larger than population or is negative: " + k + " of " + n);
        }
        List<T> result = new ArrayList<>(k);
        long setsize = 21;
        if (k > 5) {
            setsize += (long) Math.pow(4, Math.ceil(Math.log(k * 3.0) / Math.log(4)));
        }
        if (n <= setsize) {
            List<T> pool = new ArrayList<>(population);
            for (int i = 0; i < k; i++) {
                int j = randbelow(n - i);
                result.add(pool.get(j));
                pool.set(j, pool.get(n - i - 1));
            }
        } else {
            Set<Integer> selected = new HashSet<>();
            for (int i = 0; i < k; i++) {
                int j = randbelow(n);
                while (selected.contains(j)) {
                    j = randbelow(n);
                }
                selected.add(j);
                result.add(population.get(j));
            }
        }
        return result;
    }
}
