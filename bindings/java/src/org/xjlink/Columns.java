package org.xjlink;

import java.util.Map;

/**
 * A column mapping as the library reads it: "姓名=XM,身份证件号=SFZJH" from a
 * map key field → column (a field by any of its names: 姓名, name, XM ...),
 * as {@code xjlink --columns} and Python's {@code columns=} take it.
 */
final class Columns {
    private static final int EINVAL = -1;

    private Columns() {
    }

    /** The mapping's text; null for a null or empty map. */
    static String text(Map<String, String> columns) {
        if (columns == null || columns.isEmpty())
            return null;
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : columns.entrySet()) {
            String field = e.getKey(), column = e.getValue();
            // the text's own separators cannot be part of a name
            if (!plain(field) || !plain(column))
                throw new XjlinkException(EINVAL, "column mapping '" + field + "': '" + column
                        + "': field and column are names without ',', '，' or '='");
            if (b.length() > 0)
                b.append(',');
            b.append(field).append('=').append(column);
        }
        return b.toString();
    }

    private static boolean plain(String s) {
        return s != null && !s.isEmpty() && s.indexOf(',') < 0 && s.indexOf('，') < 0
                && s.indexOf('=') < 0 && s.indexOf('\0') < 0;
    }
}
