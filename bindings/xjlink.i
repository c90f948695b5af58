/*
 * xjlink.i: the one SWIG interface of the Python and the Java binding.
 *
 * include/xjlink.h's area headers are %included as they are, so every function declared there is
 * wrapped without a line here; SWIG's -doxygen turns its comments into Python
 * docstrings and Javadoc.  What this file adds is how each *convention* of the
 * header reads in the target language, once per convention, never per
 * function (bindings/README.md has the table and how to add an API):
 *
 *   int return              a status: negative raises xjlink.Error (Python) /
 *                           throws XjlinkException (Java); XJL_RETURNS_VALUE
 *                           lists the few int functions that return a value
 *   T **out                 the new handle, owned by its proxy (XJL_HANDLE)
 *   scalar *out, enum *out  returned (Python) / a one-element array (Java)
 *   struct *out             a new object (Python) / a proxy the caller made (Java)
 *   (const char *, size_t)  one string; an embedded NUL reaches the library
 *   const char *            a string or None/null; an embedded NUL is refused
 *   (char *buf, size_t cap[, size_t *out_len])
 *                           returned string / a String[1] holder (Java)
 *   const xjl_record *      the five fields as a sequence (姓名, 性别, 出生日期,
 *                           身份证件类型, 身份证件号), None/null for empty
 *   (xjl_diag_fn, void *)   a callable / DiagnosticListener, during the call
 *   (xjlb_progress_fn, void *)
 *                           a callable / Progress, during the call, on the
 *                           library's writing thread
 *   (xjl_window_fn / xjl_feature_fn, void *)
 *                           a callable / WindowHook, FeatureHook, kept while set
 *
 * Ownership: each opaque type's proxy frees it with the library's _free
 * function; plain structs (xjl_parsed, xjl_id_info) are copied out and owned
 * by their proxy.  A proxy never frees what the library lends (a borrowed
 * `const char *` becomes a new string at once).
 */

#if defined(SWIGJAVA)
%module(jniclassname="XjlinkJNI") Xjlink
#else
%module(package="xjlink", docstring="Raw SWIG wrapper of xjlink.h; use the xjlink package instead.") core
#endif

%{
#include "xjlink.h"

#include <stdlib.h>
#include <string.h>
%}

%include <stdint.i>

/* The header's export macro means nothing to SWIG, which does not read
 * <stdint.h> either: XJL_DATE_NONE is INT32_MIN. */
#define XJL_API
%ignore INT32_MIN;
#define INT32_MIN (-2147483647 - 1)

/* ======================================================================== */
/* Batches: the results of xjl_matcher_match_many() in one object that owns  */
/* them all.  The header's (xjl_result **out, n) array becomes a handle, so  */
/* that a million results cost one allocation in the target language until  */
/* they are looked at.                                                       */
/* ======================================================================== */

%{
typedef struct xjlb_batch {
    size_t n;
    xjl_result *r[];
} xjlb_batch;

static int xjlb_batch_match(const xjl_matcher *m, const xjl_record *recs, size_t n,
                            unsigned threads, xjlb_batch **out)
{
    *out = NULL;
    if (!m)
        return xjl_error_set(XJL_EINVAL, "match_many: NULL matcher");
    xjlb_batch *b = malloc(sizeof *b + (n ? n : 1) * sizeof b->r[0]);
    if (!b)
        return xjl_error_set(XJL_ENOMEM, "match_many: out of memory for the results");
    int rc = xjl_matcher_match_many(m, recs, n, threads, b->r);
    if (rc) {
        free(b);
        return rc;
    }
    b->n = n;
    *out = b;
    return XJL_OK;
}

/* Defined in each language's section: drops the hooks kept for ws, then
 * closes it. */
static void xjlb_workspace_close(xjl_workspace *ws);

static void xjlb_batch_free(xjlb_batch *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->n; i++)
        xjl_result_free(b->r[i]);
    free(b);
}

static size_t xjlb_batch_count(const xjlb_batch *b)
{
    return b ? b->n : 0;
}

/* Borrowed: lives as long as the batch. */
static const xjl_result *xjlb_batch_result(const xjlb_batch *b, size_t i)
{
    return (b && i < b->n) ? b->r[i] : NULL;
}

/* A roster file matched into a result file by the library's streaming path
 * (xjl_match_csv_write): the header's sink and options structs hold
 * function pointers, which neither language passes across; this is the one
 * call both need. */
typedef void (*xjlb_progress_fn)(void *user, size_t rows);

static int xjlb_match_csv_file(const xjl_matcher *m, const char *roster, const char *out_path,
                               xjl_encoding enc, const char *columns, unsigned threads, int lang,
                               unsigned flags, xjl_report *report, xjl_match_totals *totals,
                               xjlb_progress_fn progress, void *progress_user)
{
    if (!m || !roster || !out_path)
        return xjl_error_set(XJL_EINVAL, "match_csv: NULL argument");
    xjl_csv *csv = NULL;
    int rc = xjl_csv_open(&csv, roster, enc);
    if (rc)
        return rc;
    /* a column mapping ("姓名=XM,..."; NULL or "" for none) */
    if (columns && *columns && (rc = xjl_csv_set_columns(csv, columns)) != XJL_OK) {
        xjl_csv_close(csv);
        return rc;
    }
    xjl_match_csv_options o = XJL_MATCH_CSV_OPTIONS_INIT;
    o.threads = threads;
    o.lang = lang ? XJL_LANG_ZH : XJL_LANG_EN;
    o.flags = flags;
    o.progress = progress;
    o.progress_user = progress_user;
    o.report = report;
    rc = xjl_match_csv_write(m, csv, out_path, &o, totals);
    xjl_csv_close(csv);
    return rc;
}
%}

/* ======================================================================== */
/* Conventions common to both languages                                     */
/* ======================================================================== */

/* An opaque handle: its proxy frees it with FREE when the proxy goes (Python:
 * when the last reference is dropped; Java: delete()).  Calling FREE through
 * the raw wrapper disowns the proxy, so nothing is freed twice. */
%define XJL_HANDLE(TYPE, FREE)
%nodefaultctor TYPE;
struct TYPE {};
%extend TYPE {
    ~TYPE() { FREE($self); }
}
%delobject FREE;
%enddef

XJL_HANDLE(xjl_index, xjl_index_free)
XJL_HANDLE(xjl_matcher, xjl_matcher_free)
XJL_HANDLE(xjl_result, xjl_result_free)
XJL_HANDLE(xjl_csv, xjl_csv_close)
XJL_HANDLE(xjlb_batch, xjlb_batch_free)
XJL_HANDLE(xjl_listing, xjl_listing_free)
/* Closing a workspace also lets go of the policy hooks set on it; it is
 * closed by dropping its proxy (Python) or delete() (Java), never by the raw
 * xjl_workspace_close, which would leave the proxy a dangling pointer. */
XJL_HANDLE(xjl_workspace, xjlb_workspace_close)
%ignore xjl_workspace_close;

/* Output files are a C stream; Python and Java write files their own way,
 * and the library's own outputs go through these already. */
%ignore xjl_output_open;
%ignore xjl_output_stream;
%ignore xjl_output_commit;
%ignore xjl_output_abort;

/* A matcher reads its index: the proxy holds the index's proxy, so that
 * dropping every other reference to the index cannot free it under the
 * matcher.  (Constructors hand their object through `**out`: see
 * XJL_OUT_HANDLE; swig_obj[0] is the index, out takes no argument.) */
#ifdef SWIGPYTHON
%typemap(ret) int xjl_matcher_new {
    if (resultobj != Py_None && PyObject_SetAttrString(resultobj, "_index", swig_obj[0]) < 0)
        SWIG_fail;
}
#endif

/* A duplicate check's row and capped block point into the check's text:
 * the proxy holds the check's proxy, as a matcher holds its index's, so that
 * their strings stay readable after every other reference to the check is
 * dropped.  (swig_obj[0] is the check.) */
#ifdef SWIGPYTHON
%typemap(ret) int xjl_dedup_row, int xjl_dedup_capped {
    if (resultobj != Py_None && PyObject_SetAttrString(resultobj, "_dedup", swig_obj[0]) < 0)
        SWIG_fail;
}
#endif

/* Plain data structs come out of the library, they are never filled in by
 * the caller (xjl_record is passed as a sequence, see the typemaps). */
%ignore xjl_record;
/* the bindings build the text from xjl_result_candidate_weight() */
%ignore xjl_result_candidate_weights;
%immutable xjl_id_info::normalized;
%immutable xjl_id_info::kind;
%immutable xjl_id_info::findings;
%immutable xjl_id_info::birth_date;
%immutable xjl_id_info::gender;
%immutable xjl_id_info::region;
%immutable xjl_id_info::expected_check;
%immutable xjl_parsed::name;
%immutable xjl_parsed::gender;
%immutable xjl_parsed::birth_date;
%immutable xjl_parsed::id_type;
%immutable xjl_parsed::id;
%immutable xjl_parsed::errors;
%immutable xjl_parsed::warnings;
/* An array member has no useful proxy; field_findings() reads it. */
%ignore xjl_parsed::findings;
%extend xjl_parsed {
    /** Bit set of the findings of one field (xjl_field), 0 for a bad field. */
    uint32_t field_findings(int field)
    {
        return (field >= 0 && field < XJL_FIELD_COUNT) ? $self->findings[field] : 0;
    }
}

/* The result's query comes back as a copy owned by its proxy, so it outlives
 * the result it came from. */
%newobject xjl_result_query;

/* int functions that return a value rather than a status. */
%define XJL_RETURNS_VALUE(NAME)
%typemap(out) int NAME = int XJL_VALUE;
%enddef

/* ======================================================================== */
/* Python                                                                   */
/* ======================================================================== */
#ifdef SWIGPYTHON

%{
/* The exception classes live in xjlink/_errors.py, which registers them here
 * when the package is imported: [0] is xjlink.Error, [-code] its subclass. */
static PyObject *xjlb_errors[32];

static void xjlb_raise_text(int code, PyObject *text)
{
    PyObject *cls = NULL;
    if (code < 0 && -code < (int)(sizeof xjlb_errors / sizeof xjlb_errors[0]))
        cls = xjlb_errors[-code];
    if (!cls)
        cls = xjlb_errors[0];
    if (!cls) {
        PyErr_SetObject(PyExc_RuntimeError, text);
        return;
    }
    PyObject *exc = PyObject_CallFunction(cls, "iO", code, text);
    if (exc) {
        PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
        Py_DECREF(exc);
    }
}

/* Raises the error of a failed library call, with the thread's message. */
static void xjlb_raise(int code)
{
    const char *msg = xjl_errmsg();
    if (!msg || !*msg)
        msg = xjl_strerror(code);
    /* The message quotes the bad value, which may not be UTF-8. */
    PyObject *text = PyUnicode_DecodeUTF8(msg, (Py_ssize_t)strlen(msg), "backslashreplace");
    if (!text)
        return;
    xjlb_raise_text(code, text);
    Py_DECREF(text);
}

/* Raises an error found by the binding itself (a bad argument). */
static void xjlb_raise_arg(int code, const char *func, const char *arg, const char *what)
{
    PyObject *text = PyUnicode_FromFormat("%s: argument '%s': %s", func, arg, what);
    if (!text)
        return;
    xjlb_raise_text(code, text);
    Py_DECREF(text);
}

/* Text of an argument: str (sent as UTF-8), bytes (sent as they are, so that
 * invalid UTF-8 reaches the library and becomes a finding) or None (NULL, when
 * allowed).  The pointer is borrowed from o.  Returns 0, or -1 with an
 * exception set. */
static int xjlb_text(PyObject *o, const char **s, Py_ssize_t *len, int allow_nul,
                     const char *func, const char *arg)
{
    if (o == Py_None) {
        *s = NULL;
        *len = 0;
        return 0;
    }
    if (PyUnicode_Check(o)) {
        *s = PyUnicode_AsUTF8AndSize(o, len);
        if (!*s) {
            /* a lone surrogate, e.g. from a file read with surrogateescape */
            PyErr_Clear();
            xjlb_raise_arg(XJL_EENCODING, func, arg, "not encodable as UTF-8 (lone surrogate)");
            return -1;
        }
    } else if (PyBytes_Check(o)) {
        char *b;
        if (PyBytes_AsStringAndSize(o, &b, len) < 0)
            return -1;
        *s = b;
    } else {
        PyErr_Format(PyExc_TypeError, "%s: argument '%s' must be str, bytes or None, not %.80s",
                     func, arg, Py_TYPE(o)->tp_name);
        return -1;
    }
    if (!allow_nul && memchr(*s, '\0', (size_t)*len)) {
        xjlb_raise_arg(XJL_EINVAL, func, arg, "contains a NUL character");
        return -1;
    }
    return 0;
}

/* The five fields of a record from a sequence.  The strings are borrowed from
 * the items, which *keep (a tuple) holds while the library reads them. */
static int xjlb_record(PyObject *o, xjl_record *r, PyObject **keep, const char *func)
{
    static const char *const names[5] = {"name", "gender", "birth_date", "id_type", "id_number"};
    PyObject *t = NULL;
    if (PyTuple_Check(o)) {
        Py_INCREF(o);
        t = o;
    } else if (!PyUnicode_Check(o) && !PyBytes_Check(o) && !PyDict_Check(o)) {
        t = PySequence_Tuple(o);
    }
    if (!t) {
        PyErr_Clear();
        PyErr_Format(PyExc_TypeError, "%s: a record is a sequence of 5 fields, not %.80s",
                     func, Py_TYPE(o)->tp_name);
        return -1;
    }
    if (PyTuple_GET_SIZE(t) != 5) {
        PyErr_Format(PyExc_ValueError, "%s: a record has 5 fields, this one %zd", func,
                     PyTuple_GET_SIZE(t));
        Py_DECREF(t);
        return -1;
    }
    const char **f[5] = {&r->name, &r->gender, &r->birth_date, &r->id_type, &r->id_number};
    for (int i = 0; i < 5; i++) {
        Py_ssize_t len;
        if (xjlb_text(PyTuple_GET_ITEM(t, i), f[i], &len, 0, func, names[i]) < 0) {
            Py_DECREF(t);
            return -1;
        }
    }
    *keep = t;
    return 0;
}

/* A Python callable as the library's diagnostics callback.  The call that
 * takes it runs without the GIL, so the trampoline takes it back; the first
 * exception the callable raises stops further calls and is raised when the
 * library call returns. */
struct xjlb_diag {
    PyObject *fn;
    PyObject *exc_type, *exc_value, *exc_tb;
};

static PyObject *xjlb_str_or_none(const char *s)
{
    if (!s)
        Py_RETURN_NONE;
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "surrogateescape");
}

