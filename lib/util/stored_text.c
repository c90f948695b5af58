/*
 * stored_text.c: a text kept for later readers (the audit trail, a row's
 * history and note, an admission's note) as a catalogue id with its
 * arguments, not as a sentence in one language.
 *
 * The workspace is shared: a county operator reading the audit trail in
 * English must be able to read what a school's operator did under
 * --lang zh, and the other way round.  So the text is stored as
 *
 *     RS id US arg1 US arg2 ...      (RS = 0x1e, US = 0x1f)
 *
 * each argument already formatted by its own conversion of the English
 * entry ("%06ld" → "110101"), and is rendered when read, by the entry of the
 * reader's language, whose conversions are the same (test_messages checks
 * it).  A text not starting with RS (written before, or by hand) reads as
 * it is.  An id this library does not know (written by a newer one) reads
 * as the id and its arguments.  An argument that is itself a word of the
 * catalogue (a state, "approved") is stored as GS id (GS = 0x1d, see
 * XJL_STORED_WORD) and read in the reader's language too.
 */
#include "util/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define RS '\x1e'
#define US '\x1f'
#define GS '\x1d'

/* Appends s to buf[*n..cap), the separators in it made spaces so that an
 * argument (a reason someone typed) cannot split the stored text. */
static void put(char *buf, size_t cap, size_t *n, const char *s, size_t len)
{
    for (size_t i = 0; i < len && *n + 1 < cap; i++)
        buf[(*n)++] = s[i] == RS || s[i] == US ? ' ' : s[i];
    buf[*n] = '\0';
}

/* The next conversion of fmt at or after *p: its spec (without '%') into
 * spec; false at the end.  "%%" is not a conversion. */
static bool next_conversion(const char **p, char *spec, size_t cap)
{
    for (const char *s = *p; (s = strchr(s, '%')) != NULL;) {
        if (s[1] == '%') {
            s += 2;
            continue;
        }
        const char *e = s + 1;
        while (*e && !strchr("diouxXeEfFgGaAcsp", *e))
            e++;
        if (!*e)
            return false;
        snprintf(spec, cap, "%.*s", (int)(e - s), s); /* with the '%', without the type */
        size_t l = strlen(spec);
        if (l + 1 < cap) {
            spec[l] = *e;
            spec[l + 1] = '\0';
        }
        *p = e + 1;
        return true;
    }
    return false;
}

void xjl__stored(char *buf, size_t cap, const char *id, ...)
{
    size_t n = 0;
    if (!cap)
        return;
    buf[0] = '\0';
    if (n + 1 < cap)
        buf[n++] = RS;
    put(buf, cap, &n, id, strlen(id));
    va_list ap;
    va_start(ap, id);
    const char *fmt = xjl_message(id, XJL_LANG_EN), *p = fmt;
    char spec[32], arg[1024];
    while (next_conversion(&p, spec, sizeof spec)) {
        size_t l = strlen(spec);
        char type = spec[l - 1];
        bool ll = strstr(spec, "ll") != NULL, l1 = !ll && strchr(spec, 'l') != NULL;
        bool z = strchr(spec, 'z') != NULL;
        if (type == 's')
            snprintf(arg, sizeof arg, spec, va_arg(ap, const char *));
        else if (type == 'f' || type == 'F' || type == 'e' || type == 'E' || type == 'g' ||
                 type == 'G' || type == 'a' || type == 'A')
            snprintf(arg, sizeof arg, spec, va_arg(ap, double));
        else if (type == 'p')
            snprintf(arg, sizeof arg, spec, va_arg(ap, void *));
        else if (z)
            snprintf(arg, sizeof arg, spec, va_arg(ap, size_t));
        else if (ll)
            snprintf(arg, sizeof arg, spec, va_arg(ap, long long));
        else if (l1)
            snprintf(arg, sizeof arg, spec, va_arg(ap, long));
        else
            snprintf(arg, sizeof arg, spec, va_arg(ap, int));
        if (n + 1 < cap)
            buf[n++] = US;
        put(buf, cap, &n, arg, strlen(arg));
    }
    va_end(ap);
    buf[n < cap ? n : cap - 1] = '\0';
}

const char *xjl__stored_word(char *buf, size_t cap, const char *prefix, const char *name)
{
    snprintf(buf, cap, "%c%s%s", GS, prefix, name);
    return buf;
}

bool xjl__is_stored(const char *text)
{
    return text && text[0] == RS;
}

void xjl__stored_render(const char *text, xjl_lang lang, char *buf, size_t cap)
{
    size_t n = 0;
    if (!cap)
        return;
    buf[0] = '\0';
    if (!xjl__is_stored(text)) {
        put(buf, cap, &n, text ? text : "", text ? strlen(text) : 0);
        return;
    }
    const char *id = text + 1, *args = strchr(id, US);
    size_t idlen = args ? (size_t)(args - id) : strlen(id);
    char key[128];
    snprintf(key, sizeof key, "%.*s", (int)(idlen < sizeof key ? idlen : sizeof key - 1), id);
    if (!xjl_message_exists(key)) {
        put(buf, cap, &n, id, idlen);
        for (const char *a = args; a; a = strchr(a + 1, US)) {
            const char *e = strchr(a + 1, US);
            put(buf, cap, &n, " ", 1);
            put(buf, cap, &n, a + 1, e ? (size_t)(e - a - 1) : strlen(a + 1));
        }
        return;
    }
    const char *fmt = xjl_message(key, lang), *p = fmt, *a = args;
    char spec[32];
    while (*p) {
        const char *pc = strchr(p, '%');
        if (!pc) {
            put(buf, cap, &n, p, strlen(p));
            break;
        }
        put(buf, cap, &n, p, (size_t)(pc - p));
        if (pc[1] == '%') {
            put(buf, cap, &n, "%", 1);
            p = pc + 2;
            continue;
        }
        const char *q = pc;
        if (!next_conversion(&q, spec, sizeof spec)) {
            put(buf, cap, &n, pc, strlen(pc));
            break;
        }
        /* the argument, formatted when stored; "%.0s" takes it and prints nothing */
        const char *e = a ? strchr(a + 1, US) : NULL;
        size_t alen = a ? (e ? (size_t)(e - a - 1) : strlen(a + 1)) : 0;
        if (a && strcmp(spec, "%.0s") != 0 && alen && a[1] == GS) {
            char word[96];
            snprintf(word, sizeof word, "%.*s", (int)(alen - 1 < sizeof word ? alen - 1 : 0),
                     a + 2);
            const char *w = xjl_message(word, lang);
            put(buf, cap, &n, w, strlen(w));
        } else if (a && strcmp(spec, "%.0s") != 0) {
            put(buf, cap, &n, a + 1, alen);
        }
        a = e;
        p = q;
    }
}
