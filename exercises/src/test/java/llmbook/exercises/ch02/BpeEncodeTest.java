package llmbook.exercises.ch02;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import llmbook.tokenizer.BpeTokenizer;
import llmbook.tokenizer.BpeTrainer;
import llmbook.tokenizer.SplitPattern;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch02.bpe_encode", title = "BPE encoding with learned merges")
class BpeEncodeTest {
    static final int[][] HI = {{104, 105}, {256, 33}};

    @Test
    @Points(value = 1, hint = "start from the UTF-8 bytes, each byte value is its own id")
    void noMergesGiveTheBytes() {
        assertArrayEquals(new int[] {104, 105}, BpeEncode.encode("hi", new int[0][]));
        assertArrayEquals(new int[] {0xC3, 0xA9}, BpeEncode.encode("é", new int[0][]), "é is two UTF-8 bytes");
        assertArrayEquals(new int[0], BpeEncode.encode("", HI));
    }

    @Test
    @Points(value = 2, hint = "repeat: find the adjacent pair with the smallest merge index, replace it by 256 + index")
    void workedExample() {
        assertArrayEquals(new int[] {257}, BpeEncode.encode("hi!", HI));
        assertArrayEquals(new int[] {256, 104}, BpeEncode.encode("hih", HI));
        assertArrayEquals(new int[] {256, 32, 257}, BpeEncode.encode("hi hi!", HI));
    }

    @Test
    @Points(value = 1, hint = "merge order matters: the earliest-learned pair goes first, not the leftmost one")
    void earliestMergeWinsOverLeftmost() {
        int[][] merges = {{98, 99}, {97, 98}};                 // "bc" = 256 learned before "ab" = 257
        assertArrayEquals(new int[] {97, 256}, BpeEncode.encode("abc", merges));
    }

    @Test
    @Points(value = 1, hint = "an id >= 256 stands for the bytes of its two parts, which may themselves be merged ids")
    void decodeInvertsEncode() {
        assertEquals("hi hi!", BpeEncode.decode(new int[] {256, 32, 257}, HI));
        assertEquals("hé😀", BpeEncode.decode(BpeEncode.encode("hé😀", HI), HI));
    }

    @Test
    @Points(value = 3, hint = "compare with the library on real merges learned from text: same ids for every piece")
    void matchesTheLibraryOnLearnedMerges() {
        String train = "the whale, the white whale! Ahab hunts the whale across the sea; the sea is wide.";
        BpeTokenizer lib = BpeTrainer.train(train.repeat(5), 256 + 40);
        int[] left = lib.mergeLeft(), right = lib.mergeRight();
        int[][] merges = new int[left.length][];
        for (int i = 0; i < merges.length; i++) merges[i] = new int[] {left[i], right[i]};
        String text = "the white whale hunts Ahab across the wide sea";
        List<Integer> ours = new ArrayList<>();
        for (String piece : SplitPattern.GPT2.split(text)) for (int id : BpeEncode.encode(piece, merges)) ours.add(id);
        assertArrayEquals(lib.encode(text), ours.stream().mapToInt(Integer::intValue).toArray());
        assertEquals(text, BpeEncode.decode(lib.encode(text), merges));
    }
}
