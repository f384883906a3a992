package llmbook.exercises.ch08;

import java.util.Arrays;
import java.util.List;
import llmbook.model.LanguageModel;
import llmbook.sample.Generator;
import llmbook.tokenizer.Tokenizer;

/** Solution of ch08.scratchpad (see the starter for the exercise). Q24. */
public final class Scratchpad {
    private Scratchpad() {}

    public static String detailed(long a, long b) {
        int cols = Math.max(Long.toString(a).length(), Long.toString(b).length());
        StringBuilder sb = new StringBuilder();
        long x = a, y = b;
        int carry = 0;
        for (int i = 0; i < cols; i++) {
            int dx = (int) (x % 10), dy = (int) (y % 10), s = dx + dy + carry;
            if (i > 0) sb.append(',');
            sb.append(dx).append('+').append(dy).append('+').append(carry).append('=').append(s / 10).append(s % 10);
            carry = s / 10;
            x /= 10;
            y /= 10;
        }
        return sb.append(':').append(a + b).toString();
    }

    public static String answerOf(String completion) {
        String s = completion;
        int nl = s.indexOf('\n');
        if (nl >= 0) s = s.substring(0, nl);
        int colon = s.lastIndexOf(':');
        if (colon < 0) return null;
        s = s.substring(colon + 1);
        return !s.isEmpty() && s.chars().allMatch(Character::isDigit) ? s : null;
    }

    public static double exactMatch(LanguageModel model, Tokenizer tok, List<long[]> sums, int maxNew) {
        Generator g = new Generator(model).stopAt(tok.encode("\n")[0]);
        int right = 0;
        for (long[] s : sums) {
            int[] p = tok.encode(s[0] + "+" + s[1] + "=");
            int[] all = g.greedy(p, maxNew);
            String ans = answerOf(tok.decode(Arrays.copyOfRange(all, p.length, all.length)));
            if (Long.toString(s[0] + s[1]).equals(ans)) right++;
        }
        return right / (double) sums.size();
    }
}
