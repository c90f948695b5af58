package org.xjlink;

import java.util.Collections;
import java.util.List;

import org.xjlink.swig.xjl_load_report;

/**
 * What a load or import of a file did: rows read, inserted, updated,
 * unchanged, not loaded (each reported in {@link #diagnostics()}), warnings,
 * and for an import the rows of each match status and its batch id.
 */
public final class LoadReport {
    public final long rows, inserted, updated, unchanged, badRows, warnings;
    public final long matched, pending, notFound, errors, batch;
    private final List<Diagnostic> diagnostics;

    LoadReport(xjl_load_report r, List<Diagnostic> diagnostics) {
        rows = r.getRows();
        inserted = r.getInserted();
        updated = r.getUpdated();
        unchanged = r.getUnchanged();
        badRows = r.getBad_rows();
        warnings = r.getWarnings();
        matched = r.getMatched();
        pending = r.getPending();
        notFound = r.getNot_found();
        errors = r.getErrors();
        batch = r.getBatch();
        this.diagnostics = Collections.unmodifiableList(diagnostics);
    }

    /** The rows reported, in file order. */
    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    @Override
    public String toString() {
        return rows + " rows: " + inserted + " inserted, " + updated + " updated, " + unchanged
                + " unchanged, " + badRows + " not loaded, " + warnings + " warnings";
    }
}
