package llmbook.kernels;

import static jdk.incubator.vector.VectorOperators.SQRT;

import jdk.incubator.vector.FloatVector;

/** Vector API AdamW step (one thread: it is memory-bound and runs once per parameter tensor per step). */
final class AdamWVector {
    private AdamWVector() {}

    private static final int L = Vec.L;

    static void step(float[] p, float[] g, float[] m, float[] v, int off, int n,
                     float lr, float beta1, float beta2, float eps, float weightDecay, int t) {
        float c1 = (float) (1.0 / (1.0 - Math.pow(beta1, t)));
        float c2 = (float) (1.0 / (1.0 - Math.pow(beta2, t)));
        float b1c = 1f - beta1, b2c = 1f - beta2;
        int i = off, end = off + n;
        for (; i <= end - L; i += L) {
            FloatVector gi = FloatVector.fromArray(Vec.S, g, i);
            FloatVector mi = FloatVector.fromArray(Vec.S, m, i).mul(beta1).add(gi.mul(b1c));
            FloatVector vi = FloatVector.fromArray(Vec.S, v, i).mul(beta2).add(gi.mul(b2c).mul(gi));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            FloatVector pi = FloatVector.fromArray(Vec.S, p, i);
            FloatVector upd = mi.mul(c1).div(vi.mul(c2).lanewise(SQRT).add(eps)).add(pi.mul(weightDecay));
            pi.sub(upd.mul(lr)).intoArray(p, i);
        }
        for (; i < end; i++) {
            float gi = g[i];
            float mi = beta1 * m[i] + b1c * gi;
            float vi = beta2 * v[i] + b2c * gi * gi;
            m[i] = mi;
            v[i] = vi;
            p[i] -= lr * (mi * c1 / ((float) Math.sqrt(vi * c2) + eps) + weightDecay * p[i]);
        }
    }
}