static void xjlb_diag_call(void *user, const char *file, long line, const char *column,
                           const char *value, const char *message)
{
    struct xjlb_diag *d = user;
    PyGILState_STATE st = PyGILState_Ensure();
    if (!d->exc_type) {
        PyObject *a[5] = {xjlb_str_or_none(file), PyLong_FromLong(line), xjlb_str_or_none(column),
                          xjlb_str_or_none(value), xjlb_str_or_none(message)};
        PyObject *ret = NULL;
        if (a[0] && a[1] && a[2] && a[3] && a[4])
            ret = PyObject_CallFunctionObjArgs(d->fn, a[0], a[1], a[2], a[3], a[4], NULL);
        for (int i = 0; i < 5; i++)
            Py_XDECREF(a[i]);
        if (ret)
            Py_DECREF(ret);
        else
            PyErr_Fetch(&d->exc_type, &d->exc_value, &d->exc_tb);
    }
    PyGILState_Release(st);
}

/* Appends a result to a wrapper's return value: a status of None (XJL_OK)
 * disappears, several values make a list (SWIG's convention). */
#define xjlb_append(result, obj) SWIG_Python_AppendOutput((result), (obj))

/* Policy hooks are kept by the library and called during later steps, maybe
 * with the GIL released: the callables live in this dict, keyed by
 * (workspace, hook), until replaced or the workspace is closed.  A hook that
 * raises refuses (the step fails with XJL_EPOLICY); the exception is shown
 * as unraisable, since the step that asked may run in C for a while yet. */
static PyObject *xjlb_hooks;

static int xjlb_hook_keep(xjl_workspace *ws, int kind, PyObject *fn)
{
    if (!xjlb_hooks && !(xjlb_hooks = PyDict_New()))
        return -1;
    PyObject *key = Py_BuildValue("(Ni)", PyLong_FromVoidPtr(ws), kind);
    if (!key)
        return -1;
    int rc = fn ? PyDict_SetItem(xjlb_hooks, key, fn) : 0;
    if (!fn && PyDict_Contains(xjlb_hooks, key) == 1)
        rc = PyDict_DelItem(xjlb_hooks, key);
    Py_DECREF(key);
    return rc;
}

static bool xjlb_hook_answer(PyObject *ret)
{
    int yes = ret ? PyObject_IsTrue(ret) : -1;
    Py_XDECREF(ret);
    if (yes < 0) {
        PyErr_WriteUnraisable(NULL);
        return false;
    }
    return yes != 0;
}

static bool xjlb_window_call(void *user, const char *process, int32_t date)
{
    PyGILState_STATE st = PyGILState_Ensure();
    bool yes = xjlb_hook_answer(PyObject_CallFunction((PyObject *)user, "si", process, (int)date));
    PyGILState_Release(st);
    return yes;
}

static bool xjlb_feature_call(void *user, const char *feature)
{
    PyGILState_STATE st = PyGILState_Ensure();
    bool yes = xjlb_hook_answer(PyObject_CallFunction((PyObject *)user, "s", feature));
    PyGILState_Release(st);
    return yes;
}

static void xjlb_workspace_close(xjl_workspace *ws)
{
    if (!ws)
        return;
    xjl_workspace_close(ws);
    if (xjlb_hook_keep(ws, 0, NULL) < 0 || xjlb_hook_keep(ws, 1, NULL) < 0)
        PyErr_Clear();
}
%}

/* ---- policy hooks: a callable (kept, see above) or None --------------------- */
%define XJL_PY_HOOK(FN_TYPE, KIND, TRAMPOLINE)
%typemap(in) (FN_TYPE fn, void *user) {
    if ($input != Py_None && !PyCallable_Check($input)) {
        PyErr_Format(PyExc_TypeError, "$symname: the hook must be callable or None");
        SWIG_fail;
    }
    $1 = $input == Py_None ? NULL : TRAMPOLINE;
    $2 = $input == Py_None ? NULL : $input;
}
%typemap(argout) (FN_TYPE fn, void *user) {
    /* arg1: the workspace, the first argument of both set_*_hook functions */
    if (xjlb_hook_keep(arg1, KIND, $2 ? (PyObject *)$2 : NULL) < 0)
        SWIG_fail;
}
%enddef
XJL_PY_HOOK(xjl_window_fn, 0, xjlb_window_call)
XJL_PY_HOOK(xjl_feature_fn, 1, xjlb_feature_call)

/* Registers the exception classes (called once by xjlink/_errors.py). */
%inline %{
static void xjlb_register_errors(PyObject *base, PyObject *by_code)
{
    Py_XDECREF(xjlb_errors[0]);
    Py_INCREF(base);
    xjlb_errors[0] = base;
    for (int c = 1; c < (int)(sizeof xjlb_errors / sizeof xjlb_errors[0]); c++) {
        PyObject *key = PyLong_FromLong(-c);
        PyObject *cls = key ? PyDict_GetItem(by_code, key) : NULL;
        Py_XDECREF(key);
        Py_XINCREF(cls);
        Py_XDECREF(xjlb_errors[c]);
        xjlb_errors[c] = cls;
    }
}
%}

/* ======================================================================== */
/* A DataFrame matched by columns                                           */
/* ======================================================================== */
/* Index.match_dataframe hands the five key columns over whole (one list per
 * column, as pandas' tolist() gives them) and gets the result columns back
 * in arrays it made (status codes, match_id, candidates, reasons, score):
 * no tuple and no Result object per row.  The frame goes by in chunks, two
 * at a time: while a thread of ours matches chunk k+1 without the GIL (the
 * UTF-8 of its text, the library's match_many on its own threads, then
 * every result's fields read into plain arrays), the caller's thread,
 * holding the GIL, makes chunk k's cells from those arrays.  Under the GIL
 * only what needs Python is done: each value is taken (str, bytes and None
 * as they are, NaN as None, any other value through the `convert`
 * callable, xjlink._convert.text) into a tuple of our own, and the cells
 * are made. */
