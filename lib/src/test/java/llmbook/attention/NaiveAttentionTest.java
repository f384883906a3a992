package llmbook.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;

import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The composed attention against a control: four nested loops in double precision, with the mask written out as
 * the definition says (causal: j ≤ Tk − Tq + i; padding: j < length[b]) and shared heads as g = h / (H/G).
 * Tolerance 1e-5: float32 scores of size ≲ 10 through a softmax and a weighted sum of ≤ 7 terms.
 */
class NaiveAttentionTest {
    static double[] naive(Tensor q, Tensor k, Tensor v, boolean causal, int[] lengths, double scale) {
        int b = q.size(0), h = q.size(1), tq = q.size(2), dk = q.size(3), g = k.size(1), tk = k.size(2), dv = v.size(3);
        double[] out = new double[b * h * tq * dv];
        for (int bb = 0; bb < b; bb++)
            for (int hh = 0; hh < h; hh++) {
                int kh = hh / (h / g);
                for (int i = 0; i < tq; i++) {
                    double[] s = new double[tk];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < tk; j++) {
                        boolean visible = (!causal || j <= tk - tq + i) && (lengths == null || j < lengths[bb]);
                        if (!visible) { s[j] = Double.NEGATIVE_INFINITY; continue; }
                        double dot = 0;
                        for (int c = 0; c < dk; c++) dot += (double) q.get(bb, hh, i, c) * k.get(bb, kh, j, c);
                        s[j] = scale * dot;
                        max = Math.max(max, s[j]);
                    }
                    double z = 0;
                    for (int j = 0; j < tk; j++) { s[j] = Math.exp(s[j] - max); z += s[j]; }
                    for (int c = 0; c < dv; c++) {
                        double acc = 0;
                        for (int j = 0; j < tk; j++) acc += s[j] / z * v.get(bb, kh, j, c);
                        out[((bb * h + hh) * tq + i) * dv + c] = acc;
                    }
                }
            }
        return out;
    }

    @Test void composedEqualsNaiveForEveryMaskAndHeadSharing() {
        Rng rng = new Rng(77);
        int[][] heads = {{3, 3}, {4, 2}, {4, 1}};
        for (int[] hg : heads)
            for (int tq : new int[] {1, 5, 7}) {
                int tk = 7;
                Tensor q = Tensor.randn(rng, 2, hg[0], tq, 5), k = Tensor.randn(rng, 2, hg[1], tk, 5), v = Tensor.randn(rng, 2, hg[1], tk, 3);
                Object[][] masks = {{Mask.NONE, false, null}, {Mask.CAUSAL, true, null},
                                    {Mask.padding(7, 4), false, new int[] {7, 4}}, {Mask.causalPadding(2, 6), true, new int[] {2, 6}}};
                for (Object[] m : masks)
                    for (float scale : new float[] {Float.NaN, 1f}) {
                        double sc = Float.isNaN(scale) ? 1 / Math.sqrt(5) : 1;
                        double[] want = naive(q, k, v, (Boolean) m[1], (int[]) m[2], sc);
                        float[] got = ScaledDotProductAttention.attend(q, k, v, (Mask) m[0], scale, null).toArray();
                        for (int i = 0; i < want.length; i++)
                            assertEquals(want[i], got[i], 1e-5 * Math.max(1, Math.abs(want[i])),
                                    "H=" + hg[0] + " G=" + hg[1] + " Tq=" + tq + " " + m[0] + " scale " + scale + " at " + i);
                    }
            }
    }
}
