package llmbook.exercises.ch09;

/**
 * Exercise ch09.nf4_block — quantise one block of weights to NF4 and back. Q17.
 *
 * <p>NF4 (QLoRA) stores a block of weights as its absolute maximum m and, per weight, the index of the nearest of
 * the 16 values below to {@code w / m}. Reading back: {@code ŵ = CODE[index] · m}. An all-zero block has m = 0 and
 * decodes to zeros (use the index of 0.0, which is 7).
 * Run {@code ./llmbook grade 9} to see your score.
 */
public final class Nf4Block {
    private Nf4Block() {}

    /** The NF4 values (bitsandbytes / the QLoRA paper), ascending. */
    public static final float[] CODE = {-1.0f, -0.6961928f, -0.52507305f, -0.3949175f, -0.28444138f, -0.18477343f, -0.09105004f, 0.0f,
            0.0795803f, 0.1609302f, 0.2461123f, 0.33791524f, 0.44070983f, 0.562617f, 0.72295684f, 1.0f};

    /** The block's absmax m = max |w|. */
    public static float absmax(float[] block) {
        throw new UnsupportedOperationException("TODO ch09.nf4_block: the largest |w|");
    }

    /** For each weight, the index (0 … 15) of the CODE value nearest w / absmax. */
    public static int[] quantize(float[] block) {
        throw new UnsupportedOperationException("TODO ch09.nf4_block: nearest CODE entry to w / absmax");
    }

    /** ŵ_i = CODE[codes_i] · absmax. */
    public static float[] dequantize(int[] codes, float absmax) {
        throw new UnsupportedOperationException("TODO ch09.nf4_block: CODE[code] times absmax");
    }
}
