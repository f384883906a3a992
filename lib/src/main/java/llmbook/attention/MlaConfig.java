package llmbook.attention;

/**
 * Shape of a multi-head latent attention layer (DeepSeek-V2). Q9 (the MHA → MQA → GQA → MLA story).
 *
 * @param dModel  width C of the residual stream
 * @param nHeads  heads H, each with a content part of size d = C/H
 * @param dLatent d_c: size of the joint K/V latent c_KV cached per token (DeepSeek-V2: 4·d, much less than 2·C)
 * @param dRope   d_R: size of the decoupled RoPE part of each query and of the one RoPE key shared by all heads (even)
 */
public record MlaConfig(int dModel, int nHeads, int dLatent, int dRope) {
    public MlaConfig {
        if (dModel < 1) throw new IllegalArgumentException("MlaConfig: dModel must be >= 1, got " + dModel);
        if (nHeads < 1 || dModel % nHeads != 0)
            throw new IllegalArgumentException("MlaConfig: nHeads=" + nHeads + " must be >= 1 and divide dModel=" + dModel);
        if (dLatent < 1) throw new IllegalArgumentException("MlaConfig: dLatent must be >= 1, got " + dLatent);
        if (dRope < 2 || dRope % 2 != 0)
            throw new IllegalArgumentException("MlaConfig: dRope must be even and >= 2 (RoPE rotates pairs), got " + dRope);
    }

    /** Content head size d = C/H. */
    public int headDim() { return dModel / nHeads; }

    /** fp32 bytes cached per token per layer: {@code (d_c + d_R) · 4}. */
    public long kvCacheBytesPerToken() { return (long) (dLatent + dRope) * Float.BYTES; }
}
