package org.xjlink;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.xjlink.swig.Xjlink;

/**
 * The five key fields of a record as they came (null or "" for empty):
 * 姓名 name, 性别 gender, 出生日期 birth date, 身份证件类型 ID type, 身份证件号 ID number.
 */
public record Record(String name, String gender, String birthDate, String idType, String idNumber) {

    /** A record from a row keyed by column names, Chinese or English (姓名/name,
     *  身份证号/id_number, ...), found as the CSV reader finds them. */
    public static Record of(Map<String, String> row) {
        NativeLibrary.load();
        String[] f = new String[5];
        for (Map.Entry<String, String> e : row.entrySet()) {
            int k = Xjlink.xjl_csv_key_field(e.getKey());
            if (k >= 0 && f[k] == null)
                f[k] = e.getValue();
        }
        return new Record(f[0], f[1], f[2], f[3], f[4]);
    }

    /** The fields in the library's order, for the native calls. */
    String[] fields() {
        return new String[] {name, gender, birthDate, idType, idNumber};
    }

    static String[][] fieldsOf(List<Record> records) {
        List<String[]> out = new ArrayList<>(records.size());
        for (Record r : records)
            out.add(r.fields());
        return out.toArray(new String[0][]);
    }
}
