package llmbook.model.transformer;

import java.util.Arrays;
import java.util.Map;
import java.util.regex.Pattern;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * Uptraining a multi-head checkpoint to grouped-query attention (Ainslie et al. 2023, "GQA"): the key and value
 * projections of the H heads are averaged within each of G consecutive groups (the heads that will share one K/V
 * head, {@code g = ⌊h/(H/G)⌋}), every other weight is copied, and the result is trained a little more. Chapter 13.
 * <pre>{@code
 * Decoder gqa = HeadPooling.toGqa(trainedMha, 2);   // same model, half the KV cache; then a few % of the steps again
 * }</pre>
 * With G = H nothing is averaged and the copy computes exactly what the original does; when the heads of a group
 * already have equal keys and values, neither does the pooled model differ (both tested).
 */
public final class HeadPooling {
    private HeadPooling() {}

    private static final Pattern KV = Pattern.compile("h\\.\\d+\\.attn\\.[kv]\\.(weight|bias)");

    /** A GQA copy of the MHA decoder {@code mha} with {@code groups} key/value heads, K and V mean-pooled per group. */
    public static Decoder toGqa(Decoder mha, int groups) {
        TransformerConfig c = mha.config;
        if (c.attention() != TransformerConfig.Attention.MHA)
            throw new IllegalArgumentException("HeadPooling.toGqa: the model must use multi-head attention, got " + c.attentionName());
        if (groups < 1 || c.heads() % groups != 0)
            throw new IllegalArgumentException("HeadPooling.toGqa: groups must divide the " + c.heads() + " heads, got " + groups);
        Decoder out = new Decoder(c.withGqa(groups), new Rng(0));
        Map<String, Tensor> from = mha.namedParameters();
        int per = c.heads() / groups, d = c.headDim();
        for (var e : out.namedParameters().entrySet()) {
            Tensor src = from.get(e.getKey()).contiguous(), dst = e.getValue();
            float[] s = src.data(), t = dst.data();
            int so = src.offset(), to = dst.offset();
            if (KV.matcher(e.getKey()).matches()) {
                int cols = src.dim() == 2 ? src.shape()[1] : 1;              // a row per output feature: head h owns rows h·d … h·d + d
                Arrays.fill(t, to, to + dst.numel(), 0f);
                for (int g = 0; g < groups; g++)
                    for (int j = 0; j < per; j++)
                        for (int r = 0; r < d; r++)
                            for (int k = 0; k < cols; k++)
                                t[to + (g * d + r) * cols + k] += s[so + ((g * per + j) * d + r) * cols + k] / per;
            } else {
                if (!Arrays.equals(src.shape(), dst.shape()))
                    throw new IllegalStateException("HeadPooling.toGqa: " + e.getKey() + " is " + Arrays.toString(src.shape()) + " vs " + Arrays.toString(dst.shape()));
                System.arraycopy(s, so, t, to, src.numel());
            }
        }
        return out;
    }
}
