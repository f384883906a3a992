package llmbook.exercises.ch12;

/**
 * Exercise ch12.int8_block — block-wise INT8 quantisation and an integer dot product (Q8_0-style). Q50.
 *
 * <p>Goal: store a vector in one signed byte per value plus one float scale per block of {@code block} values, and
 * multiply two such vectors with integer arithmetic. Each block's scale is its largest absolute value divided by
 * 127, so that value becomes ±127; every value is divided by the scale and rounded to the nearest integer (a block of
 * zeros has scale 0 and codes 0; a last block may be shorter). Reading back multiplies code by scale. The dot product
 * of two quantised vectors (same length, same blocks) sums, block by block, the integer dot product of the codes
 * (accumulated in an {@code int}) times the two blocks' scales. {@link #dot} assembles it all from float vectors.
 *
 * <p>Worked example, block 2: x = (0.5, −1, 2, 1) → scales (1/127, 2/127), codes (64, −127, 127, 64) (0.5·127 = 63.5
 * rounds to 64). Read back: (0.504, −1, 2, 1.008).
 * Run {@code ./llmbook grade 12} to see your score.
 */
public final class Int8Block {
    private Int8Block() {}

    /** The codes of {@code x}; writes one scale per block into {@code scales} (length ⌈n/block⌉). */
    public static byte[] quantize(float[] x, int block, float[] scales) {
        throw new UnsupportedOperationException("TODO ch12.int8_block: scale = absmax/127 per block, code = round(x/scale)");
    }

    public static float[] dequantize(byte[] codes, float[] scales, int block) {
        throw new UnsupportedOperationException("TODO ch12.int8_block: code × its block's scale");
    }

    /** Σ_blocks scaleA·scaleB·(Σ_i a_i·b_i over the block, in int). */
    public static float dot(byte[] a, float[] sa, byte[] b, float[] sb, int block) {
        throw new UnsupportedOperationException("TODO ch12.int8_block: integer dot per block, then scale");
    }

    /** Quantises both vectors and returns their INT8 dot product. */
    public static float dot(float[] x, float[] y, int block) {
        throw new UnsupportedOperationException("TODO ch12.int8_block: quantize both, then dot");
    }
}
