package llmbook.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import llmbook.data.Corpus;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.Test;

/**
 * Our BM25 against Lucene's {@code BM25Similarity} (k₁ 1.2, b 0.75) on the same tokens: the same top-10 documents in
 * the same order, and the same scores to 1e-5 relative, for 50 queries over State of the Union sentences. The
 * documents are kept under 24 tokens because Lucene stores a document's length in one byte, exactly only below 24
 * (SmallFloat.intToByte4); longer lengths are rounded, which would change its scores but not the formula.
 */
class Bm25LuceneTest {
    /** Feeds Lucene our tokens as they are: the field text is the tokens joined by single spaces. */
    static final class SpaceTokenizer extends Tokenizer {
        private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
        private String[] toks;
        private int i;

        @Override public boolean incrementToken() throws IOException {
            clearAttributes();
            if (toks == null) {
                StringBuilder sb = new StringBuilder();
                char[] buf = new char[1024];
                for (int n; (n = input.read(buf)) > 0; ) sb.append(buf, 0, n);
                toks = sb.isEmpty() ? new String[0] : sb.toString().split(" ");
                i = 0;
            }
            if (i >= toks.length) return false;
            term.setEmpty().append(toks[i++]);
            return true;
        }

        @Override public void reset() throws IOException {
            super.reset();
            toks = null;
        }
    }

    @Test
    void sameTopTenAsLucene() throws IOException {
        List<List<String>> docs = new ArrayList<>(), queries = new ArrayList<>();
        for (Corpus.Document d : Corpus.load("sotu").documents()) {
            for (String s : Passages.sentences(d.text())) {
                List<String> t = Terms.of(s);
                if (t.size() >= 3 && t.size() < 24) docs.add(t);
            }
            if (docs.size() >= 6000) break;
        }
        Random rng = new Random(7);
        while (queries.size() < 50) {                      // 2–5 words of a random document, sometimes a word no document has
            List<String> src = docs.get(rng.nextInt(docs.size()));
            List<String> q = new ArrayList<>();
            for (int j = 0, n = 2 + rng.nextInt(4); j < n; j++) q.add(src.get(rng.nextInt(src.size())));
            if (rng.nextInt(5) == 0) q.add("zzunseen");
            queries.add(q);
        }
        Bm25 ours = new Bm25(docs);

        Analyzer analyzer = new Analyzer() {
            @Override protected TokenStreamComponents createComponents(String field) { return new TokenStreamComponents(new SpaceTokenizer()); }
        };
        try (var dir = new ByteBuffersDirectory()) {
            IndexWriterConfig cfg = new IndexWriterConfig(analyzer).setSimilarity(new BM25Similarity(1.2f, 0.75f)).setRAMBufferSizeMB(256);
            try (var w = new IndexWriter(dir, cfg)) {
                for (List<String> d : docs) {
                    Document doc = new Document();
                    doc.add(new TextField("body", String.join(" ", d), Field.Store.NO));
                    w.addDocument(doc);
                }
            }
            try (var reader = DirectoryReader.open(dir)) {
                assertEquals(1, reader.leaves().size(), "one segment, so Lucene's doc ids are our document indexes");
                IndexSearcher searcher = new IndexSearcher(reader);
                searcher.setSimilarity(new BM25Similarity(1.2f, 0.75f));
                int compared = 0;
                for (List<String> q : queries) {
                    BooleanQuery.Builder b = new BooleanQuery.Builder();
                    for (String t : q) b.add(new TermQuery(new Term("body", t)), BooleanClause.Occur.SHOULD);
                    ScoreDoc[] theirs = searcher.search(b.build(), 10).scoreDocs;
                    List<Bm25.Hit> mine = ours.search(q, 10);
                    assertEquals(theirs.length, mine.size(), "hits for " + q);
                    for (int i = 0; i < theirs.length; i++) {
                        assertEquals(theirs[i].doc, mine.get(i).doc(), "rank " + (i + 1) + " for " + q);
                        assertEquals(theirs[i].score, mine.get(i).score(), 1e-5 * theirs[i].score, "score at rank " + (i + 1) + " for " + q);
                        compared++;
                    }
                }
                assertTrue(compared >= 400, "compared only " + compared + " ranks");
            }
        }
    }
}
