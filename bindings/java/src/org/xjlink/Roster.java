package org.xjlink;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.xjlink.swig.Xjlink;
import org.xjlink.swig.xjl_csv;
import org.xjlink.swig.xjl_encoding;

/**
 * A roster or registry CSV read by the library's reader (RFC 4180, UTF-8 or
 * GB18030): its header, its rows as they are, and the five key fields of
 * each row.
 */
public final class Roster {
    private final List<String> header;
    private final List<List<String>> rows;
    private final List<Record> records;
    private final List<Long> lines;

    private Roster(List<String> header, List<List<String>> rows, List<Record> records, List<Long> lines) {
        this.header = header;
        this.rows = rows;
        this.records = records;
        this.lines = lines;
    }

    /** Reads a whole stream (to its end, not closed) as {@link #read(String)}
     *  reads a file; {@code name} stands for the stream in messages. */
    public static Roster read(java.io.InputStream in, String name) {
        return Streams.viaFile(in, name, Roster::read);
    }

    /** Reads a whole file; a file without the key columns throws (XJL_EFORMAT). */
    public static Roster read(String path) {
        return read(path, null);
    }

    /** As {@link #read(java.io.InputStream, String)}, with the key columns mapped. */
    public static Roster read(java.io.InputStream in, String name, Map<String, String> columns) {
        return Streams.viaFile(in, name, path -> read(path, columns));
    }

    /** Reads a whole file whose key columns are mapped: {@code columns} maps
     *  a key field (by any of its names: 姓名, name, XM ...) to the file's
     *  column, as {@code xjlink match --columns 姓名=XSMC} takes it (null or
     *  empty: the names alone).  A mapped column the header lacks, or a key
     *  column still missing, throws XJL_EFORMAT naming it. */
    public static Roster read(String path, Map<String, String> columns) {
        String mapping = Columns.text(columns);
        NativeLibrary.load();
        xjl_csv[] out = new xjl_csv[1];
        Xjlink.xjl_csv_open(out, path, xjl_encoding.XJL_ENC_AUTO);
        xjl_csv csv = out[0];
        try {
            if (mapping != null)
                Xjlink.xjl_csv_set_columns(csv, mapping);
            int[] cols = new int[5];
            Xjlink.xjl_csv_key_columns(csv, cols);
            long nc = Xjlink.xjl_csv_column_count(csv);
            List<String> header = new ArrayList<>();
            for (long i = 0; i < nc; i++)
                header.add(Xjlink.xjl_csv_column_name(csv, i));
            List<List<String>> rows = new ArrayList<>();
            List<Record> records = new ArrayList<>();
            List<Long> lines = new ArrayList<>();
            long[] len = new long[1];
            while (Xjlink.xjl_csv_next(csv) == 1) {
                long nf = Xjlink.xjl_csv_field_count(csv);
                List<String> row = new ArrayList<>();
                for (long i = 0; i < nf; i++)
                    row.add(Xjlink.xjl_csv_field(csv, i, len));
                String[] f = new String[5];
                for (int k = 0; k < 5; k++)
                    f[k] = cols[k] < row.size() ? row.get(cols[k]) : "";
                rows.add(Collections.unmodifiableList(row));
                records.add(new Record(f[0], f[1], f[2], f[3], f[4]));
                lines.add((long) Xjlink.xjl_csv_line(csv));
            }
            return new Roster(Collections.unmodifiableList(header), Collections.unmodifiableList(rows),
                    Collections.unmodifiableList(records), Collections.unmodifiableList(lines));
        } finally {
            csv.delete();
        }
    }

    public List<String> header() {
        return header;
    }

    /** Each row's fields as they are in the file. */
    public List<List<String>> rows() {
        return rows;
    }

    /** Each row's five key fields. */
    public List<Record> records() {
        return records;
    }

    /** The line where each row starts (1-based). */
    public List<Long> lines() {
        return lines;
    }

    /** One field quoted as RFC 4180 needs (only when it has a comma, quote or line break). */
    public static String quote(String field) {
        String[] io = {field == null ? "" : field, null};
        Xjlink.xjl_csv_quote(io);
        return io[1];
    }
}