%{
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>

/* Calls in their GIL-free part right now, in every thread: the binding's
 * tests read it from another thread to see that thread run while the
 * library works.  A counter and never a switch: nothing waits on it. */
static atomic_long xjlb_nogil_calls;

/* A key column of a chunk: its values from the caller's list, kept by a
 * tuple of our own (no other thread can change it while the GIL is free),
 * and the UTF-8 made for its non-ASCII text. */
struct xjlb_column {
    PyObject *values; /* tuple of str, bytes or None; NULL: no such column */
    size_t text_bytes;  /* UTF-8 the non-ASCII values need at most */
    char *text;
};

/* A value as the library reads it: str, bytes or None; NaN (pandas' empty
 * cell) as None; anything else through convert, which says how a date, a
 * number or a missing value reads (or raises TypeError).  New reference. */
static PyObject *xjlb_field_value(PyObject *v, PyObject *convert)
{
    if (PyUnicode_CheckExact(v) || PyBytes_CheckExact(v) || v == Py_None) {
        Py_INCREF(v);
        return v;
    }
    if (PyFloat_CheckExact(v) && isnan(PyFloat_AS_DOUBLE(v)))
        Py_RETURN_NONE;
    /* held across the call: convert may change the column v came from */
    Py_INCREF(v);
    PyObject *t = PyObject_CallOneArg(convert, v);
    if (t && !PyUnicode_CheckExact(t) && !PyBytes_CheckExact(t) && t != Py_None) {
        PyErr_Format(PyExc_TypeError, "match_dataframe: convert() gave %.80s for a %.80s",
                     Py_TYPE(t)->tp_name, Py_TYPE(v)->tp_name);
        Py_CLEAR(t);
    }
    Py_DECREF(v);
    return t;
}

/* Takes values [from, to) of a column into c: a numpy object array (a
 * frame's column read in place, as its buffer of pointers: no list of a
 * million references made and freed per column), a list or a sequence. */
static int xjlb_column_take(struct xjlb_column *c, PyObject *col, size_t from, size_t to,
                            PyObject *convert)
{
    Py_buffer buf = {0};
    PyObject *seq = NULL;
    const char *items;
    Py_ssize_t size, step;
    if (!PyList_CheckExact(col) && !PyTuple_CheckExact(col) && PyObject_CheckBuffer(col)) {
        if (PyObject_GetBuffer(col, &buf, PyBUF_STRIDES | PyBUF_FORMAT) < 0)
            return -1;
        if (!buf.format || strcmp(buf.format, "O") != 0 || buf.ndim != 1 ||
            buf.itemsize != (Py_ssize_t)sizeof(PyObject *)) {
            PyErr_SetString(PyExc_TypeError, "match_dataframe: a column as an array must be a "
                                             "one-dimensional array of objects");
            PyBuffer_Release(&buf);
            return -1;
        }
        items = buf.buf;
        size = buf.shape[0];
        step = buf.strides[0];
    } else {
        seq = PySequence_Fast(col, "match_dataframe: a column must be a sequence");
        if (!seq)
            return -1;
        items = (const char *)PySequence_Fast_ITEMS(seq);
        size = PySequence_Fast_GET_SIZE(seq);
        step = (Py_ssize_t)sizeof(PyObject *);
    }
    int rc = -1;
    if ((size_t)size < to) {
        PyErr_Format(PyExc_ValueError, "match_dataframe: a column has %zd values, not %zu", size,
                     to);
        goto done;
    }
    c->values = PyTuple_New((Py_ssize_t)(to - from));
    if (!c->values)
        goto done;
    for (size_t i = from; i < to; i++) {
        /* read again at each row: convert() may have changed the column
         * (an array keeps its size while its buffer is held, a list not) */
        if (seq) {
            if ((size_t)PySequence_Fast_GET_SIZE(seq) <= i) {
                PyErr_SetString(PyExc_ValueError, "match_dataframe: a column changed size");
                goto done;
            }
            items = (const char *)PySequence_Fast_ITEMS(seq);
        }
        PyObject *item = *(PyObject *const *)(items + (Py_ssize_t)i * step);
        PyObject *v = xjlb_field_value(item ? item : Py_None, convert);
        if (!v)
            goto done;
        PyTuple_SET_ITEM(c->values, (Py_ssize_t)(i - from), v);
        if (PyUnicode_CheckExact(v)) {
#if PY_VERSION_HEX < 0x030C0000
            if (PyUnicode_READY(v) < 0)
                goto done;
#endif
            /* ASCII is read in place; the rest is encoded, at most 2, 3 or
             * 4 bytes a character for 1-, 2- and 4-byte kinds */
            if (!PyUnicode_IS_ASCII(v))
                c->text_bytes += (size_t)PyUnicode_GET_LENGTH(v) *
                                     (PyUnicode_KIND(v) == PyUnicode_1BYTE_KIND ? 2
                                      : PyUnicode_KIND(v) == PyUnicode_2BYTE_KIND ? 3
                                                                                  : 4) +
                                 1;
        }
    }
    rc = 0;
done:
    Py_XDECREF(seq);
    if (!seq)
        PyBuffer_Release(&buf);
    return rc;
}

/* A candidate id as the matching thread read it, so that its cell is made
 * under the GIL without another look at the text (ASCII, the usual id, is
 * copied as it is). */
struct xjlb_id {
    const char *s; /* the result's own text (NULL: None) */
    size_t len;
    bool ascii;
};

/* A chunk of rows [from, from + n): its values, then what the matching
 * thread made of them. */
struct xjlb_chunk {
    size_t from, n;
    struct xjlb_column col[5];
    xjl_record *recs;
    xjl_result **res; /* kept until the cells are made: the ids are theirs */
    unsigned char *nul; /* per row: bit f set when field f holds a NUL character */
    /* the first value that is not valid text (a lone surrogate) */
    bool bad;
    size_t bad_row, bad_char;
    int bad_field;
    /* each result's fields, read in the matching thread */
    signed char *status; /* the caller's arrays, at row `from` */
    double *score;
    const char **reasons;
    size_t *first; /* n + 1: row i's candidates are ids[first[i]] to ids[first[i + 1] - 1] */
    struct xjlb_id *ids;
    /* the matching thread and how it ended */
    const xjl_matcher *m;
    unsigned threads;
    pthread_t thread;
    bool started;
    int rc;
    char msg[512]; /* its error message (the library's is per thread) */
};

/* The UTF-8 of str v into *at (room for it counted by xjlb_column_take),
 * NUL-terminated; false at a lone surrogate (*bad_char: its position).
 * Reads only v's immutable text: safe without the GIL while a reference
 * is held. */
static bool xjlb_encode(PyObject *v, char **at, bool *has_nul, size_t *bad_char)
{
    int kind = PyUnicode_KIND(v);
    const void *data = PyUnicode_DATA(v);
    size_t len = (size_t)PyUnicode_GET_LENGTH(v);
    char *d = *at;
    for (size_t i = 0; i < len; i++) {
        Py_UCS4 cp = PyUnicode_READ(kind, data, i);
        if (cp >= 0xD800 && cp <= 0xDFFF) {
            *bad_char = i;
            return false;
        }
        if (cp == 0)
            *has_nul = true;
        if (cp < 0x80) {
            *d++ = (char)cp;
        } else if (cp < 0x800) {
            *d++ = (char)(0xC0 | (cp >> 6));
            *d++ = (char)(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            *d++ = (char)(0xE0 | (cp >> 12));
            *d++ = (char)(0x80 | ((cp >> 6) & 0x3F));
            *d++ = (char)(0x80 | (cp & 0x3F));
        } else {
            *d++ = (char)(0xF0 | (cp >> 18));
            *d++ = (char)(0x80 | ((cp >> 12) & 0x3F));
            *d++ = (char)(0x80 | ((cp >> 6) & 0x3F));
            *d++ = (char)(0x80 | (cp & 0x3F));
        }
    }
    *d++ = '\0';
    *at = d;
    return true;
}

/* The records (a row with a NUL character goes to the library empty, its
 * error is the binding's), then the matching.  Without the GIL. */
static int xjlb_chunk_match(struct xjlb_chunk *k)
{
    for (int f = 0; f < 5; f++) {
        struct xjlb_column *c = &k->col[f];
        if (c->text_bytes && !(c->text = malloc(c->text_bytes)))
            return xjl_error_set(XJL_ENOMEM, "match_dataframe: out of memory for the text");
    }
    k->recs = calloc(k->n ? k->n : 1, sizeof *k->recs);
    k->res = calloc(k->n ? k->n : 1, sizeof *k->res);
    k->nul = calloc(k->n ? k->n : 1, 1);
    if (!k->recs || !k->res || !k->nul)
        return xjl_error_set(XJL_ENOMEM, "match_dataframe: out of memory for the rows");
    for (int f = 0; f < 5; f++) {
        struct xjlb_column *c = &k->col[f];
        if (!c->values)
            continue;
        char *at = c->text;
        for (size_t i = 0; i < k->n; i++) {
            PyObject *v = PyTuple_GET_ITEM(c->values, (Py_ssize_t)i);
            const char *s = NULL;
            size_t len = 0;
            bool has_nul = false;
            if (PyBytes_CheckExact(v)) {
                s = PyBytes_AS_STRING(v);
                len = (size_t)PyBytes_GET_SIZE(v);
            } else if (PyUnicode_CheckExact(v) && PyUnicode_IS_ASCII(v)) {
                s = (const char *)PyUnicode_DATA(v); /* NUL-terminated ASCII */
                len = (size_t)PyUnicode_GET_LENGTH(v);
            } else if (v != Py_None) {
                s = at;
                if (!xjlb_encode(v, &at, &has_nul, &k->bad_char)) {
                    k->bad = true;
                    k->bad_row = i;
                    k->bad_field = f;
                    return XJL_EENCODING;
                }
            }
            if (s && len && memchr(s, '\0', len))
                has_nul = true;
            if (has_nul)
                k->nul[i] |= (unsigned char)(1u << f);
            const char **dst[5] = {&k->recs[i].name, &k->recs[i].gender, &k->recs[i].birth_date,
                                   &k->recs[i].id_type, &k->recs[i].id_number};
            *dst[f] = s;
        }
    }
    for (size_t i = 0; i < k->n; i++)
        if (k->nul[i])
            k->recs[i] = (xjl_record){0};
    return xjl_matcher_match_many(k->m, k->recs, k->n, k->threads, k->res);
}

/* Every result's fields into the chunk's arrays: the status codes and the
 * scores straight into the caller's, the reasons and the candidates' ids
 * (with their length and whether they are ASCII) into our own.  Without
 * the GIL. */
static int xjlb_chunk_read(struct xjlb_chunk *k)
{
    size_t total = 0;
    for (size_t i = 0; i < k->n; i++)
        total += xjl_result_candidate_count(k->res[i]);
    k->reasons = malloc((k->n ? k->n : 1) * sizeof *k->reasons);
    k->first = malloc((k->n + 1) * sizeof *k->first);
    k->ids = malloc((total ? total : 1) * sizeof *k->ids);
    if (!k->reasons || !k->first || !k->ids)
        return xjl_error_set(XJL_ENOMEM, "match_dataframe: out of memory for the results");
    size_t at = 0;
    for (size_t i = 0; i < k->n; i++) {
        const xjl_result *r = k->res[i];
        int st = (int)xjl_result_status(r);
        k->status[i] = (signed char)(st < 0 || st > 3 ? XJL_ERROR : st);
        k->score[i] = xjl_result_score(r);
        k->reasons[i] = xjl_result_reasons(r);
        k->first[i] = at;
        for (size_t c = 0, nc = xjl_result_candidate_count(r); c < nc; c++, at++) {
            const char *s = xjl_result_candidate_id(r, c);
            struct xjlb_id *d = &k->ids[at];
            d->s = s;
            d->len = s ? strlen(s) : 0;
            d->ascii = true;
            for (size_t b = 0; b < d->len && d->ascii; b++)
                d->ascii = (unsigned char)s[b] < 0x80;
        }
    }
    k->first[k->n] = at;
    return XJL_OK;
}

/* The matching thread of a chunk. */
static void *xjlb_chunk_run(void *arg)
{
    struct xjlb_chunk *k = arg;
    atomic_fetch_add(&xjlb_nogil_calls, 1);
    k->rc = xjlb_chunk_match(k);
    if (k->rc == XJL_OK)
        k->rc = xjlb_chunk_read(k);
    if (k->rc != XJL_OK && !k->bad)
        snprintf(k->msg, sizeof k->msg, "%s", xjl_errmsg());
    atomic_fetch_sub(&xjlb_nogil_calls, 1);
    return NULL;
}

/* Starts matching a chunk whose values are taken.  Without a thread to be
 * had, it is matched here, the GIL released. */
static void xjlb_chunk_start(struct xjlb_chunk *k, const xjl_matcher *m, unsigned threads)
{
    k->m = m;
    k->threads = threads;
    k->started = pthread_create(&k->thread, NULL, xjlb_chunk_run, k) == 0;
    if (!k->started) {
        Py_BEGIN_ALLOW_THREADS
        xjlb_chunk_run(k);
        Py_END_ALLOW_THREADS
    }
}

/* Waits for a chunk's matching thread, the GIL released (and counted). */
static void xjlb_chunk_wait(struct xjlb_chunk *k)
{
    if (!k->started)
        return;
    Py_BEGIN_ALLOW_THREADS
    atomic_fetch_add(&xjlb_nogil_calls, 1);
    pthread_join(k->thread, NULL);
    atomic_fetch_sub(&xjlb_nogil_calls, 1);
    Py_END_ALLOW_THREADS
    k->started = false;
}

/* Frees what a chunk holds (its results without holding up other threads)
 * and makes it empty for the next. */
static void xjlb_chunk_clear(struct xjlb_chunk *k)
{
    xjlb_chunk_wait(k);
    Py_BEGIN_ALLOW_THREADS
    if (k->res)
        for (size_t i = 0; i < k->n; i++)
            xjl_result_free(k->res[i]);
    free(k->res);
    free(k->recs);
    free(k->nul);
    free(k->reasons);
    free(k->first);
    free(k->ids);
    for (int f = 0; f < 5; f++)
        free(k->col[f].text);
    Py_END_ALLOW_THREADS
    for (int f = 0; f < 5; f++)
        Py_XDECREF(k->col[f].values);
    *k = (struct xjlb_chunk){0};
}

/* The same text for every row whose reasons are at the same address: a
 * result's reasons mostly point into the library's table of them, which
 * lives as long as the process, so one string per address serves the whole
 * frame.  Not always: an error's reasons, and those of a row whose search
 * the block limit cut (they end with its count), live in the result, and a
 * later result may reuse that memory for another text.  So a hit counts
 * only when the cached string still reads the same.  Small and
 * open-addressed; when it is full, a string is made per row. */
#define XJLB_REASONS_SLOTS 2048
struct xjlb_reasons {
    const char *key[XJLB_REASONS_SLOTS];
    PyObject *text[XJLB_REASONS_SLOTS];
    size_t used;
};

static PyObject *xjlb_reasons_get(struct xjlb_reasons *rc, const char *s, bool keep)
{
    if (!keep)
        return xjlb_str_or_none(s);
    size_t h = (size_t)(((uint64_t)(uintptr_t)s >> 3) * 0x9E3779B97F4A7C15u >> 53); /* 11 bits */
    for (size_t probe = 0; probe < XJLB_REASONS_SLOTS; probe++, h = (h + 1) % XJLB_REASONS_SLOTS) {
        if (rc->key[h] == s) {
            const char *was = PyUnicode_AsUTF8(rc->text[h]);
            if (was && strcmp(was, s) == 0) {
                Py_INCREF(rc->text[h]);
                return rc->text[h];
            }
            PyErr_Clear();
            return xjlb_str_or_none(s); /* another text at a reused address */
        }
        if (!rc->key[h])
            break;
    }
    PyObject *t = xjlb_str_or_none(s);
    if (t && !rc->key[h] && rc->used < XJLB_REASONS_SLOTS / 2) {
        rc->key[h] = s;
        Py_INCREF(t);
        rc->text[h] = t;
        rc->used++;
    }
    return t;
}

static void xjlb_reasons_free(struct xjlb_reasons *rc)
{
    for (size_t i = 0; i < XJLB_REASONS_SLOTS; i++)
        Py_XDECREF(rc->text[i]);
}

/* Replaces item i of an object array (the caller made it, of None) by v, a
 * new reference. */
static void xjlb_put(PyObject **col, size_t i, PyObject *v)
{
    PyObject *old = col[i];
    col[i] = v;
    Py_XDECREF(old);
}

/* The str of a candidate id. */
static PyObject *xjlb_id_str(const struct xjlb_id *d)
{
    if (!d->s)
        Py_RETURN_NONE;
    if (!d->ascii)
        return PyUnicode_DecodeUTF8(d->s, (Py_ssize_t)d->len, "surrogateescape");
    PyObject *o = PyUnicode_New((Py_ssize_t)d->len, 127);
    if (o)
        memcpy(PyUnicode_DATA(o), d->s, d->len);
    return o;
}

/* A chunk's cells, from its arrays, into the caller's object columns
 * (match_id, candidates, reasons, made once for the whole frame); the
 * absolute positions of its rows with a NUL character appended to
 * nul_rows. */
static int xjlb_chunk_cells(const struct xjlb_chunk *k, PyObject **const cols[3],
                            struct xjlb_reasons *rc, PyObject *nul_rows)
{
    for (size_t i = 0; i < k->n; i++) {
        size_t at = k->from + i, first = k->first[i], nc = k->first[i + 1] - first;
        PyObject *cands = PyList_New((Py_ssize_t)nc);
        if (!cands)
            return -1;
        xjlb_put(cols[1], at, cands);
        for (size_t c = 0; c < nc; c++) {
            PyObject *id = xjlb_id_str(&k->ids[first + c]);
            if (!id)
                return -1;
            PyList_SET_ITEM(cands, (Py_ssize_t)c, id);
        }
        int st = k->status[i];
        /* the match is the first candidate: the same string */
        PyObject *mid = st == XJL_MATCHED && nc ? PyList_GET_ITEM(cands, 0) : Py_None;
        Py_INCREF(mid);
        xjlb_put(cols[0], at, mid);
        PyObject *why = xjlb_reasons_get(rc, k->reasons[i], st != XJL_ERROR);
        if (!why)
            return -1;
        xjlb_put(cols[2], at, why);
        if (k->nul[i]) {
            PyObject *pos = PyLong_FromSize_t(at);
            int bad = !pos || PyList_Append(nul_rows, pos) < 0;
            Py_XDECREF(pos);
            if (bad)
                return -1;
        }
    }
    return 0;
}

/* The error of the value that could not be sent (a lone surrogate). */
static void xjlb_chunk_bad_value(const struct xjlb_chunk *k, PyObject *labels)
{
    static const char *const names[5] = {"name", "gender", "birth_date", "id_type", "id_number"};
    PyObject *label = PyTuple_Check(labels) && PyTuple_GET_SIZE(labels) == 5
                          ? PyTuple_GET_ITEM(labels, k->bad_field)
                          : Py_None;
    PyObject *v = PyTuple_GET_ITEM(k->col[k->bad_field].values, (Py_ssize_t)k->bad_row);
    PyObject *text = PyUnicode_FromFormat(
        "match_dataframe: row %zu (position from 0), column %R (%s): a lone surrogate at "
        "character %zu is not encodable as UTF-8: %R",
        k->from + k->bad_row, label, names[k->bad_field], k->bad_char, v);
    if (text) {
        xjlb_raise_text(XJL_EENCODING, text);
        Py_DECREF(text);
    }
}

/* Takes rows [from, to) of the key columns into an empty chunk. */
static int xjlb_chunk_take(struct xjlb_chunk *k, PyObject *columns, size_t from, size_t to,
                           PyObject *convert, const Py_buffer *status, const Py_buffer *score)
{
    k->from = from;
    k->n = to - from;
    k->status = (signed char *)status->buf + from;
    k->score = (double *)score->buf + from;
    for (int f = 0; f < 5; f++) {
        PyObject *col = PyTuple_GET_ITEM(columns, f);
        if (col != Py_None && xjlb_column_take(&k->col[f], col, from, to, convert) < 0)
            return -1;
    }
    return 0;
}

/* A result column of the caller: a writable one-dimensional C-contiguous
 * buffer of at least `rows` items of format fmt ("O": a numpy object array,
 * "d": float64, "b": int8). */
static int xjlb_result_column(PyObject *o, Py_buffer *b, const char *fmt, size_t itemsize,
                              size_t rows)
{
    if (PyObject_GetBuffer(o, b, PyBUF_WRITABLE | PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) < 0)
        return -1;
    if (!b->format || strcmp(b->format, fmt) != 0 || (size_t)b->itemsize != itemsize ||
        b->ndim != 1 || (size_t)b->len < rows * itemsize) {
        PyErr_Format(PyExc_ValueError, "xjlb_match_frame: a result column must hold %zu "
                                       "items of format '%s'", rows, fmt);
        PyBuffer_Release(b);
        return -1;
    }
    return 0;
}
%}

%inline %{
/* Calls of the binding in their GIL-free part at this moment (see above). */
static long xjlb_nogil_depth(void)
{
    return atomic_load(&xjlb_nogil_calls);
}

/* The first `rows` rows of the five key columns (each a list, or None for
 * a column the frame lacks), matched `chunk_rows` at a time on `threads`
 * threads (0: all cores), chunk k+1 matched while chunk k's cells are made.
 * Their results go to the same rows of `results`, arrays the caller made
 * for every row: status codes (int8, the xjl_match_status of each row),
 * match_id, candidates and reasons (numpy object arrays, of None) and the
 * scores (float64).  labels: the five columns' names, for the error of a
 * value that is not text.  progress: None, or a callable told the rows of
 * each chunk done.  Returns the positions of the rows a NUL character made
 * unreadable: their results say error, the caller writes why. */
static PyObject *xjlb_match_frame(const xjl_matcher *m, PyObject *columns, PyObject *labels,
                                  size_t rows, size_t chunk_rows, unsigned threads,
                                  PyObject *convert, PyObject *results, PyObject *progress)
{
    if (!m || !PyTuple_Check(columns) || PyTuple_GET_SIZE(columns) != 5 || !chunk_rows ||
        !PyCallable_Check(convert) || !PyTuple_Check(results) || PyTuple_GET_SIZE(results) != 5 ||
        (progress != Py_None && !PyCallable_Check(progress))) {
        PyErr_SetString(PyExc_TypeError, "xjlb_match_frame: a matcher, a tuple of five columns, "
                                         "rows, rows a chunk, threads, a callable, five result "
                                         "columns and a callable or None");
        return NULL;
    }
    static const char *const fmt[5] = {"b", "O", "O", "O", "d"};
    static const size_t size[5] = {1, sizeof(PyObject *), sizeof(PyObject *),
                                   sizeof(PyObject *), sizeof(double)};
    Py_buffer bufs[5];
    PyObject **cells[3];
    int got = 0;
    for (; got < 5; got++) {
        if (xjlb_result_column(PyTuple_GET_ITEM(results, got), &bufs[got], fmt[got], size[got],
                               rows) < 0) {
            while (got--)
                PyBuffer_Release(&bufs[got]);
            return NULL;
        }
        if (got >= 1 && got <= 3)
            cells[got - 1] = bufs[got].buf;
    }
    struct xjlb_chunk ks[2] = {{0}};
    struct xjlb_reasons *rc = calloc(1, sizeof *rc);
    PyObject *nul_rows = PyList_New(0), *out = NULL;
    if (!rc) {
        PyErr_NoMemory();
        goto done;
    }
    if (!nul_rows)
        goto done;
    if (rows) {
        if (xjlb_chunk_take(&ks[0], columns, 0, rows < chunk_rows ? rows : chunk_rows, convert,
                            &bufs[0], &bufs[4]) < 0)
            goto done;
        xjlb_chunk_start(&ks[0], m, threads);
    }
    for (int cur = 0; rows && ks[cur].n; cur ^= 1) {
        struct xjlb_chunk *k = &ks[cur], *next = &ks[cur ^ 1];
        size_t to = k->from + k->n, n = k->n;
        /* the next chunk's values taken while this one is matched */
        if (to < rows && xjlb_chunk_take(next, columns, to,
                                         rows - to < chunk_rows ? rows : to + chunk_rows, convert,
                                         &bufs[0], &bufs[4]) < 0)
            goto done;
        xjlb_chunk_wait(k);
        if (k->bad) {
            xjlb_chunk_bad_value(k, labels);
            goto done;
        }
        if (k->rc != XJL_OK) {
            xjl_error_set(k->rc, k->msg);
            xjlb_raise(k->rc);
            goto done;
        }
        if (to < rows)
            xjlb_chunk_start(next, m, threads);
        if (xjlb_chunk_cells(k, cells, rc, nul_rows) < 0)
            goto done;
        xjlb_chunk_clear(k);
        if (progress != Py_None) {
            PyObject *r = PyObject_CallFunction(progress, "n", (Py_ssize_t)n);
            if (!r)
                goto done;
            Py_DECREF(r);
        }
    }
    out = nul_rows;
    nul_rows = NULL;
done:
    for (int c = 0; c < 2; c++)
        xjlb_chunk_clear(&ks[c]); /* a thread still running is waited for first */
    Py_XDECREF(nul_rows);
    if (rc)
        xjlb_reasons_free(rc);
    free(rc);
    for (int c = 0; c < 5; c++)
        PyBuffer_Release(&bufs[c]);
    return out;
}
%}

/* ---- the int status ------------------------------------------------------ */
%typemap(out) int {
    if ($1 < 0) {
        xjlb_raise($1);
        SWIG_fail;
    }
    $result = $1 == 0 ? SWIG_Py_Void() : PyLong_FromLong($1);
}
%typemap(out) int XJL_VALUE "$result = PyLong_FromLong($1);"

/* Positions: (size_t)-1 means none. */
%typemap(out) size_t xjl_index_find_id, size_t xjl_result_candidate_pos {
    $result = $1 == (size_t)-1 ? SWIG_Py_Void() : PyLong_FromSize_t($1);
}

/* ---- the GIL is released around the long calls --------------------------
 * Everything else is short enough that releasing and taking the GIL back
 * would cost more than it gives. */
%define XJL_NOGIL(NAME)
%exception NAME {
    Py_BEGIN_ALLOW_THREADS
    atomic_fetch_add(&xjlb_nogil_calls, 1);
    $action
    atomic_fetch_sub(&xjlb_nogil_calls, 1);
    Py_END_ALLOW_THREADS
}
%enddef
XJL_NOGIL(xjl_index_build)
XJL_NOGIL(xjl_index_add_csv)
XJL_NOGIL(xjl_index_update)
XJL_NOGIL(xjl_index_remove)
XJL_NOGIL(xjl_index_compact)
XJL_NOGIL(xjl_index_save)
XJL_NOGIL(xjl_matcher_match)
XJL_NOGIL(xjlb_batch_match)
XJL_NOGIL(xjlb_match_csv_file)
XJL_NOGIL(xjl_intake_load_registry)
XJL_NOGIL(xjl_intake_import)
XJL_NOGIL(xjl_enrol_load_graduates)
XJL_NOGIL(xjl_enrol_import_assigned)
XJL_NOGIL(xjl_enrol_cross_check)
XJL_NOGIL(xjl_dedup_run)
XJL_NOGIL(xjl_dedup_run_block)
XJL_NOGIL(xjl_dedup_split)
XJL_NOGIL(xjl_dedup_load)
XJL_NOGIL(xjl_dedup_finish)

/* xjl_dedup_blocks: the block keys as a tuple (its int return is their count). */
%typemap(in, numinputs=0) int32_t keys[ANY] (int32_t k[$1_dim0]) "$1 = k;"
%typemap(argout) int32_t keys[ANY] {
    PyObject *t = PyTuple_New(result > 0 ? result : 0);
    for (int i = 0; t && i < result; i++)
        PyTuple_SET_ITEM(t, i, PyLong_FromLong($1[i]));
    Py_XDECREF($result);
    $result = t;
    if (!t)
        SWIG_fail;
}

/* ---- strings in ----------------------------------------------------------- */
%typemap(in) const char * (Py_ssize_t len) {
    if (xjlb_text($input, (const char **)&$1, &len, 0, "$symname", "$1_name") < 0)
        SWIG_fail;
}
%typemap(freearg) const char * ""
%typemap(in) (const char *s, size_t len) (Py_ssize_t n) {
    if (xjlb_text($input, (const char **)&$1, &n, 1, "$symname", "s") < 0)
        SWIG_fail;
    if (!$1) {
        xjlb_raise_arg(XJL_EINVAL, "$symname", "s", "None is not a string");
        SWIG_fail;
    }
    $2 = (size_t)n;
}

/* ---- records in ------------------------------------------------------------ */
%typemap(in) const xjl_record * (xjl_record rec, PyObject *keep = NULL) {
    if (xjlb_record($input, &rec, &keep, "$symname") < 0)
        SWIG_fail;
    $1 = &rec;
}
%typemap(freearg) const xjl_record * "Py_XDECREF(keep$argnum);"
/* A report shows the parsed query when the row's fields as given are None. */
%typemap(in) const xjl_record *given (xjl_record rec, PyObject *keep = NULL) {
    if ($input == Py_None) {
        $1 = NULL;
    } else {
        if (xjlb_record($input, &rec, &keep, "$symname") < 0)
            SWIG_fail;
        $1 = &rec;
    }
}
%typemap(freearg) const xjl_record *given "Py_XDECREF(keep$argnum);"

%typemap(in) (const xjl_record *recs, size_t n) (PyObject *keep = NULL) {
    PyObject *rows = PySequence_Tuple($input);
    if (!rows) {
        PyErr_Format(PyExc_TypeError, "$symname: records must be a sequence");
        SWIG_fail;
    }
    $2 = (size_t)PyTuple_GET_SIZE(rows);
    /* keep holds every row tuple, so no field can go while the GIL is released */
    keep = PyTuple_New((Py_ssize_t)$2);
    $1 = malloc(($2 ? $2 : 1) * sizeof(xjl_record));
    if (!keep || !$1) {
        Py_DECREF(rows);
        PyErr_NoMemory();
        SWIG_fail;
    }
    for (size_t i = 0; i < $2; i++) {
        PyObject *k = NULL;
        if (xjlb_record(PyTuple_GET_ITEM(rows, (Py_ssize_t)i), &$1[i], &k, "$symname") < 0) {
            Py_DECREF(rows);
            SWIG_fail;
        }
        PyTuple_SET_ITEM(keep, (Py_ssize_t)i, k);
    }
    Py_DECREF(rows);
}
%typemap(freearg) (const xjl_record *recs, size_t n) {
    free($1);
    Py_XDECREF(keep$argnum);
}

/* ---- handles out ----------------------------------------------------------- */
/* The proxy owns the handle once made.  A handle no proxy took is freed
 * with FREE: a call can succeed and still raise (a diag listener's
 * exception is raised after the call, by the typemap of a parameter before
 * this one), and the handle must not leak then. */
%define XJL_OUT_HANDLE(TYPE, FREE)
%typemap(in, numinputs=0) TYPE **out (TYPE *h = NULL) "$1 = &h;"
%typemap(argout) TYPE **out {
    PyObject *o = SWIG_NewPointerObj(*$1, $*1_descriptor, SWIG_POINTER_OWN);
    if (!o)
        SWIG_fail;
    *$1 = NULL;
    $result = xjlb_append($result, o);
}
%typemap(freearg) TYPE **out "if ($1 && *$1) FREE(*$1);"
%enddef

/* ---- scalars out ---------------------------------------------------------- */
%define XJL_OUT_SCALAR(TYPE, CONVERT)
%typemap(in, numinputs=0) TYPE * ($*1_ltype v = 0) "$1 = &v;"
%typemap(argout) TYPE * "$result = xjlb_append($result, CONVERT(*$1));"
%enddef
XJL_OUT_SCALAR(int, PyLong_FromLong)
XJL_OUT_SCALAR(int32_t, PyLong_FromLong)
XJL_OUT_SCALAR(uint32_t, PyLong_FromUnsignedLong)
XJL_OUT_SCALAR(size_t, PyLong_FromSize_t)
XJL_OUT_SCALAR(double, PyFloat_FromDouble)
XJL_OUT_SCALAR(xjl_gender, PyLong_FromLong)
XJL_OUT_SCALAR(xjl_id_type, PyLong_FromLong)
XJL_OUT_SCALAR(xjl_encoding, PyLong_FromLong)
XJL_OUT_SCALAR(int64_t, PyLong_FromLongLong)
XJL_OUT_SCALAR(uint64_t, PyLong_FromUnsignedLongLong)
XJL_OUT_SCALAR(xjl_row_status, PyLong_FromLong)
XJL_OUT_SCALAR(xjl_sfield, PyLong_FromLong)
XJL_OUT_SCALAR(xjl_school_kind, PyLong_FromLong)
XJL_OUT_SCALAR(xjl_role, PyLong_FromLong)
XJL_OUT_SCALAR(xjl_finding, PyLong_FromLong)

/* A field's length comes with the field: the text is rebuilt with it, so an
 * embedded NUL is kept. */
%typemap(argout) size_t *len {
    Py_DECREF($result);
    $result = result ? PyUnicode_DecodeUTF8(result, (Py_ssize_t)*$1, "surrogateescape")
                     : SWIG_Py_Void();
    if (!$result)
        SWIG_fail;
}

/* ---- structs out ----------------------------------------------------------- */
%define XJL_OUT_STRUCT(TYPE)
%typemap(in, numinputs=0) TYPE * (TYPE *p = NULL) {
    p = calloc(1, sizeof *p);
    if (!p) {
        PyErr_NoMemory();
        SWIG_fail;
    }
    $1 = p;
}
%typemap(argout) TYPE * {
    $result = xjlb_append($result, SWIG_NewPointerObj($1, $1_descriptor, SWIG_POINTER_OWN));
    p$argnum = NULL; /* the proxy owns it now */
}
%typemap(freearg) TYPE * "free(p$argnum);"
/* SWIG would apply these to `const TYPE *` too: that one is an input. */
%typemap(in) const TYPE * = SWIGTYPE *;
%typemap(argout) const TYPE * "";
%typemap(freearg) const TYPE * "";
%enddef

/* A `const struct *` returned by the library is copied into a new object. */
%define XJL_COPY_STRUCT(TYPE)
%typemap(out) const TYPE * {
    TYPE *copy = $1 ? malloc(sizeof *copy) : NULL;
    if ($1 && !copy) {
        PyErr_NoMemory();
        SWIG_fail;
    }
    if (copy)
        *copy = *$1;
    $result = copy ? SWIG_NewPointerObj(copy, $descriptor(TYPE *), SWIG_POINTER_OWN) : SWIG_Py_Void();
}
%enddef

/* ---- buffers out ------------------------------------------------------------ */
/* The library's buffer sizes are bounded (a name, a date, a list of findings);
 * 4 KiB holds any of them, and XJL_ERANGE would still raise, never truncate. */
%typemap(in, numinputs=0) (char *buf, size_t cap, size_t *out_len) (char b[4096], size_t n = 0) {
    $1 = b;
    $2 = sizeof b;
    $3 = &n;
}
%typemap(argout) (char *buf, size_t cap, size_t *out_len) {
    $result = xjlb_append($result, PyUnicode_DecodeUTF8($1, (Py_ssize_t)*$3, "surrogateescape"));
}
%typemap(in, numinputs=0) (char *buf, size_t cap) (char b[64]) {
    $1 = b;
    $2 = sizeof b;
    b[0] = '\0';
}
%typemap(argout) (char *buf, size_t cap) {
    $result = xjlb_append($result, PyUnicode_DecodeUTF8($1, (Py_ssize_t)strlen($1), "surrogateescape"));
}
/* A string transformed into a buffer (xjl_csv_quote): the buffer is sized
 * from the input, twice it and a little, which a quoting or escaping
 * function never exceeds; XJL_ERANGE would raise, never truncate. */
%typemap(in) (const char *s, size_t len, char *buf, size_t cap, size_t *out_len)
             (Py_ssize_t n, size_t need = 0, char *heap = NULL) {
    if (xjlb_text($input, (const char **)&$1, &n, 1, "$symname", "s") < 0)
        SWIG_fail;
    if (!$1) {
        xjlb_raise_arg(XJL_EINVAL, "$symname", "s", "None is not a string");
        SWIG_fail;
    }
    $2 = (size_t)n;
    $4 = 2 * $2 + 16;
    heap = malloc($4);
    if (!heap) {
        PyErr_NoMemory();
        SWIG_fail;
    }
    $3 = heap;
    $5 = &need;
}
%typemap(argout) (const char *s, size_t len, char *buf, size_t cap, size_t *out_len) {
    $result = xjlb_append($result, PyUnicode_DecodeUTF8($3, (Py_ssize_t)*$5, "surrogateescape"));
}
%typemap(freearg) (const char *s, size_t len, char *buf, size_t cap, size_t *out_len) "free(heap$argnum);"

/* ---- int cols[5] ------------------------------------------------------------- */
%typemap(in, numinputs=0) int cols[5] (int c[5]) "$1 = c;"
%typemap(argout) int cols[5] {
    $result = xjlb_append($result, Py_BuildValue("(iiiii)", $1[0], $1[1], $1[2], $1[3], $1[4]));
}

/* ---- a header: a sequence of column names (not str: an empty column) -------- */
%typemap(in) (const char *const *header, size_t ncols) (PyObject *seq = NULL, const char **names = NULL) {
    seq = PySequence_Fast($input, "a header is a sequence of column names");
    if (!seq)
        SWIG_fail;
    $2 = (size_t)PySequence_Fast_GET_SIZE(seq);
    names = calloc($2 ? $2 : 1, sizeof *names);
    if (!names) {
        PyErr_NoMemory();
        SWIG_fail;
    }
    for (size_t i = 0; i < $2; i++) {
        PyObject *o = PySequence_Fast_GET_ITEM(seq, (Py_ssize_t)i);
        /* borrowed: the sequence keeps the str, and the str its UTF-8 */
        if (PyUnicode_Check(o) && !(names[i] = PyUnicode_AsUTF8(o)))
            SWIG_fail;
    }
    $1 = ($1_ltype)names;
}
%typemap(freearg) (const char *const *header, size_t ncols) {
    free((void *)names$argnum);
    Py_XDECREF(seq$argnum);
}

/* ---- the diagnostics callback ------------------------------------------------ */
/* Cleared before any argument is converted: when an earlier argument fails
 * (a NUL or a lone surrogate in a path), freearg runs for this one too,
 * and must not release what an uninitialised struct holds. */
%typemap(arginit) (xjl_diag_fn diag, void *user) {
    memset(&d$argnum, 0, sizeof d$argnum);
}
%typemap(in) (xjl_diag_fn diag, void *user) (struct xjlb_diag d) {
    if ($input == Py_None) {
        $1 = NULL;
        $2 = NULL;
    } else if (PyCallable_Check($input)) {
        d.fn = $input;
        $1 = xjlb_diag_call;
        $2 = &d;
    } else {
        PyErr_Format(PyExc_TypeError, "$symname: diag must be callable or None");
        SWIG_fail;
    }
}
/* A progress callback (match_csv): called with the rows done since the
 * last call, as tqdm's update() takes them; on the library's writing
 * thread, so it takes the GIL.  An exception it raises is kept and raised
 * when the call returns (the run itself cannot be stopped half-way). */
%{
struct xjlb_progress {
    PyObject *fn;
    size_t last;
    PyObject *exc_type, *exc_value, *exc_tb;
};

static void xjlb_progress_call(void *user, size_t rows)
{
    struct xjlb_progress *p = user;
    PyGILState_STATE g = PyGILState_Ensure();
    if (!p->exc_type) {
        PyObject *r = PyObject_CallFunction(p->fn, "n", (Py_ssize_t)(rows - p->last));
        p->last = rows;
        if (r)
            Py_DECREF(r);
        else
            PyErr_Fetch(&p->exc_type, &p->exc_value, &p->exc_tb);
    }
    PyGILState_Release(g);
}
%}
%typemap(in) (xjlb_progress_fn progress, void *progress_user) (struct xjlb_progress p = {0}) {
    if ($input == Py_None) {
        $1 = NULL;
        $2 = NULL;
    } else if (PyCallable_Check($input)) {
        p.fn = $input;
        $1 = xjlb_progress_call;
        $2 = &p;
    } else {
        PyErr_Format(PyExc_TypeError, "$symname: progress must be callable or None");
        SWIG_fail;
    }
}
%typemap(argout) (xjlb_progress_fn progress, void *progress_user) {
    if (p$argnum.exc_type) {
        Py_XDECREF($result);
        PyErr_Restore(p$argnum.exc_type, p$argnum.exc_value, p$argnum.exc_tb);
        p$argnum.exc_type = p$argnum.exc_value = p$argnum.exc_tb = NULL;
        SWIG_fail;
    }
}
%typemap(freearg) (xjlb_progress_fn progress, void *progress_user) {
    Py_XDECREF(p$argnum.exc_type);
    Py_XDECREF(p$argnum.exc_value);
    Py_XDECREF(p$argnum.exc_tb);
}

%typemap(argout) (xjl_diag_fn diag, void *user) {
    if (d$argnum.exc_type) {
        Py_XDECREF($result);
        PyErr_Restore(d$argnum.exc_type, d$argnum.exc_value, d$argnum.exc_tb); /* steals all three */
        d$argnum.exc_type = d$argnum.exc_value = d$argnum.exc_tb = NULL;
        SWIG_fail;
    }
}
%typemap(freearg) (xjl_diag_fn diag, void *user) {
    /* an exception kept when the library call failed first */
    Py_XDECREF(d$argnum.exc_type);
    Py_XDECREF(d$argnum.exc_value);
    Py_XDECREF(d$argnum.exc_tb);
}

/* ---- a batch of index changes --------------------------------------------
 * xjl_index_apply() takes an array of structs that hold a record: the binding
 * takes a sequence of (op, record_id, record or None) and gives back the code
 * of each change. */
%inline %{
static PyObject *xjlb_index_apply(xjl_index *ix, PyObject *changes)
{
    PyObject *seq = PySequence_Tuple(changes);
    if (!seq) {
        PyErr_Clear();
        PyErr_SetString(PyExc_TypeError, "apply: the changes must be a sequence");
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(seq);
    /* keep holds each change as a tuple and each record's fields, so that no
     * string goes while the GIL is released */
    PyObject *keep = PyTuple_New(2 * n), *out = NULL;
    xjl_index_change *ch = calloc(n ? (size_t)n : 1, sizeof *ch);
    int *res = malloc((n ? (size_t)n : 1) * sizeof *res);
    if (!keep || !ch || !res) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *t = PySequence_Tuple(PyTuple_GET_ITEM(seq, i));
        if (!t || PyTuple_GET_SIZE(t) != 3) {
            Py_XDECREF(t);
            PyErr_Clear();
            PyErr_Format(PyExc_TypeError, "apply: change %zd is not (op, record_id, record)", i);
            goto done;
        }
        PyTuple_SET_ITEM(keep, 2 * i, t);
        long op = PyLong_AsLong(PyTuple_GET_ITEM(t, 0));
        if (op == -1 && PyErr_Occurred())
            goto done;
        ch[i].op = (xjl_change_op)op;
        Py_ssize_t len;
        if (xjlb_text(PyTuple_GET_ITEM(t, 1), &ch[i].record_id, &len, 0, "apply", "record_id") < 0)
            goto done;
        PyObject *rec = PyTuple_GET_ITEM(t, 2), *k = NULL;
        if (rec != Py_None && xjlb_record(rec, &ch[i].rec, &k, "apply") < 0)
            goto done;
        PyTuple_SET_ITEM(keep, 2 * i + 1, k ? k : (Py_INCREF(Py_None), Py_None));
        res[i] = 1; /* not reached by the library */
    }
    int rc;
    Py_BEGIN_ALLOW_THREADS
    atomic_fetch_add(&xjlb_nogil_calls, 1);
    rc = xjl_index_apply(ix, ch, (size_t)n, res);
    atomic_fetch_sub(&xjlb_nogil_calls, 1);
    Py_END_ALLOW_THREADS
    if (rc && n && res[0] == 1) { /* refused as a whole (not built) */
        xjlb_raise(rc);
        goto done;
    }
    out = PyList_New(n);
    for (Py_ssize_t i = 0; out && i < n; i++)
        PyList_SET_ITEM(out, i, PyLong_FromLong(res[i]));
done:
    free(ch);
    free(res);
    Py_XDECREF(keep);
    Py_DECREF(seq);
    return out;
}
%}

#endif /* SWIGPYTHON */

/* ======================================================================== */
/* Java                                                                     */
/* ======================================================================== */
#ifdef SWIGJAVA

%{
#include <pthread.h>

/* JNI references resolved once, when the library is loaded. */
static JavaVM *xjlb_vm;
static jclass xjlb_string_class, xjlb_exc_class;
static jmethodID xjlb_string_new, xjlb_string_bytes, xjlb_exc_new, xjlb_diag_report;
static jmethodID xjlb_window_is_open, xjlb_feature_is_on, xjlb_progress_update;
static jobject xjlb_utf8;

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved)
{
    JNIEnv *env;
    (void)reserved;
    if ((*vm)->GetEnv(vm, (void **)&env, JNI_VERSION_1_8) != JNI_OK)
        return JNI_ERR;
    jclass s = (*env)->FindClass(env, "java/lang/String");
    jclass cs = (*env)->FindClass(env, "java/nio/charset/StandardCharsets");
    jclass e = (*env)->FindClass(env, "org/xjlink/XjlinkException");
    jclass d = (*env)->FindClass(env, "org/xjlink/DiagnosticListener");
    jclass wh = (*env)->FindClass(env, "org/xjlink/WindowHook");
    jclass fh = (*env)->FindClass(env, "org/xjlink/FeatureHook");
    jclass pr = (*env)->FindClass(env, "org/xjlink/Progress");
    if (!s || !cs || !e || !d || !wh || !fh || !pr)
        return JNI_ERR;
    xjlb_vm = vm;
    xjlb_window_is_open = (*env)->GetMethodID(env, wh, "isOpen", "(Ljava/lang/String;I)Z");
    xjlb_feature_is_on = (*env)->GetMethodID(env, fh, "isOn", "(Ljava/lang/String;)Z");
    xjlb_progress_update = (*env)->GetMethodID(env, pr, "update", "(J)V");
    if (!xjlb_window_is_open || !xjlb_feature_is_on || !xjlb_progress_update)
        return JNI_ERR;
    jfieldID u = (*env)->GetStaticFieldID(env, cs, "UTF_8", "Ljava/nio/charset/Charset;");
    jobject utf8 = u ? (*env)->GetStaticObjectField(env, cs, u) : NULL;
    xjlb_string_new = (*env)->GetMethodID(env, s, "<init>", "([BLjava/nio/charset/Charset;)V");
    xjlb_string_bytes = (*env)->GetMethodID(env, s, "getBytes", "(Ljava/nio/charset/Charset;)[B");
    xjlb_exc_new = (*env)->GetMethodID(env, e, "<init>", "(ILjava/lang/String;)V");
    xjlb_diag_report = (*env)->GetMethodID(env, d, "report",
        "(Ljava/lang/String;JLjava/lang/String;Ljava/lang/String;Ljava/lang/String;)V");
    if (!utf8 || !xjlb_string_new || !xjlb_string_bytes || !xjlb_exc_new || !xjlb_diag_report)
        return JNI_ERR;
    xjlb_string_class = (*env)->NewGlobalRef(env, s);
    xjlb_exc_class = (*env)->NewGlobalRef(env, e);
    xjlb_utf8 = (*env)->NewGlobalRef(env, utf8);
    return JNI_VERSION_1_8;
}

/* A Java String from UTF-8 (JNI's own NewStringUTF reads "modified UTF-8",
 * which garbles characters outside the BMP: 𠀀 in a name). */
static jstring xjlb_jstring(JNIEnv *env, const char *s, size_t len)
{
    if (!s)
        return NULL;
    if (len == (size_t)-1)
        len = strlen(s);
    jbyteArray b = (*env)->NewByteArray(env, (jsize)len);
    if (!b)
        return NULL;
    (*env)->SetByteArrayRegion(env, b, 0, (jsize)len, (const jbyte *)s);
    jstring r = (jstring)(*env)->NewObject(env, xjlb_string_class, xjlb_string_new, b, xjlb_utf8);
    (*env)->DeleteLocalRef(env, b);
    return (*env)->ExceptionCheck(env) ? NULL : r;
}

static void xjlb_throw_text(JNIEnv *env, int code, const char *msg)
{
    if ((*env)->ExceptionCheck(env))
        return;
    jstring m = xjlb_jstring(env, msg, (size_t)-1);
    if (!m)
        return;
    jthrowable t = (jthrowable)(*env)->NewObject(env, xjlb_exc_class, xjlb_exc_new, (jint)code, m);
    if (t)
        (*env)->Throw(env, t);
    (*env)->DeleteLocalRef(env, m);
}

static void xjlb_throw(JNIEnv *env, int code)
{
    const char *msg = xjl_errmsg();
    xjlb_throw_text(env, code, msg && *msg ? msg : xjl_strerror(code));
}

/* A Java String as malloc'd UTF-8 with a NUL; *len (if not NULL) gets its
 * length.  NULL for null (not an error) or with an exception pending.
 * Arguments are checked in Java before the native call (Xjlink.xjlbText and
 * friends), so that a conversion here fails only when memory does: a
 * typemap that returns early skips the freeing of the arguments before it. */
static char *xjlb_jutf8(JNIEnv *env, jstring s, size_t *len)
{
    if (len)
        *len = 0;
    if (!s)
        return NULL;
    jbyteArray b = (jbyteArray)(*env)->CallObjectMethod(env, s, xjlb_string_bytes, xjlb_utf8);
    if ((*env)->ExceptionCheck(env) || !b)
        return NULL;
    jsize n = (*env)->GetArrayLength(env, b);
    char *p = malloc((size_t)n + 1);
    if (!p) {
        (*env)->DeleteLocalRef(env, b);
        xjlb_throw_text(env, XJL_ENOMEM, "out of memory");
        return NULL;
    }
    (*env)->GetByteArrayRegion(env, b, 0, n, (jbyte *)p);
    (*env)->DeleteLocalRef(env, b);
    p[n] = '\0';
    if (len)
        *len = (size_t)n;
    return p;
}

/* The five fields of a record from a String[5] (checked by Xjlink.xjlbRecord);
 * the strings are malloc'd. */
static int xjlb_jrecord(JNIEnv *env, jobjectArray a, xjl_record *r)
{
    memset(r, 0, sizeof *r);
    const char **f[5] = {&r->name, &r->gender, &r->birth_date, &r->id_type, &r->id_number};
    for (int i = 0; i < 5; i++) {
        jstring s = (jstring)(*env)->GetObjectArrayElement(env, a, i);
        *f[i] = xjlb_jutf8(env, s, NULL);
        if (s)
            (*env)->DeleteLocalRef(env, s);
        if ((*env)->ExceptionCheck(env))
            return -1;
    }
    return 0;
}

static void xjlb_record_free(xjl_record *r)
{
    free((char *)r->name);
    free((char *)r->gender);
    free((char *)r->birth_date);
    free((char *)r->id_type);
    free((char *)r->id_number);
}

/* Policy hooks are kept by the library and called during later steps: each
 * is held as a global reference, listed by (workspace, hook) until replaced
 * or the workspace is closed.  A hook that throws refuses (the step fails
 * with XJL_EPOLICY) and its exception is what the Java caller sees. */
struct xjlb_jhook {
    xjl_workspace *ws;
    int kind;
    jobject ref;
    struct xjlb_jhook *next;
};
static struct xjlb_jhook *xjlb_jhooks;
static pthread_mutex_t xjlb_jhooks_lock = PTHREAD_MUTEX_INITIALIZER;

/* Keeps ref (a global reference, or NULL to drop) as hook `kind` of ws. */
static void xjlb_jhook_keep(JNIEnv *env, xjl_workspace *ws, int kind, jobject ref)
{
    pthread_mutex_lock(&xjlb_jhooks_lock);
    struct xjlb_jhook **p = &xjlb_jhooks;
    while (*p && !((*p)->ws == ws && (*p)->kind == kind))
        p = &(*p)->next;
    if (*p) {
        (*env)->DeleteGlobalRef(env, (*p)->ref);
        if (ref) {
            (*p)->ref = ref;
        } else {
            struct xjlb_jhook *gone = *p;
            *p = gone->next;
            free(gone);
        }
    } else if (ref) {
        struct xjlb_jhook *h = malloc(sizeof *h);
        if (h) {
            *h = (struct xjlb_jhook){ws, kind, ref, xjlb_jhooks};
            xjlb_jhooks = h;
        }
    }
    pthread_mutex_unlock(&xjlb_jhooks_lock);
}

static JNIEnv *xjlb_jenv(void)
{
    JNIEnv *env;
    if ((*xjlb_vm)->GetEnv(xjlb_vm, (void **)&env, JNI_VERSION_1_8) != JNI_OK)
        return NULL; /* a thread the JVM does not know: refuse */
    return (*env)->ExceptionCheck(env) ? NULL : env;
}

static bool xjlb_jwindow_call(void *user, const char *process, int32_t date)
{
    JNIEnv *env = xjlb_jenv();
    if (!env)
        return false;
    jstring p = xjlb_jstring(env, process, (size_t)-1);
    jboolean yes = p ? (*env)->CallBooleanMethod(env, (jobject)user, xjlb_window_is_open, p, (jint)date) : 0;
    if (p)
        (*env)->DeleteLocalRef(env, p);
    return !(*env)->ExceptionCheck(env) && yes;
}

static bool xjlb_jfeature_call(void *user, const char *feature)
{
    JNIEnv *env = xjlb_jenv();
    if (!env)
        return false;
    jstring f = xjlb_jstring(env, feature, (size_t)-1);
    jboolean yes = f ? (*env)->CallBooleanMethod(env, (jobject)user, xjlb_feature_is_on, f) : 0;
    if (f)
        (*env)->DeleteLocalRef(env, f);
    return !(*env)->ExceptionCheck(env) && yes;
}

static void xjlb_workspace_close(xjl_workspace *ws)
{
    if (!ws)
        return;
    xjl_workspace_close(ws);
    JNIEnv *env;
    if ((*xjlb_vm)->GetEnv(xjlb_vm, (void **)&env, JNI_VERSION_1_8) == JNI_OK) {
        xjlb_jhook_keep(env, ws, 0, NULL);
        xjlb_jhook_keep(env, ws, 1, NULL);
    }
}

/* The library's diagnostics callback calling a DiagnosticListener; it runs
 * on the calling thread, so the JNIEnv of the call is the right one. */
struct xjlb_jdiag {
    JNIEnv *env;
    jobject listener;
};

static void xjlb_jdiag_call(void *user, const char *file, long line, const char *column,
                            const char *value, const char *message)
{
    struct xjlb_jdiag *d = user;
    JNIEnv *env = d->env;
    if ((*env)->ExceptionCheck(env))
        return;
    jstring a = xjlb_jstring(env, file, (size_t)-1), c = xjlb_jstring(env, column, (size_t)-1),
            v = xjlb_jstring(env, value, (size_t)-1), m = xjlb_jstring(env, message, (size_t)-1);
    if (!(*env)->ExceptionCheck(env)) {
        (*env)->CallVoidMethod(env, d->listener, xjlb_diag_report, a, (jlong)line, c, v, m);
        /* a listener's exception stays pending: later rows are not reported,
         * and it is what the Java caller sees */
        (void)(*env)->ExceptionCheck(env);
    }
    jstring all[4] = {a, c, v, m};
    for (int i = 0; i < 4; i++)
        if (all[i])
            (*env)->DeleteLocalRef(env, all[i]);
}
%}

