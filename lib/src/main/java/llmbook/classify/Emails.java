package llmbook.classify;

import java.util.List;
import llmbook.data.Corpus;

/**
 * The SpamAssassin e-mails as a labelled text set (Q28, Q29). Each document's folder is its group — easy-ham-1,
 * easy-ham-2, hard-ham-1, spam-1, spam-2 — so the label is {@code group.startsWith("spam")}. The text keeps the
 * Subject line and the body and drops the other headers: the Received/Return-Path lines name the servers each
 * folder was collected from, a shortcut that would make the task look easier than reading the mail.
 */
public final class Emails {
    private Emails() {}

    /** One e-mail: its id, label (1 = spam) and readable text. */
    public record Email(String id, int spam, String text) {}

    /** Subject line and body of a raw RFC 822 message (everything after the first blank line). */
    public static String readable(String raw) {
        String s = raw.replace("\r\n", "\n");
        int cut = s.indexOf("\n\n");
        String head = cut < 0 ? s : s.substring(0, cut), body = cut < 0 ? "" : s.substring(cut + 2);
        String subject = "";
        for (String line : head.split("\n"))
            if (line.regionMatches(true, 0, "Subject:", 0, 8)) { subject = line.substring(8).strip(); break; }
        return (subject + "\n" + body).strip();
    }

    /** Every e-mail of a loaded corpus (normally {@code Corpus.load("spam-assassin")}), labelled by its folder. */
    public static List<Email> of(Corpus corpus) {
        return corpus.documents().stream()
                .filter(d -> !d.group().isEmpty())
                .map(d -> new Email(d.group() + "/" + d.id(), d.group().startsWith("spam") ? 1 : 0, readable(d.text())))
                .toList();
    }
}
