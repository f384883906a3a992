package llmbook.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DiagnosticsTest {
    @Test
    void leadingNoiseSkipsBlankLinesAndCommentsButKeepsJavadoc() {
        assertEquals(0, Diagnostics.leadingNoise("int x;"));
        assertEquals("\n\n  ".length(), Diagnostics.leadingNoise("\n\n  int x;"));
        String comments = "// one\n/* two\n */\n";
        assertEquals(comments.length(), Diagnostics.leadingNoise(comments + "f();"));
        assertEquals(2, Diagnostics.leadingNoise("\n\n/** doc */ void f() {}"));
        assertEquals("/**/ ".length(), Diagnostics.leadingNoise("/**/ f();"));
        assertEquals(1, Diagnostics.leadingNoise("\n/* never closed"), "the compiler reports an open comment");
    }

    @Test
    void jshellClassNamesAreShownAsWritten() {
        assertEquals("class Bar cannot be cast to class Foo", Diagnostics.expunge("class REPL.$JShell$12$Bar cannot be cast to class REPL.$JShell$13$Foo"));
    }
}
