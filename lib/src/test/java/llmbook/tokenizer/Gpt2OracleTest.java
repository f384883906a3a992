package llmbook.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Our encoder with GPT-2's ranks against JTokkit (the oracle): identical ids, and decode inverts them. */
class Gpt2OracleTest {
    static final Encoding ORACLE = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.R50K_BASE);
    static final BpeTokenizer GPT2 = BpeTokenizer.gpt2();

    static void same(String text) {
        int[] expected = ORACLE.encodeOrdinary(text).toArray();
        int[] ours = GPT2.encodeOrdinary(text);
        assertArrayEquals(expected, ours, () -> "ids differ on [" + (text.length() > 80 ? text.substring(0, 80) + "..." : text) + "]");
        IntArrayList list = new IntArrayList();
        for (int id : ours) list.add(id);
        assertArrayEquals(ORACLE.decodeBytes(list), GPT2.decodeBytes(ours));
        assertEquals(new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8), GPT2.decode(ours));
    }

    @Test
    void knownIds() {
        assertEquals(50257, GPT2.vocabSize());
        assertArrayEquals(new int[] {15496, 995}, GPT2.encode("Hello world"));
        assertEquals(50256, GPT2.encode("<|endoftext|>")[0]);
    }

    @Test
    void wholeBookMatchesTheOracle() {
        same(TestText.mobyDick());
    }

    @Test
    void stateOfTheUnionAddressesMatch() {
        String sotu = llmbook.data.Corpus.load("sotu").text();
        same(sotu.substring(0, Math.min(sotu.length(), 2_000_000)));   // 1790s to 1900s prose, numbers, tables
    }

    @Test
    void everyLineOfTheBookMatches() {
        for (String line : TestText.mobyDick().split("\n")) same(line);
    }

    @Test
    void edgeCasesMatch() {
        for (String s : TestText.EDGE_CASES) same(s);
        same("a".repeat(100_000));
        same(" ".repeat(5_000) + "x");
        same("😀".repeat(3_000));
        same("0123456789".repeat(1_000));
    }

    @Test
    void randomUnicodeMatches() {
        Random r = new Random(11);
        for (int t = 0; t < 3_000; t++) {
            StringBuilder sb = new StringBuilder();
            int n = 1 + r.nextInt(40);
            for (int i = 0; i < n; i++) {
                int kind = r.nextInt(6);
                int cp = switch (kind) {
                    case 0 -> 32 + r.nextInt(95);
                    case 1 -> 0xA0 + r.nextInt(0x500);
                    case 2 -> 0x3040 + r.nextInt(0x6000);
                    case 3 -> 0x1F300 + r.nextInt(0x300);
                    case 4 -> " \n\t'".charAt(r.nextInt(4));
                    default -> r.nextInt(0x30000);
                };
                if (Character.isValidCodePoint(cp)) sb.appendCodePoint(cp);
            }
            same(sb.toString());
        }
    }

    @Test
    void gpt4Cl100kMatchesTheOracleToo() {
        Encoding oracle = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
        BpeTokenizer ours = BpeTokenizer.cl100k();
        java.util.List<String> texts = new java.util.ArrayList<>(java.util.List.of(TestText.EDGE_CASES));
        texts.add(TestText.mobyDick());
        texts.add("I'M 1234567 AND YOU'RE   \n\n  x\r\n\ty");
        Random r = new Random(5);
        int[] cps = "aZé1٣ '\n\r\t.,!?/sdmtSLVRE😀日\u0301".codePoints().toArray();
        for (int t = 0; t < 2_000; t++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0, n = 1 + r.nextInt(30); i < n; i++) sb.appendCodePoint(cps[r.nextInt(cps.length)]);
            texts.add(sb.toString());
        }
        for (String text : texts) {
            if (!new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(text)) continue;  // JTokkit's cl100k refuses lone surrogates
            assertArrayEquals(oracle.encodeOrdinary(text).toArray(), ours.encodeOrdinary(text),
                    () -> "cl100k ids differ on [" + (text.length() > 80 ? text.substring(0, 80) : text) + "]");
        }
        assertEquals(100257, ours.encode("<|endoftext|>")[0]);
        assertEquals(java.util.List.of("<|endoftext|>", "<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>", "<|endofprompt|>"),
                java.util.List.copyOf(ours.specialTokens().keySet()));
    }

    @Test
    void specialTokenIsOneIdInEncode() {
        int[] ids = GPT2.encode("end<|endoftext|>start");
        assertArrayEquals(new int[] {437, 50256, 9688}, ids);
        assertEquals("end<|endoftext|>start", GPT2.decode(ids));
    }
}