/* Arguments are checked here, before the native call. */
%pragma(java) modulecode=%{
  /** A string the library would read only up to an embedded NUL is refused. */
  static String xjlbText(String s) {
    if (s != null && s.indexOf('\0') >= 0)
      throw new org.xjlink.XjlinkException(xjl_error.XJL_EINVAL.swigValue(),
          "a string argument contains a NUL character");
    return s;
  }

  /** A record is the five key fields: name, gender, birth_date, id_type, id_number. */
  static String[] xjlbRecord(String[] r) {
    if (r == null || r.length != 5)
      throw new org.xjlink.XjlinkException(xjl_error.XJL_EINVAL.swigValue(),
          "a record is a String[5]: name, gender, birth_date, id_type, id_number");
    for (String s : r)
      xjlbText(s);
    return r;
  }

  /** A list of strings (file names): none null, none with a NUL. */
  static String[] xjlbTexts(String[] ss) {
    java.util.Objects.requireNonNull(ss, "strings");
    for (String s : ss)
      xjlbText(java.util.Objects.requireNonNull(s, "a string of the list"));
    return ss;
  }

  static String[][] xjlbRecords(String[][] rs) {
    java.util.Objects.requireNonNull(rs, "records");
    for (String[] r : rs)
      xjlbRecord(r);
    return rs;
  }

  /** A String[2]: the input in [0], not null; the output goes to [1]. */
  static String[] xjlbInOut(String[] io) {
    xjlbHolder(io, 2);
    java.util.Objects.requireNonNull(io[0]);
    return io;
  }

  /** An output array must have room for what the library writes. */
  static <T> T xjlbHolder(T array, int length) {
    if (array == null || java.lang.reflect.Array.getLength(array) < length)
      throw new org.xjlink.XjlinkException(xjl_error.XJL_EINVAL.swigValue(),
          "an output argument needs an array of " + length + " element(s)");
    return array;
  }
%}

