package llmbook.bias;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

import llmbook.tensor.Rng;

class BiasTest {
    static float[][] cloud(Rng r, int n, int d, float[] shift) {
        float[][] out = new float[n][d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) out[i][j] = r.uniform(-1, 1) + shift[j];
        return out;
    }

    @Test
    void effectSizeByHandAndSignificance() {
        float[][] e1 = {{1, 0}}, e2 = {{0, 1}};
        assertEquals(Math.sqrt(2), Weat.effectSize(e1, e2, e1, e2), 1e-9);        // leans ±1, sample std √2
        assertEquals(-Math.sqrt(2), Weat.effectSize(e1, e2, e2, e1), 1e-9);
        Rng r = new Rng(1);
        int d = 8;
        float[] toA = new float[d], toB = new float[d], none = new float[d];
        toA[0] = 2; toB[1] = 2;
        float[][] A = cloud(r, 8, d, toA), B = cloud(r, 8, d, toB);
        float[][] X = cloud(r, 8, d, toA), Y = cloud(r, 8, d, toB);           // a real association
        assertTrue(Weat.effectSize(X, Y, A, B) > 1.2);
        assertTrue(Weat.pValue(X, Y, A, B, 2000, 3) < 0.01);
        double[] ci = Weat.bootstrap(X, Y, A, B, 500, 4);
        assertTrue(ci[0] > 0 && ci[0] < ci[1], java.util.Arrays.toString(ci));
        float[][] X0 = cloud(r, 8, d, none), Y0 = cloud(r, 8, d, none);      // none
        assertTrue(Weat.pValue(X0, Y0, A, B, 2000, 3) > 0.01);
    }

    @Test
    void projectionRemovesTheDirection() {
        Rng r = new Rng(2);
        int d = 6;
        float[] he = {1, 0, 0, 0, 0, 0}, she = {-1, 0, 0, 0, 0, 0};
        float[][] a = new float[5][], b = new float[5][];
        for (int i = 0; i < 5; i++) {                 // pairs = shared meaning ± the attribute axis (0), with noise
            float[] base = cloud(r, 1, d, new float[d])[0];
            a[i] = base.clone(); b[i] = base.clone();
            a[i][0] += 3 + r.uniform(-0.3f, 0.3f); b[i][0] -= 3 + r.uniform(-0.3f, 0.3f);
        }
        float[] g = Debias.direction(a, b);
        assertTrue(g[0] > 0.9, java.util.Arrays.toString(g));
        float[] v = {2, 1, 1, 0, 0, 0}, p = Debias.project(v, g);
        double dot = 0;
        for (int j = 0; j < d; j++) dot += p[j] * g[j];
        assertEquals(0, dot, 1e-5);
        // after projection, career-like words no longer lean to "he"
        float[][] X = {{1.5f, 1, 0, 0, 0, 0}, {1, 0, 1, 0, 0, 0}}, Y = {{-1.5f, 1, 0, 0, 0, 0}, {-1, 0, 1, 0, 0, 0}};
        float[][] A = {he}, B = {she};
        assertTrue(Weat.effectSize(X, Y, A, B) > 1);
        assertTrue(Math.abs(Weat.effectSize(Debias.project(X, g), Debias.project(Y, g), Debias.project(A, g), Debias.project(B, g))) < 0.3);
    }

    @Test
    void seatPutsEveryWordInEveryTemplateAndScoresTheSentenceVectors() throws Exception {
        var s = Seat.sentences(new String[] {"Kevin", "salary"}, Seat.TEMPLATES);
        assertEquals(2 * Seat.TEMPLATES.size(), s.size());
        assertEquals("This is Kevin.", s.get(0));
        assertEquals("Salary is here.", s.get(Seat.TEMPLATES.size() + 5));
        // a toy encoder: sentences about X-words or A-words point one way, Y/B-words the other, plus a template offset
        java.util.Set<String> left = java.util.Set.of("x1", "x2", "a1", "a2");
        java.util.function.Function<java.util.List<String>, float[][]> enc = texts -> texts.stream().map(t -> {
            boolean l = left.stream().anyMatch(w -> t.toLowerCase().contains(w));
            return new float[] {l ? 1f : 0f, l ? 0f : 1f, t.length() * 0.01f};
        }).toArray(float[][]::new);
        float[][] X = Seat.vectors(enc, new String[] {"x1", "x2"}), Y = Seat.vectors(enc, new String[] {"y1", "y2"});
        float[][] A = Seat.vectors(enc, new String[] {"a1", "a2"}), B = Seat.vectors(enc, new String[] {"b1", "b2"});
        assertEquals(12, X.length);
        assertTrue(Weat.effectSize(X, Y, A, B) > 1.5);
        assertTrue(Weat.effectSize(X, Y, B, A) < -1.5);
        assertThrows(IllegalArgumentException.class, () -> Seat.vectors(t -> new float[1][3], new String[] {"x"}));
        // the real encoder: MiniLM sentence vectors, one unit row per sentence
        float[][] v = Seat.vectors(llmbook.model.MiniLm.load(), new String[] {"Kevin"});
        assertEquals(Seat.TEMPLATES.size(), v.length);
        double n = 0;
        for (float f : v[0]) n += f * f;
        assertEquals(1, n, 1e-3);
    }
}
