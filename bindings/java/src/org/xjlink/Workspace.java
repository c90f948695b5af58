package org.xjlink;

import java.lang.ref.Cleaner;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import org.xjlink.swig.Xjlink;
import org.xjlink.swig.xjl_encoding;
import org.xjlink.swig.xjl_enrol_route;
import org.xjlink.swig.xjl_listing;
import org.xjlink.swig.xjl_load_report;
import org.xjlink.swig.xjl_role;
import org.xjlink.swig.xjl_row_status;
import org.xjlink.swig.xjl_school_kind;
import org.xjlink.swig.xjl_sfield;
import org.xjlink.swig.xjl_workspace;

/**
 * A workspace file (one SQLite file: the preschool registry, each school's
 * intake list, registrations outside grade 1, the graduate pool, quotas,
 * admissions, history and audit trail) with every step of both workflows:
 * primary intake (小学新生学籍接续) and secondary enrolment (高中招生学籍接续).
 *
 * <pre>
 * try (Workspace ws = new Workspace("season.db", "county-admin")) {
 *     ws.setSchool("S1", "第一小学", 110101, null);
 *     ws.loadRegistry("preschool_registry.csv");
 *     LoadReport r = ws.importRoster("S1", "roster.csv");
 *     for (Map&lt;String, String&gt; row : ws.rows("S1", null))
 *         System.out.println(row.get("id") + " " + row.get("name") + " " + row.get("status"));
 * }
 * </pre>
 *
 * Listings (rows, candidates, history, admissions ...) are lists of rows,
 * each a map column → text in the library's column order.  A refused or
 * failed step throws {@link XjlinkException} with the library's code
 * (XJL_ESTATE -5 for a step the workflow forbids in the row's state,
 * XJL_EPOLICY for a role, scope or policy refusal ...) and its message; the
 * step changed nothing.
 *
 * A handle is used by one thread at a time (the library's rule): this class
 * serialises its calls.  Open one Workspace per thread to work in parallel;
 * they coordinate through the file.  A policy hook may call its own
 * Workspace (the lock is reentrant); closing it from inside a hook is
 * refused.  A Workspace never closed is closed when it becomes unreachable,
 * but one whose hook refers to it never does: the library holds its hooks
 * by a global reference, which the collector cannot see through.  Close such
 * a Workspace (or set its hooks to null) when done with it.
 */