/* C enums as Java enums, their values compiled in (no native call to read
 * them, so they work before the library is loaded). */
%include "enums.swg"
%javaconst(1);

/* No finalizers (deprecated since Java 9): the org.xjlink classes free what
 * they hold, explicitly or through a Cleaner. */
%typemap(javafinalize) SWIGTYPE ""

/* ---- the int status ------------------------------------------------------- */
%typemap(out) int {
    if ($1 < 0)
        xjlb_throw(jenv, $1);
    $result = (jint)$1;
}
%typemap(out) int XJL_VALUE "$result = (jint)$1;"

/* Positions: (size_t)-1 means none, -1 in Java. */
%typemap(out) size_t xjl_index_find_id, size_t xjl_result_candidate_pos {
    $result = $1 == (size_t)-1 ? (jlong)-1 : (jlong)$1;
}

/* ---- strings in and out ------------------------------------------------------ */
%typemap(jni) const char *, char [ANY] "jstring"
%typemap(jtype) const char *, char [ANY] "String"
%typemap(jstype) const char *, char [ANY] "String"
%typemap(javain) const char * "Xjlink.xjlbText($javainput)"
%typemap(javaout) const char *, char [ANY] { return $jnicall; }
%typemap(in) const char * {
    $1 = xjlb_jutf8(jenv, $input, NULL);
    if (!$1 && $input)
        return $null;
}
%typemap(freearg) const char * "free((char *)$1);"
%typemap(out) const char * "$result = xjlb_jstring(jenv, $1, (size_t)-1);"
%typemap(out) char [ANY] "$result = xjlb_jstring(jenv, $1, strnlen($1, $1_dim0));"

