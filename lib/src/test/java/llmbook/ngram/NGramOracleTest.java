package llmbook.ngram;

import static org.junit.jupiter.api.Assertions.*;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import llmbook.util.Json;

/**
 * NGramLm against NLTK 3.8's interpolated Kneser–Ney on a small character text: the committed fixture
 * {@code nltk-oracle.json} written by {@code lib/src/test/python/ngram_oracle.py} (Debian's python3-nltk; the test
 * itself needs no Python). NLTK has one discount d and no uniform floor under its continuation unigram, so we compare
 * {@link NGramLm#fixedDiscount} (our modified KN estimates three discounts instead — not comparable):
 * <ul>
 *   <li>against NLTK with only its unigram level replaced by ours: every log-probability to 1e-9 (counting,
 *       continuation counts, α/γ and the interpolation are NLTK's code);</li>
 *   <li>against stock NLTK: within 0.05 nats per character and 1 % in perplexity (the vocabulary holds one character
 *       never seen in training, so the two unigram levels differ a little for every token; with every vocabulary
 *       token seen they coincide), and that unseen character gets 0 from NLTK, a small positive probability from
 *       us.</li>
 * </ul>
 */
class NGramOracleTest {
    @SuppressWarnings("unchecked")
    @Test
    void fixedDiscountKneserNeyMatchesNltk() throws Exception {
        Map<String, Object> f;
        try (InputStream in = getClass().getResourceAsStream("/llmbook/ngram/nltk-oracle.json")) {
            f = Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        String chars = (String) f.get("chars"), train = (String) f.get("train"), test = (String) f.get("test");
        int V = chars.length();
        java.util.function.Function<String, int[]> ids = s -> s.chars().map(chars::indexOf).toArray();
        int[] tr = ids.apply(train), te = ids.apply(test);
        for (Object o : (List<Object>) f.get("cases")) {
            Map<String, Object> c = (Map<String, Object>) o;
            int order = ((Number) c.get("order")).intValue();
            double d = ((Number) c.get("discount")).doubleValue();
            NGramLm lm = NGramLm.train(tr, V, order).fixedDiscount(d);
            double[] ours = lm.logProbs(te);
            for (String name : List.of("nltk_floor", "nltk")) {
                Map<String, Object> ref = (Map<String, Object>) c.get(name);
                List<Object> lp = (List<Object>) ref.get("log_probs");
                double tol = name.equals("nltk") ? 0.05 : 1e-9;            // stock NLTK: only the unigram level differs
                for (int i = 0; i < te.length; i++)
                    assertEquals(((Number) lp.get(i)).doubleValue(), ours[i], tol, name + ", order " + order + ", position " + i);
                assertEquals(((Number) ref.get("perplexity")).doubleValue(), lm.perplexity(te), name.equals("nltk") ? 0.01 * lm.perplexity(te) : 1e-9);
            }
            int[] unseen = ids.apply("the z".substring(5 - order));
            double pz = lm.prob(unseen, unseen.length - 1);
            assertEquals(((Number) ((Map<String, Object>) c.get("nltk_floor")).get("p_unseen_after_the")).doubleValue(), pz, 1e-12);
            assertEquals(0.0, ((Number) ((Map<String, Object>) c.get("nltk")).get("p_unseen_after_the")).doubleValue());
            assertTrue(pz > 0);
            // modified KN (estimated discounts) is a different model: it must differ, and still normalise
            lm.kneserNey();
            assertNotEquals(((Number) ((Map<String, Object>) c.get("nltk")).get("perplexity")).doubleValue(), lm.perplexity(te), 1e-6);
        }
    }
}
