package llmbook.tensor;

/**
 * The one source of randomness: a seeded SplitMix64 generator, so a whole run is reproducible from one seed.
 *
 * <p>State update {@code s ← s + 0x9E3779B97F4A7C15}, output {@code z = mix(s)} (Steele, Lea and Flood's SplitMix64).
 * {@link #nextFloat()} keeps the top 24 bits: {@code (z >>> 40) · 2⁻²⁴}, a float in [0, 1) with every value exact,
 * which makes the stream easy to reproduce in another language (the MLP oracle test does so in Python).
 * Normals use Box–Muller on two such uniforms (in double, rounded to float once).
 *
 * <p>Not thread-safe: give each thread its own {@code Rng} ({@link #split()}).
 */
public final class Rng {
    private long state;
    private final long seed;

    public Rng(long seed) {
        this.seed = seed;
        this.state = seed;
    }

    /** The seed this generator was created with. */
    public long seed() { return seed; }

    /** The generator's position in its stream: with {@link #setState} it lets a resumed run continue the same draws. */
    public long state() { return state; }

    /** Moves the generator to a position returned by {@link #state()}. */
    public void setState(long state) { this.state = state; }

    /** The next 64 random bits. */
    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A uniform float in [0, 1): {@code (nextLong() >>> 40) · 2⁻²⁴}. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** A uniform double in [0, 1) from the top 53 bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** A uniform float in [lo, hi). */
    public float uniform(float lo, float hi) {
        return lo + (hi - lo) * nextFloat();
    }

    /** A uniform int in [0, bound); throws if {@code bound <= 0}. */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("Rng.nextInt: bound must be > 0, got " + bound);
        // multiply-shift on 32 random bits; bias < bound / 2^32, negligible for our sizes
        return (int) (((nextLong() >>> 32) * bound) >>> 32);
    }

    /** A standard normal sample (Box–Muller; uses two uniforms per call, no cached spare, so the stream stays simple). */
    public float nextGaussian() {
        double u1 = 1.0 - nextDouble(); // (0, 1]: log is finite
        double u2 = nextDouble();
        return (float) (Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2));
    }

    /** A new generator seeded from this one's stream (for a second, independent stream). */
    public Rng split() {
        return new Rng(nextLong());
    }

    /** Fisher–Yates shuffle of {@code a} in place. */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i]; a[i] = a[j]; a[j] = t;
        }
    }

    @Override
    public String toString() { return "Rng(seed=" + seed + ")"; }
}