%typemap(jni) (const char *s, size_t len) "jstring"
%typemap(jtype) (const char *s, size_t len) "String"
%typemap(jstype) (const char *s, size_t len) "String"
%typemap(javain) (const char *s, size_t len) "java.util.Objects.requireNonNull($javainput)"
%typemap(in) (const char *s, size_t len) {
    $1 = xjlb_jutf8(jenv, $input, &$2);
    if (!$1)
        return $null;
}
%typemap(freearg) (const char *s, size_t len) "free((char *)$1);"

/* ---- records in: String[5] and String[][5] ------------------------------------ */
%typemap(jni) const xjl_record * "jobjectArray"
%typemap(jtype) const xjl_record * "String[]"
%typemap(jstype) const xjl_record * "String[]"
%typemap(javain) const xjl_record * "Xjlink.xjlbRecord($javainput)"
%typemap(in) const xjl_record * (xjl_record rec) {
    $1 = &rec;
    if (xjlb_jrecord(jenv, $input, &rec) < 0) {
        xjlb_record_free(&rec);
        return $null;
    }
}
%typemap(freearg) const xjl_record * "xjlb_record_free(&rec$argnum);"

%typemap(jni) (const xjl_record *recs, size_t n) "jobjectArray"
%typemap(jtype) (const xjl_record *recs, size_t n) "String[][]"
%typemap(jstype) (const xjl_record *recs, size_t n) "String[][]"
%typemap(javain) (const xjl_record *recs, size_t n) "Xjlink.xjlbRecords($javainput)"
%typemap(in) (const xjl_record *recs, size_t n) {
    $2 = $input ? (size_t)(*jenv)->GetArrayLength(jenv, $input) : 0;
    $1 = calloc($2 ? $2 : 1, sizeof(xjl_record));
    if (!$1) {
        xjlb_throw_text(jenv, XJL_ENOMEM, "$symname: out of memory");
        return $null;
    }
    for (size_t i = 0; i < $2; i++) {
        jobjectArray row = (jobjectArray)(*jenv)->GetObjectArrayElement(jenv, $input, (jsize)i);
        int bad = xjlb_jrecord(jenv, row, &$1[i]);
        if (row)
            (*jenv)->DeleteLocalRef(jenv, row);
        if (bad) {
            for (size_t k = 0; k <= i; k++)
                xjlb_record_free(&$1[k]);
            free($1);
            return $null;
        }
    }
}
%typemap(freearg) (const xjl_record *recs, size_t n) {
    for (size_t i = 0; i < $2; i++)
        xjlb_record_free(&$1[i]);
    free($1);
}