public final class Workspace implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final int ESTATE = -5;
    private static final LocalDate EPOCH = LocalDate.of(1970, 1, 1);

    /** The native handle, apart from the Workspace so that the Cleaner can close it. */
    private static final class Native implements Runnable {
        xjl_workspace ws;

        @Override
        public void run() {
            if (ws != null)
                ws.delete();
            ws = null;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Native n = new Native();
    private final Cleaner.Cleanable cleanable;
    private int depth; // calls of this handle in progress (a hook's are nested)
    private final boolean readOnly;

    /** Opens (or creates) the workspace file at path. */
    public Workspace(String path) {
        this(path, null);
    }

    /** Opens the workspace and sets the operator the steps are audited for. */
    public Workspace(String path, String operator) {
        this(path, operator, false);
    }

    private Workspace(String path, String operator, boolean readOnly) {
        NativeLibrary.load();
        xjl_workspace[] out = new xjl_workspace[1];
        if (readOnly)
            Xjlink.xjl_workspace_open_read(out, path);
        else
            Xjlink.xjl_workspace_open(out, path);
        n.ws = out[0];
        this.readOnly = readOnly;
        cleanable = CLEANER.register(this, n);
        if (operator != null)
            setOperator(operator);
    }

    /**
     * Opens an existing workspace for reading only (xjl_workspace_open_read):
     * every listing, the audit trail and the quotas work; a step that would
     * change it throws {@link XjlinkException} (XJL_EINVAL, -1) naming the
     * file and the step.  It works on a file of mode 0444, in a read-only
     * folder or of another user, writes nothing (no migration, no
     * checkpoint) and leaves no -wal/-shm file behind.  A missing file is
     * XJL_EIO (it is not made); a workspace of an older schema XJL_EDB (one
     * write open upgrades it).
     */
    public static Workspace openRead(java.nio.file.Path path) {
        return openRead(path.toString());
    }

    /** {@link #openRead(java.nio.file.Path)} of a path given as text. */
    public static Workspace openRead(String path) {
        return new Workspace(path, null, true);
    }

    /** Was this handle opened for reading only ({@link #openRead})? */
    public boolean isReadOnly() {
        return readOnly;
    }

    private <T> T call(Function<xjl_workspace, T> fn) {
        lock.lock();
        try {
            if (n.ws == null)
                throw new XjlinkException(ESTATE, "the workspace is closed");
            depth++;
            try {
                return fn.apply(n.ws);
            } finally {
                depth--;
            }
        } finally {
            lock.unlock();
        }
    }

    private void run(java.util.function.Consumer<xjl_workspace> fn) {
        call(ws -> {
            fn.accept(ws);
            return null;
        });
    }

    /** A listing as rows of column → text; the native listing is freed. */
    static List<Map<String, String>> rows(xjl_listing t) {
        try {
            int cols = (int) Xjlink.xjl_listing_cols(t);
            String[] names = new String[cols];
            for (int c = 0; c < cols; c++)
                names[c] = Xjlink.xjl_listing_col_name(t, c);
            long count = Xjlink.xjl_listing_rows(t);
            List<Map<String, String>> out = new ArrayList<>((int) count);
            for (long r = 0; r < count; r++) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int c = 0; c < cols; c++)
                    row.put(names[c], Xjlink.xjl_listing_get(t, r, c));
                out.add(Collections.unmodifiableMap(row));
            }
            return Collections.unmodifiableList(out);
        } finally {
            t.delete();
        }
    }

    /** The one row of a listing of one object. */
    private static Map<String, String> one(xjl_listing t) {
        List<Map<String, String>> r = rows(t);
        if (r.isEmpty())
            throw new XjlinkException(-3, "no such object");
        return r.get(0);
    }

    @FunctionalInterface
    private interface ListingCall {
        void into(xjl_workspace ws, xjl_listing[] out);
    }

    private List<Map<String, String>> listing(ListingCall fn) {
        return call(ws -> {
            xjl_listing[] out = new xjl_listing[1];
            fn.into(ws, out);
            return rows(out[0]);
        });
    }

    @FunctionalInterface
    private interface LoadCall {
        void into(xjl_workspace ws, DiagnosticListener diag, xjl_load_report rep);
    }

    private LoadReport load(LoadCall fn) {
        List<Diagnostic> diags = new ArrayList<>();
        DiagnosticListener listener = (file, line, column, value, message) ->
                diags.add(new Diagnostic(file, line, column, value, message));
        return call(ws -> {
            xjl_load_report rep = new xjl_load_report();
            try {
                fn.into(ws, listener, rep);
                return new LoadReport(rep, diags);
            } finally {
                rep.delete();
            }
        });
    }

    private static xjl_encoding encoding(String name) {
        int[] e = new int[1];
        Xjlink.xjl_encoding_parse(name == null ? "auto" : name, e);
        return xjl_encoding.swigToEnum(e[0]);
    }

    private static xjl_sfield field(String name) {
        int[] f = new int[1];
        Xjlink.xjl_sfield_parse(name, f);
        return xjl_sfield.swigToEnum(f[0]);
    }

    private static xjl_school_kind kind(String name) {
        int[] k = new int[1];
        Xjlink.xjl_school_kind_parse(name, k);
        return xjl_school_kind.swigToEnum(k[0]);
    }

    private static int day(LocalDate d) {
        return d == null ? org.xjlink.swig.XjlinkConstants.XJL_DATE_NONE : (int) (d.toEpochDay() - EPOCH.toEpochDay());
    }

    private static String[] record(Record r) {
        return new String[] {r.name(), r.gender(), r.birthDate(), r.idType(), r.idNumber()};
    }

    // ---- the handle --------------------------------------------------------------------

    public int schemaVersion() {
        return call(Xjlink::xjl_workspace_schema_version);
    }

    /** Who the following steps are written down for in the audit trail. */
    public void setOperator(String operator) {
        run(ws -> Xjlink.xjl_workspace_set_operator(ws, operator));
    }

    /** The key columns of the files this handle reads from now on (the
     *  registry, graduates, rosters, assigned lists) when their header names
     *  do not find them, as {@code xjlink intake --columns 姓名=XM,...}: a key
     *  field (by any of its names: 姓名, name, XM ...) → the file's column;
     *  null or empty for none.  A file whose header lacks a mapped column,
     *  or still lacks a key column, is refused with XJL_EFORMAT naming it. */
    public void setColumns(Map<String, String> columns) {
        String mapping = Columns.text(columns);
        run(ws -> Xjlink.xjl_workspace_set_columns(ws, mapping));
    }

    /** How long a step waits for another process's write (milliseconds). */
    public void setBusyTimeout(int ms) {
        run(ws -> Xjlink.xjl_workspace_set_busy_timeout(ws, ms));
    }

    /** The date the workflow takes as today (null: the machine's date). */
    public void setDate(LocalDate date) {
        run(ws -> Xjlink.xjl_workspace_set_date(ws, day(date)));
    }

    /** SQLite's integrity check; throws (XJL_EDB) with the first problem. */
    public void check() {
        run(Xjlink::xjl_workspace_check);
    }

    /** The operator's role ("school", "county", "city", "province"; null: none)
     *  and scope (the school's code, or a 6-digit region code). */
    public void setRole(String role, String scope) {
        int[] r = new int[1];
        if (role != null)
            Xjlink.xjl_role_parse(role, r);
        run(ws -> Xjlink.xjl_workspace_set_role(ws, xjl_role.swigToEnum(r[0]), scope));
    }

    /** The host's window hook (null removes it): is a process open on a date? */
    public void setWindowHook(WindowHook hook) {
        run(ws -> Xjlink.xjl_workspace_set_window_hook(ws, hook));
    }

    /** The host's feature hook (null removes it): is a process switched on? */
    public void setFeatureHook(FeatureHook hook) {
        run(ws -> Xjlink.xjl_workspace_set_feature_hook(ws, hook));
    }

    /** Stores a process's switch and date window (null: an open end). */
    public void setPolicy(String process, boolean enabled, LocalDate from, LocalDate to) {
        run(ws -> Xjlink.xjl_workspace_set_policy(ws, process, enabled, day(from), day(to)));
    }

    public List<Map<String, String>> policy() {
        return listing(Xjlink::xjl_workspace_policy);
    }

    /** The audit trail, oldest first: all (object null), of one kind of
     *  object ("row", "admission" ...), or of one object (objectId &gt; 0). */
    public List<Map<String, String>> audit(String object, long objectId) {
        return listing((ws, out) -> Xjlink.xjl_workspace_audit(ws, object, objectId, out));
    }

    // ---- schools -----------------------------------------------------------------------

    /** Creates or updates a school: code, name, county code (0: none), 学校标识码. */
    public void setSchool(String school, String name, int region, String identifier) {
        run(ws -> Xjlink.xjl_school_set(ws, school, name, region, identifier));
    }

    /** The school's kind: "primary", "junior", "senior", "vocational" (or 小学 ...). */
    public void setSchoolKind(String school, String kind) {
        xjl_school_kind k = kind(kind);
        run(ws -> Xjlink.xjl_school_set_kind(ws, school, k));
    }

    public List<Map<String, String>> schools() {
        return listing(Xjlink::xjl_school_list);
    }

    // ---- primary intake ----------------------------------------------------------------

    /** Loads or refreshes the preschool registry from a CSV ("auto", "utf-8", "gb18030"). */
    public LoadReport loadRegistry(String path) {
        return loadRegistry(path, "auto");
    }

    public LoadReport loadRegistry(String path, String encoding) {
        xjl_encoding e = encoding(encoding);
        return load((ws, diag, rep) -> Xjlink.xjl_intake_load_registry(ws, path, e, diag, rep));
    }

    public long registryCount() {
        return call(ws -> {
            long[] out = new long[1];
            Xjlink.xjl_intake_registry_count(ws, out);
            return out[0];
        });
    }

    public Map<String, String> registryRecord(String recordId) {
        return call(ws -> {
            xjl_listing[] out = new xjl_listing[1];
            Xjlink.xjl_intake_registry_record(ws, recordId, out);
            return one(out[0]);
        });
    }

    /** Imports a school's intake roster and matches every row. */
    public LoadReport importRoster(String school, String path) {
        return importRoster(school, path, "auto");
    }

    public LoadReport importRoster(String school, String path, String encoding) {
        xjl_encoding e = encoding(encoding);
        return load((ws, diag, rep) -> Xjlink.xjl_intake_import(ws, school, path, e, diag, rep));
    }

    /** Adds one row and matches it; returns the row's id (its status: {@link #status}). */
    public long addRow(String school, Record record) {
        return call(ws -> {
            long[] id = new long[1];
            Xjlink.xjl_intake_add(ws, school, record(record), id, new int[1]);
            return id[0];
        });
    }

    /** The school's live rows in import order: all (status null) or of one
     *  status ("matched", "pending", "not_found", "error", "confirmed"). */
    public List<Map<String, String>> rows(String school, String status) {
        int[] s = {xjl_row_status.XJL_ROW_ANY.swigValue()};
        if (status != null)
            Xjlink.xjl_row_status_parse(status, s);
        xjl_row_status st = xjl_row_status.swigToEnum(s[0]);
        return listing((ws, out) -> Xjlink.xjl_intake_list(ws, school, st, out));
    }

    /** One row, deleted or not. */
    public Map<String, String> row(long rowId) {
        return call(ws -> {
            xjl_listing[] out = new xjl_listing[1];
            Xjlink.xjl_intake_row(ws, rowId, out);
            return one(out[0]);
        });
    }

    /** The row's match status name. */
    public String status(long rowId) {
        return call(ws -> {
            int[] s = new int[1];
            Xjlink.xjl_intake_status(ws, rowId, s);
            return Xjlink.xjl_row_status_name(xjl_row_status.swigToEnum(s[0]));
        });
    }

    public List<Map<String, String>> candidates(long rowId) {
        return listing((ws, out) -> Xjlink.xjl_intake_candidates(ws, rowId, out));
    }

    public List<Map<String, String>> history(long rowId) {
        return listing((ws, out) -> Xjlink.xjl_intake_history(ws, rowId, out));
    }

    /** The school confirms one candidate of a pending row (确认补录). */
    public void confirm(long rowId, String recordId) {
        run(ws -> Xjlink.xjl_intake_confirm(ws, rowId, recordId));
    }

    /** The school declares that no candidate is this pupil (确认都不匹配). */
    public void declareNone(long rowId) {
        run(ws -> Xjlink.xjl_intake_declare_none(ws, rowId));
    }

    /** Edits a row's key fields (null: unchanged) and matches it again; the new status. */
    public String edit(long rowId, Record record) {
        return call(ws -> {
            int[] s = new int[1];
            Xjlink.xjl_intake_edit(ws, rowId, record(record), s);
            return Xjlink.xjl_row_status_name(xjl_row_status.swigToEnum(s[0]));
        });
    }

    public void delete(long rowId, String reason) {
        run(ws -> Xjlink.xjl_intake_delete(ws, rowId, reason));
    }

    /** Sets supplement fields (name or Chinese label → value), in one step:
     *  a refused value leaves all unchanged; done saves it (补录完成).
     *  Returns the 17 fields and the supplement's state. */
    public Map<String, String> supplement(long rowId, Map<String, String> fields, boolean done) {
        StringBuilder changes = new StringBuilder();
        for (Map.Entry<String, String> e : fields.entrySet())
            changes.append(e.getKey()).append('\u001f').append(e.getValue() == null ? "" : e.getValue())
                    .append('\u001e');
        return call(ws -> {
            if (!fields.isEmpty())
                Xjlink.xjlb_supplement_update(ws, rowId, changes.toString());
            if (done)
                Xjlink.xjl_intake_supplement_save(ws, rowId);
            xjl_listing[] out = new xjl_listing[1];
            Xjlink.xjl_intake_supplement(ws, rowId, out);
            return one(out[0]);
        });
    }

    /** Writes the school's not-found rows as a registration template; how many. */
    public long exportNotFound(String school, String path) {
        return call(ws -> {
            long[] count = new long[1];
            Xjlink.xjl_intake_export_not_found(ws, school, path, count);
            return count[0];
        });
    }

    /** The school submits its ready rows (学校审核上报); how many went. */
    public long submit(String school) {
        return call(ws -> {
            long[] count = new long[1];
            Xjlink.xjl_intake_submit(ws, school, count);
            return count[0];
        });
    }

    /** The authority returns a submitted row, with the reason the school reads. */
    public void returnRow(long rowId, String reason) {
        run(ws -> Xjlink.xjl_intake_return(ws, rowId, reason));
    }

    /** The authority numbers a held row despite its findings, with a reason. */
    public void override(long rowId, String reason) {
        run(ws -> Xjlink.xjl_intake_override(ws, rowId, reason));
    }

    /** The authority's approval of a school's submitted rows (主管部门核办). */
    public Approval approve(String school) {
        return call(ws -> {
            long[] ok = new long[1], back = new long[1], held = new long[1];
            Xjlink.xjl_intake_approve(ws, school, ok, back, held);
            return new Approval(ok[0], back[0], held[0]);
        });
    }

    /** What an approval did: rows numbered, returned as duplicates, held for their findings. */
    public static final class Approval {
        public final long approved, returned, held;

        Approval(long approved, long returned, long held) {
            this.approved = approved;
            this.returned = returned;
            this.held = held;
        }

        @Override
        public String toString() {
            return approved + " approved, " + returned + " returned, " + held + " held";
        }
    }

    /** The school asks to change a key field of a registered row (关键数据变更); the request id. */
    public long requestKeyChange(long rowId, String field, String value, String reason) {
        xjl_sfield f = field(field);
        return call(ws -> {
            long[] id = new long[1];
            Xjlink.xjl_intake_request_key_change(ws, rowId, f, value, reason, id);
            return id[0];
        });
    }

    public void decideKeyChange(long request, boolean approve, String note) {
        run(ws -> Xjlink.xjl_intake_decide_key_change(ws, request, approve, note));
    }

    public List<Map<String, String>> keyChanges(String school) {
        return listing((ws, out) -> Xjlink.xjl_intake_key_changes(ws, school, out));
    }

    // ---- registration outside grade 1 and the national check --------------------------

    /** A registration request outside grade 1 (非小学一年级学籍注册); its id. */
    public long register(String school, Record record, int grade) {
        return call(ws -> {
            long[] id = new long[1];
            Xjlink.xjl_reg_request(ws, school, record(record), grade, id);
            return id[0];
        });
    }

    public void recordProof(long request, String proof) {
        run(ws -> Xjlink.xjl_reg_proof(ws, request, proof));
    }

    public void decideRegistration(long request, boolean approve, String note) {
        run(ws -> Xjlink.xjl_reg_decide(ws, request, approve, note));
    }

    public List<Map<String, String>> registrations(String school) {
        return listing((ws, out) -> Xjlink.xjl_reg_list(ws, school, out));
    }

    /** Writes the monthly list for the national duplicate check; how many requests. */
    public long exportCheck(String path) {
        return call(ws -> {
            long[] count = new long[1];
            Xjlink.xjl_reg_export_check(ws, path, count);
            return count[0];
        });
    }

    /** Takes the national centre's result file. */
    public LoadReport importCheck(String path) {
        xjl_encoding e = encoding("auto");
        return load((ws, diag, rep) -> Xjlink.xjl_reg_import_result(ws, path, e, diag, rep));
    }

    // ---- secondary enrolment --------------------------------------------------------------

    /** Loads or refreshes the graduate pool. */
    public LoadReport loadGraduates(String path) {
        xjl_encoding e = encoding("auto");
        return load((ws, diag, rep) -> Xjlink.xjl_enrol_load_graduates(ws, path, e, diag, rep));
    }

    public Map<String, String> graduate(String number) {
        return call(ws -> {
            xjl_listing[] out = new xjl_listing[1];
            Xjlink.xjl_enrol_graduate(ws, number, out);
            return one(out[0]);
        });
    }

    /** The authority restores an archived (注销) graduate. */
    public void restore(String number, String reason) {
        run(ws -> Xjlink.xjl_enrol_restore(ws, number, reason));
    }

    public void deleteGraduate(String number, String reason) {
        run(ws -> Xjlink.xjl_enrol_delete_graduate(ws, number, reason));
    }

    public void setQuota(String school, int year, long quota) {
        run(ws -> Xjlink.xjl_enrol_set_quota(ws, school, year, quota));
    }

    /** {quota, used} of a school in a year. */
    public long[] quota(String school, int year) {
        return call(ws -> {
            long[] quota = new long[1], used = new long[1];
            Xjlink.xjl_enrol_quota(ws, school, year, quota, used);
            return new long[] {quota[0], used[0]};
        });
    }

    /** The school asks for another quota; the request id. */
    public long requestQuota(String school, int year, long quota, String reason) {
        return call(ws -> {
            long[] id = new long[1];
            Xjlink.xjl_enrol_request_quota(ws, school, year, quota, reason, id);
            return id[0];
        });
    }

    public void decideQuota(long request, boolean approve) {
        run(ws -> Xjlink.xjl_enrol_decide_quota(ws, request, approve));
    }

    public List<Map<String, String>> quotaRequests(String school) {
        return listing((ws, out) -> Xjlink.xjl_enrol_quota_requests(ws, school, out));
    }

    /** The authority assigns a graduate to a school for unified enrolment. */
    public void assign(String school, int year, String number) {
        run(ws -> Xjlink.xjl_enrol_assign(ws, school, year, number));
    }

    /** The authority's assigned list of a school, from a CSV. */
    public LoadReport importAssigned(String school, int year, String path) {
        xjl_encoding e = encoding("auto");
        return load((ws, diag, rep) -> Xjlink.xjl_enrol_import_assigned(ws, school, year, path, e,
                diag, rep));
    }

    /** An admission ("unified" or "self"): {admission id, the other flow of a
     *  double admission or 0}.  A double admission leaves the flow pending. */
    public long[] admit(String school, int year, String number, String route) {
        xjl_enrol_route r = "self".equals(route) ? xjl_enrol_route.XJL_ROUTE_SELF
                                                 : xjl_enrol_route.XJL_ROUTE_UNIFIED;
        if (route != null && !"self".equals(route) && !"unified".equals(route))
            throw new XjlinkException(-1, "not an admission route: '" + route + "' (unified, self)");
        return call(ws -> {
            long[] adm = new long[1], conflict = new long[1];
            Xjlink.xjl_enrol_admit(ws, school, year, number, r, adm, conflict);
            return new long[] {adm[0], conflict[0]};
        });
    }

    /** 是: the flow continues despite the double admission. */
    public void continueAdmission(long admission) {
        run(ws -> Xjlink.xjl_enrol_continue(ws, admission));
    }

    /** 否: the flow is cancelled. */
    public void cancelAdmission(long admission, String reason) {
        run(ws -> Xjlink.xjl_enrol_cancel(ws, admission, reason));
    }

    public void deleteAdmission(long admission) {
        run(ws -> Xjlink.xjl_enrol_delete(ws, admission));
    }

    /** 调档: the archive transfer, final. */
    public void transferArchive(long admission) {
        run(ws -> Xjlink.xjl_enrol_transfer_archive(ws, admission));
    }

    /** 转学: the pupil moves to another school of the same kind; the new flow's id. */
    public long schoolTransfer(long admission, String toSchool) {
        return call(ws -> {
            long[] moved = new long[1];
            Xjlink.xjl_enrol_school_transfer(ws, admission, toSchool, moved);
            return moved[0];
        });
    }

    /** 重复招生处理: the authority keeps one flow and cancels the other. */
    public void resolveDouble(long keep, long cancel, String reason) {
        run(ws -> Xjlink.xjl_enrol_resolve_double(ws, keep, cancel, reason));
    }

    /** 招生录取审核: the authority's review with the education stage (教育阶段). */
    public void reviewAdmission(long admission, String stage, boolean approve, String note) {
        xjl_school_kind k = kind(stage);
        run(ws -> Xjlink.xjl_enrol_review(ws, admission, k, approve, note));
    }

    public List<Map<String, String>> admissions(String school, int year) {
        return listing((ws, out) -> Xjlink.xjl_enrol_admissions(ws, school, year, out));
    }

    public Map<String, String> admission(long admission) {
        return call(ws -> {
            xjl_listing[] out = new xjl_listing[1];
            Xjlink.xjl_enrol_admission(ws, admission, out);
            return one(out[0]);
        });
    }

    public List<Map<String, String>> doubleAdmissions(int year) {
        return listing((ws, out) -> Xjlink.xjl_enrol_double_admissions(ws, year, out));
    }

    /** The year's statistics, one row per school (see also the column "counted"). */
    public List<Map<String, String>> statistics(int year) {
        return listing((ws, out) -> Xjlink.xjl_enrol_statistics(ws, year, out, new long[1]));
    }

    /** Double admissions across two systems' lists (a senior high and a 中职
     *  CSV), without a workspace. */
    public static List<Map<String, String>> crossCheck(String seniorCsv, String vocationalCsv) {
        NativeLibrary.load();
        xjl_listing[] out = new xjl_listing[1];
        Xjlink.xjl_enrol_cross_check(seniorCsv, vocationalCsv, xjl_encoding.XJL_ENC_AUTO, null, out);
        return rows(out[0]);
    }

    // ---- closing ---------------------------------------------------------------------------

    /** Closes the file and lets go of the hooks; twice is allowed. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (depth > 0)
                throw new XjlinkException(ESTATE, "a workspace cannot be closed by a hook of its "
                        + "own step (the step is still running)");
            cleanable.clean();
        } finally {
            lock.unlock();
        }
    }

    public boolean isClosed() {
        return n.ws == null;
    }
}
