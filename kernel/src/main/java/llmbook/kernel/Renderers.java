package llmbook.kernel;

import io.github.spencerpark.jupyter.kernel.display.Renderer;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * How cell values look in a notebook: images and XChart charts as PNG, Tablesaw tables as an
 * HTML table with a plain-text fallback. Everything else falls back to {@code toString()}.
 */
final class Renderers {
    /** Tables longer than this show their first {@value} − 5 and last 5 rows. */
    static final int MAX_TABLE_ROWS = 25;

    private Renderers() {}

    static void registerAll(Renderer r) {
        r.createRegistration(RenderedImage.class)
                .preferring(MIMEType.IMAGE_PNG)
                .supporting(MIMEType.IMAGE_PNG)
                .register((img, ctx) -> ctx.renderIfRequested(MIMEType.IMAGE_PNG, () -> png(img)));
        r.createRegistration(Chart.class)
                .preferring(MIMEType.IMAGE_PNG)
                .supporting(MIMEType.IMAGE_PNG, MIMEType.TEXT_PLAIN)
                .register((chart, ctx) -> {
                    ctx.renderIfRequested(MIMEType.IMAGE_PNG, () -> png(BitmapEncoder.getBufferedImage(chart)));
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN, () -> chart.getClass().getSimpleName() + " '" + chart.getTitle() + "'");
                });
        r.createRegistration(Table.class)
                .preferring(MIMEType.TEXT_HTML)
                .supporting(MIMEType.TEXT_HTML, MIMEType.TEXT_PLAIN)
                .register((table, ctx) -> {
                    ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> html(table));
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN, () -> table.printAll().length() < 20_000 ? table.printAll() : table.print());
                });
    }

    /** A base64 PNG, as Jupyter's image/png wants it. */
    static String png(RenderedImage img) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(img, "png", out)) throw new IllegalStateException("no PNG writer for " + img);
            return Base64.getEncoder().encodeToString(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An HTML table with a caption; long tables are cut in the middle with a row count. */
    static String html(Table t) {
        StringBuilder b = new StringBuilder("<table class=\"dataframe\">");
        if (t.name() != null && !t.name().isEmpty())
            b.append("<caption style=\"caption-side: top; font-weight: bold\">").append(escape(t.name())).append("</caption>");
        b.append("<thead><tr>");
        for (Column<?> c : t.columns()) b.append("<th>").append(escape(c.name())).append("</th>");
        b.append("</tr></thead><tbody>");
        int n = t.rowCount();
        boolean cut = n > MAX_TABLE_ROWS;
        int head = cut ? MAX_TABLE_ROWS - 5 : n;
        for (int i = 0; i < head; i++) row(b, t, i);
        if (cut) {
            b.append("<tr><td colspan=\"").append(t.columnCount()).append("\" style=\"text-align:center\">… ")
                    .append(n - MAX_TABLE_ROWS).append(" more rows (").append(n).append(" in all) …</td></tr>");
            for (int i = n - 5; i < n; i++) row(b, t, i);
        }
        return b.append("</tbody></table>").toString();
    }

    private static void row(StringBuilder b, Table t, int i) {
        b.append("<tr>");
        for (Column<?> c : t.columns()) b.append("<td>").append(escape(c.getString(i))).append("</td>");
        b.append("</tr>");
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