/* ---- handles out: a TYPE[1] holder -------------------------------------------- */
%define XJL_OUT_HANDLE(TYPE, FREE)
%typemap(jni) TYPE **out "jlongArray"
%typemap(jtype) TYPE **out "long[]"
%typemap(jstype) TYPE **out "TYPE[]"
%typemap(javain, pre="    Xjlink.xjlbHolder($javainput, 1);\n    long[] c$javainput = new long[1];",
         post="      $javainput[0] = c$javainput[0] != 0 ? new TYPE(c$javainput[0], true) : null;")
    TYPE **out "c$javainput"
%typemap(in) TYPE **out (TYPE *h = NULL) "$1 = &h;"
%typemap(argout) TYPE **out {
    /* An exception pending: the call failed and made nothing, or it
     * succeeded and a listener threw; the handle then goes, as no proxy
     * will take it. */
    if (!(*jenv)->ExceptionCheck(jenv)) {
        jlong p = 0;
        *(TYPE **)&p = *$1;
        (*jenv)->SetLongArrayRegion(jenv, $input, 0, 1, &p);
    } else if (*$1) {
        FREE(*$1);
        *$1 = NULL;
    }
}
%enddef

/* ---- scalars out: one-element arrays ------------------------------------------ */
%define XJL_OUT_SCALAR(TYPE, JNI, JTYPE, JELEM, SETTER)
%typemap(jni) TYPE * "JNI"
%typemap(jtype) TYPE * "JTYPE"
%typemap(jstype) TYPE * "JTYPE"
%typemap(javain) TYPE * "Xjlink.xjlbHolder($javainput, 1)"
%typemap(in) TYPE * ($*1_ltype v = 0) "$1 = &v;"
%typemap(argout) TYPE * {
    if (!(*jenv)->ExceptionCheck(jenv)) {
        JELEM x = (JELEM)*$1;
        (*jenv)->SETTER(jenv, $input, 0, 1, &x);
    }
}
%enddef
XJL_OUT_SCALAR(int, jintArray, int[], jint, SetIntArrayRegion)
XJL_OUT_SCALAR(int32_t, jintArray, int[], jint, SetIntArrayRegion)
XJL_OUT_SCALAR(uint32_t, jintArray, int[], jint, SetIntArrayRegion)
XJL_OUT_SCALAR(size_t, jlongArray, long[], jlong, SetLongArrayRegion)
XJL_OUT_SCALAR(double, jdoubleArray, double[], jdouble, SetDoubleArrayRegion)
XJL_OUT_SCALAR(xjl_gender, jintArray, int[], jint, SetIntArrayRegion)
XJL_OUT_SCALAR(xjl_id_type, jintArray, int[], jint, SetIntArrayRegion)
XJL_OUT_SCALAR(xjl_encoding, jintArray, int[], jint, SetIntArrayRegion)
XJL_OUT_SCALAR(int64_t, jlongArray, long[], jlong, SetLongArrayRegion)
XJL_OUT_SCALAR(uint64_t, jlongArray, long[], jlong, SetLongArrayRegion) /* its bits, signed */
XJL_OUT_SCALAR(xjl_row_status, jintArray, int[], jint, SetIntArrayRegion)
XJL_OUT_SCALAR(xjl_sfield, jintArray, int[], jint, SetIntArrayRegion)
XJL_OUT_SCALAR(xjl_school_kind, jintArray, int[], jint, SetIntArrayRegion)
XJL_OUT_SCALAR(xjl_role, jintArray, int[], jint, SetIntArrayRegion)
XJL_OUT_SCALAR(xjl_finding, jintArray, int[], jint, SetIntArrayRegion)

/* ---- structs out: the caller passes a proxy it made (new xjl_parsed()) -------- */
%define XJL_OUT_STRUCT(TYPE)
%enddef

%define XJL_COPY_STRUCT(TYPE)
%typemap(out) const TYPE * {
    TYPE *copy = $1 ? malloc(sizeof *copy) : NULL;
    if (copy)
        *copy = *$1;
    *(TYPE **)&$result = copy;
}
%enddef

/* ---- buffers out: a String[1] holder ----------------------------------------- */
%typemap(jni) (char *buf, size_t cap, size_t *out_len), (char *buf, size_t cap) "jobjectArray"
%typemap(jtype) (char *buf, size_t cap, size_t *out_len), (char *buf, size_t cap) "String[]"
%typemap(jstype) (char *buf, size_t cap, size_t *out_len), (char *buf, size_t cap) "String[]"
%typemap(javain) (char *buf, size_t cap, size_t *out_len), (char *buf, size_t cap) "Xjlink.xjlbHolder($javainput, 1)"
%typemap(in) (char *buf, size_t cap, size_t *out_len) (char b[4096], size_t n = 0) {
    $1 = b;
    $2 = sizeof b;
    $3 = &n;
}
%typemap(argout) (char *buf, size_t cap, size_t *out_len) {
    if (!(*jenv)->ExceptionCheck(jenv)) {
        jstring s = xjlb_jstring(jenv, $1, *$3);
        if (s)
            (*jenv)->SetObjectArrayElement(jenv, $input, 0, s);
    }
}
%typemap(in) (char *buf, size_t cap) (char b[64]) {
    $1 = b;
    $2 = sizeof b;
    b[0] = '\0';
}
%typemap(argout) (char *buf, size_t cap) {
    if (!(*jenv)->ExceptionCheck(jenv)) {
        jstring s = xjlb_jstring(jenv, $1, (size_t)-1);
        if (s)
            (*jenv)->SetObjectArrayElement(jenv, $input, 0, s);
    }
}

/* A string transformed into a buffer (xjl_csv_quote): sized from the input,
 * as for Python above.  One String[2] carries both: [0] in, [1] out. */
%typemap(jni) (const char *s, size_t len, char *buf, size_t cap, size_t *out_len) "jobjectArray"
%typemap(jtype) (const char *s, size_t len, char *buf, size_t cap, size_t *out_len) "String[]"
%typemap(jstype) (const char *s, size_t len, char *buf, size_t cap, size_t *out_len) "String[]"
%typemap(javain) (const char *s, size_t len, char *buf, size_t cap, size_t *out_len)
    "Xjlink.xjlbInOut($javainput)"
%typemap(in) (const char *s, size_t len, char *buf, size_t cap, size_t *out_len)
             (size_t need = 0, char *heap = NULL, jobjectArray holder = NULL) {
    jstring js = (jstring)(*jenv)->GetObjectArrayElement(jenv, $input, 0);
    holder = $input;
    $1 = xjlb_jutf8(jenv, js, &$2);
    (*jenv)->DeleteLocalRef(jenv, js);
    if (!$1)
        return $null;
    $4 = 2 * $2 + 16;
    heap = malloc($4);
    if (!heap) {
        free((char *)$1);
        xjlb_throw_text(jenv, XJL_ENOMEM, "$symname: out of memory");
        return $null;
    }
    $3 = heap;
    $5 = &need;
}
%typemap(argout) (const char *s, size_t len, char *buf, size_t cap, size_t *out_len) {
    if (!(*jenv)->ExceptionCheck(jenv)) {
        jstring s = xjlb_jstring(jenv, $3, *$5);
        if (s)
            (*jenv)->SetObjectArrayElement(jenv, holder$argnum, 1, s);
    }
}
%typemap(freearg) (const char *s, size_t len, char *buf, size_t cap, size_t *out_len) {
    free((char *)$1);
    free(heap$argnum);
}

/* ---- int cols[5]: an int[5] filled in ------------------------------------------ */
%typemap(jni) int cols[5] "jintArray"
%typemap(jtype) int cols[5] "int[]"
%typemap(jstype) int cols[5] "int[]"
%typemap(javain) int cols[5] "Xjlink.xjlbHolder($javainput, 5)"
%typemap(in) int cols[5] (int c[5]) "$1 = c;"
%typemap(argout) int cols[5] {
    if (!(*jenv)->ExceptionCheck(jenv)) {
        jint x[5] = {$1[0], $1[1], $1[2], $1[3], $1[4]};
        (*jenv)->SetIntArrayRegion(jenv, $input, 0, 5, x);
    }
}

/* ---- a list of file names in (xjl_report_write's inputs): String[] ------------- */
%typemap(jni) (const char *const *inputs, size_t ninputs) "jobjectArray"
%typemap(jtype) (const char *const *inputs, size_t ninputs) "String[]"
%typemap(jstype) (const char *const *inputs, size_t ninputs) "String[]"
%typemap(javain) (const char *const *inputs, size_t ninputs) "Xjlink.xjlbTexts($javainput)"
%typemap(in) (const char *const *inputs, size_t ninputs) (char **names = NULL) {
    $2 = (size_t)(*jenv)->GetArrayLength(jenv, $input);
    names = calloc($2 ? $2 : 1, sizeof *names);
    if (!names) {
        xjlb_throw_text(jenv, XJL_ENOMEM, "$symname: out of memory");
        return $null;
    }
    for (size_t i = 0; i < $2; i++) {
        jstring js = (jstring)(*jenv)->GetObjectArrayElement(jenv, $input, (jsize)i);
        names[i] = xjlb_jutf8(jenv, js, NULL);
        (*jenv)->DeleteLocalRef(jenv, js);
        if (!names[i]) {
            /* an early return skips freearg: what was made so far goes here */
            for (size_t k = 0; k < i; k++)
                free(names[k]);
            free(names);
            return $null;
        }
    }
    $1 = ($1_ltype)names;
}
%typemap(freearg) (const char *const *inputs, size_t ninputs) {
    for (size_t i = 0; i < $2; i++)
        free(names$argnum[i]);
    free(names$argnum);
}

/* ---- the diagnostics callback: org.xjlink.DiagnosticListener or null ------------ */
%typemap(jni) (xjl_diag_fn diag, void *user) "jobject"
%typemap(jtype) (xjl_diag_fn diag, void *user) "org.xjlink.DiagnosticListener"
%typemap(jstype) (xjl_diag_fn diag, void *user) "org.xjlink.DiagnosticListener"
%typemap(javain) (xjl_diag_fn diag, void *user) "$javainput"
%typemap(in) (xjl_diag_fn diag, void *user) (struct xjlb_jdiag d) {
    d.env = jenv;
    d.listener = $input;
    $1 = $input ? xjlb_jdiag_call : NULL;
    $2 = $input ? &d : NULL;
}

/* A Java exception thrown by a listener is the one that propagates. */

/* ---- progress: org.xjlink.Progress or null --------------------------------------
 * The library reports on its writing thread, a native thread the JVM does
 * not know: the trampoline attaches it (as a daemon, so that it never holds
 * the JVM open) for the one call and detaches it again, a few calls a run
 * (one per chunk of the roster).  The listener is held by a global
 * reference for the call.  The first exception it throws is kept (cleared
 * on the writing thread, so that the run goes on to its end: the library
 * cannot stop it half-way), later reports are skipped, and it is thrown on
 * the caller's thread when the call returns, unless the call failed (its
 * XjlinkException wins). */
%{
struct xjlb_jprogress {
    jobject fn;  /* global reference to the Progress */
    size_t last; /* rows reported so far */
    jobject exc; /* global reference to the first exception thrown, or NULL */
};

static void xjlb_jprogress_call(void *user, size_t rows)
{
    struct xjlb_jprogress *p = user;
    JNIEnv *env;
    bool attached = false;
    jint st = (*xjlb_vm)->GetEnv(xjlb_vm, (void **)&env, JNI_VERSION_1_8);
    if (st == JNI_EDETACHED) {
        if ((*xjlb_vm)->AttachCurrentThreadAsDaemon(xjlb_vm, (void **)&env, NULL) != JNI_OK)
            return; /* no JVM thread to call from: this report is lost, not the run */
        attached = true;
    } else if (st != JNI_OK) {
        return;
    }
    if (!p->exc && !(*env)->ExceptionCheck(env)) {
        (*env)->CallVoidMethod(env, p->fn, xjlb_progress_update, (jlong)(rows - p->last));
        p->last = rows;
        jthrowable t = (*env)->ExceptionOccurred(env);
        if (t) {
            (*env)->ExceptionClear(env);
            p->exc = (*env)->NewGlobalRef(env, t);
            (*env)->DeleteLocalRef(env, t);
        }
    }
    if (attached)
        (*xjlb_vm)->DetachCurrentThread(xjlb_vm);
}
%}
%typemap(jni) (xjlb_progress_fn progress, void *progress_user) "jobject"
%typemap(jtype) (xjlb_progress_fn progress, void *progress_user) "org.xjlink.Progress"
%typemap(jstype) (xjlb_progress_fn progress, void *progress_user) "org.xjlink.Progress"
%typemap(javain) (xjlb_progress_fn progress, void *progress_user) "$javainput"
%typemap(in) (xjlb_progress_fn progress, void *progress_user) (struct xjlb_jprogress p = {0}) {
    p.fn = $input ? (*jenv)->NewGlobalRef(jenv, $input) : NULL;
    $1 = p.fn ? xjlb_jprogress_call : NULL;
    $2 = p.fn ? &p : NULL;
}
%typemap(argout) (xjlb_progress_fn progress, void *progress_user) {
    /* the writing thread has been joined: what it kept is seen here */
    if (p$argnum.exc && !(*jenv)->ExceptionCheck(jenv))
        (*jenv)->Throw(jenv, (jthrowable)p$argnum.exc);
}
%typemap(freearg) (xjlb_progress_fn progress, void *progress_user) {
    if (p$argnum.exc)
        (*jenv)->DeleteGlobalRef(jenv, p$argnum.exc);
    if (p$argnum.fn)
        (*jenv)->DeleteGlobalRef(jenv, p$argnum.fn);
}

/* ---- policy hooks: org.xjlink.WindowHook / FeatureHook or null --------------- */
%define XJL_JAVA_HOOK(FN_TYPE, KIND, JTYPE, TRAMPOLINE)
%typemap(jni) (FN_TYPE fn, void *user) "jobject"
%typemap(jtype) (FN_TYPE fn, void *user) "JTYPE"
%typemap(jstype) (FN_TYPE fn, void *user) "JTYPE"
%typemap(javain) (FN_TYPE fn, void *user) "$javainput"
%typemap(in) (FN_TYPE fn, void *user) (jobject ref = NULL) {
    ref = $input ? (*jenv)->NewGlobalRef(jenv, $input) : NULL;
    $1 = ref ? TRAMPOLINE : NULL;
    $2 = ref;
}
%typemap(argout) (FN_TYPE fn, void *user) {
    /* arg1: the workspace, the first argument of both set_*_hook functions */
    xjlb_jhook_keep(jenv, arg1, KIND, ref$argnum);
}
%enddef
XJL_JAVA_HOOK(xjl_window_fn, 0, org.xjlink.WindowHook, xjlb_jwindow_call)
XJL_JAVA_HOOK(xjl_feature_fn, 1, org.xjlink.FeatureHook, xjlb_jfeature_call)

/* ---- a batch of index changes ---------------------------------------------
 * xjl_index_apply() takes an array of structs that hold a record, which no
 * Java typemap reads: org.xjlink.Index.apply() fills a batch change by change
 * (the strings copied), applies it in one call (one lock, the records read
 * on the pool) and reads back the code of each change. */
%{
typedef struct xjlb_changes {
    xjl_index_change *ch;
    char **text; /* the record id and five fields of each change, owned */
    int *results;
    size_t n, cap;
} xjlb_changes;

static void xjlb_changes_free(xjlb_changes *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < 6 * c->n; i++)
        free(c->text[i]);
    free(c->ch);
    free(c->text);
    free(c->results);
    free(c);
}

static xjlb_changes *xjlb_changes_new(void)
{
    return calloc(1, sizeof(xjlb_changes));
}

static int xjlb_changes_add(xjlb_changes *c, int op, const char *record_id, const xjl_record *rec)
{
    if (!c)
        return xjl_error_set(XJL_EINVAL, "apply: NULL batch");
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 64;
        xjl_index_change *ch = realloc(c->ch, cap * sizeof *ch);
        if (ch)
            c->ch = ch;
        char **text = ch ? realloc(c->text, 6 * cap * sizeof *text) : NULL;
        if (text)
            c->text = text;
        int *res = text ? realloc(c->results, cap * sizeof *res) : NULL;
        if (!res)
            return xjl_error_set(XJL_ENOMEM, "apply: out of memory for the changes");
        c->results = res;
        c->cap = cap;
    }
    const char *src[6] = {record_id};
    if (rec) {
        src[1] = rec->name;
        src[2] = rec->gender;
        src[3] = rec->birth_date;
        src[4] = rec->id_type;
        src[5] = rec->id_number;
    }
    char **t = c->text + 6 * c->n;
    int rc = XJL_OK;
    for (int k = 0; k < 6; k++)
        if (!(t[k] = src[k] ? strdup(src[k]) : NULL) && src[k])
            rc = XJL_ENOMEM;
    xjl_index_change *ch = &c->ch[c->n];
    ch->op = (xjl_change_op)op;
    ch->record_id = t[0];
    ch->rec = (xjl_record){t[1], t[2], t[3], t[4], t[5]};
    c->results[c->n++] = 1; /* not reached by the library */
    return rc ? xjl_error_set(rc, "apply: out of memory for a change") : XJL_OK;
}

/* The library's code for the whole batch; each change's in xjlb_changes_result(). */
static int xjlb_changes_apply(xjl_index *ix, xjlb_changes *c)
{
    if (!c)
        return xjl_error_set(XJL_EINVAL, "apply: NULL batch");
    return xjl_index_apply(ix, c->ch, c->n, c->results);
}

/* 0, or the error code of change i (1: the library did not reach it). */
static int xjlb_changes_result(const xjlb_changes *c, size_t i)
{
    return c && i < c->n ? c->results[i] : 1;
}
%}
XJL_RETURNS_VALUE(xjlb_changes_apply)
XJL_RETURNS_VALUE(xjlb_changes_result)
xjlb_changes *xjlb_changes_new(void);
void xjlb_changes_free(xjlb_changes *c);
int xjlb_changes_add(xjlb_changes *c, int op, const char *record_id, const xjl_record *rec);
int xjlb_changes_apply(xjl_index *ix, xjlb_changes *c);
int xjlb_changes_result(const xjlb_changes *c, size_t i);

#endif /* SWIGJAVA */

/* ======================================================================== */
/* Applied to the header's types                                            */
/* ======================================================================== */

XJL_OUT_HANDLE(xjl_result, xjl_result_free)
XJL_OUT_HANDLE(xjl_index, xjl_index_free)
XJL_OUT_HANDLE(xjl_matcher, xjl_matcher_free)
XJL_OUT_HANDLE(xjl_dedup, xjl_dedup_free)
XJL_OUT_HANDLE(xjl_csv, xjl_csv_close)
XJL_OUT_HANDLE(xjlb_batch, xjlb_batch_free)
XJL_OUT_HANDLE(xjl_workspace, xjlb_workspace_close)
XJL_OUT_HANDLE(xjl_listing, xjl_listing_free)
XJL_OUT_STRUCT(xjl_parsed)
XJL_OUT_STRUCT(xjl_id_info)
XJL_OUT_STRUCT(xjl_load_report)
XJL_OUT_STRUCT(xjl_index_info_t)
XJL_HANDLE(xjl_dedup, xjl_dedup_free)
XJL_HANDLE(xjl_report, xjl_report_free)
XJL_OUT_HANDLE(xjl_report, xjl_report_free)
XJL_OUT_STRUCT(xjl_dup_row)
%immutable xjl_dup_row::cluster;
%immutable xjl_dup_row::cls;
%immutable xjl_dup_row::pos;
%immutable xjl_dup_row::record_id;
%immutable xjl_dup_row::reasons;
XJL_OUT_STRUCT(xjl_dup_capped)
%immutable xjl_dup_capped::key;
%immutable xjl_dup_capped::record_id;
XJL_COPY_STRUCT(xjl_parsed)

/* The header's list of the int functions that return a value (bool, enum
 * and size_t results are values by their type). */
XJL_RETURNS_VALUE(xjl_version_number)
XJL_RETURNS_VALUE(xjl_csv_column)
XJL_RETURNS_VALUE(xjl_csv_key_field)
XJL_RETURNS_VALUE(xjl_listing_col)
XJL_RETURNS_VALUE(xjl_workspace_schema_version)
/* Its return says whether the number is usable; *out is filled either way. */
XJL_RETURNS_VALUE(xjl_id_parse)
/* Statuses are plain int; an int32_t (a day number, a region) is a value. */
%typemap(out) int32_t = int XJL_VALUE;

/* The header's array form of match_many is replaced by the batch below. */
%ignore xjl_matcher_match_many;
/* xjl_index_apply() takes structs that hold records: xjlb_index_apply above. */
%ignore xjl_index_apply;
%ignore xjl_index_change;
/* The streaming match takes callbacks in structs: xjlb_match_csv_file below
 * is its form in both languages.  The CSV writer serves C callers. */
%ignore xjl_match_csv;
%ignore xjl_match_csv_write;
%ignore xjl_roster_row;
%ignore xjl_roster_sink;
%ignore xjl_match_csv_options;
%ignore xjl_csv_writer;
%ignore xjl_csv_writer_open;
%ignore xjl_csv_writer_field;
%ignore xjl_csv_writer_end_row;
%ignore xjl_csv_writer_close;
%ignore xjl_format_fixed2;
XJL_OUT_STRUCT(xjl_match_totals)

/* What the build has (XJL_WITH_WORKSPACE): SWIG does not follow the
 * header's own #include. */
%include "xjlink_config.h"
/* The public API, area by area in the umbrella's order (SWIG does not follow
 * the headers' own #includes). */
%include "xjlink/base.h"
%include "xjlink/fields.h"
%include "xjlink/io.h"
%include "xjlink/index.h"
%include "xjlink/match.h"
%include "xjlink/dedup.h"
%include "xjlink/report.h"
%include "xjlink/workspace.h"
%include "xjlink/enrol.h"

/* ---- the batch, as the bindings see it ---------------------------------- */
int xjlb_batch_match(const xjl_matcher *m, const xjl_record *recs, size_t n, unsigned threads,
                     xjlb_batch **out);
size_t xjlb_batch_count(const xjlb_batch *b);
int xjlb_match_csv_file(const xjl_matcher *m, const char *roster, const char *out_path,
                        xjl_encoding enc, const char *columns, unsigned threads, int lang,
                        unsigned flags, xjl_report *report, xjl_match_totals *totals,
                        xjlb_progress_fn progress, void *progress_user);
const xjl_result *xjlb_batch_result(const xjlb_batch *b, size_t i);

#if XJL_WITH_WORKSPACE
/* ---- several supplement fields in one step -------------------------------
 * xjl_intake_supplement_update() takes two parallel arrays, which neither
 * language's typemaps above read; the bindings pass the changes as one
 * string instead: "field\x1fvalue\x1e" per change (a name or Chinese label,
 * then the value).  The two separators are control characters that no
 * supplement value may hold, so the split is unambiguous.  One call, one
 * transaction: a refused value leaves every field unchanged. */
%inline %{
static int xjlb_supplement_update(xjl_workspace *ws, int64_t row_id, const char *changes)
{
    xjl_sfield fields[64];
    const char *values[64];
    char *copy = changes ? strdup(changes) : NULL;
    if (!copy)
        return xjl_error_set(changes ? XJL_ENOMEM : XJL_EINVAL, "supplement: no changes given");
    size_t n = 0;
    int rc = XJL_OK;
    for (char *p = copy; *p && rc == XJL_OK;) {
        char *unit = strchr(p, '\x1f'), *end = unit ? strchr(unit + 1, '\x1e') : NULL;
        if (!unit || !end || n == 64) {
            rc = xjl_error_set(XJL_EINVAL, "supplement: a malformed list of changes");
            break;
        }
        *unit = '\0';
        *end = '\0';
        if ((rc = xjl_sfield_parse(p, &fields[n])) == XJL_OK)
            values[n++] = unit + 1;
        p = end + 1;
    }
    if (rc == XJL_OK)
        rc = xjl_intake_supplement_update(ws, row_id, fields, values, n);
    free(copy);
    return rc;
}
%}
#endif
