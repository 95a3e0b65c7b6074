/*
 * roster.c: the expected signers (roster.h).
 *
 * A roster comes from a spreadsheet, so it comes with a spreadsheet's
 * habits: headers in either language and any case, columns in any order,
 * and NIPs that were typed as numbers.  Excel shows an 18-digit number as
 * 1.97101E+17 and keeps only 15 digits of it, so a NIP in scientific
 * notation cannot be repaired: the row is refused with what to do instead.
 * What can be repaired without guessing is: the ="..." and '... that make a
 * spreadsheet keep a cell as text, and the spaces or dots a NIP is printed
 * with on ID cards.  Every repair is reported with its line.
 *
 * Each row then goes through ikr_form_check, the kiosk's own rules, so a
 * roster never holds someone the kiosk would refuse to let sign.
 */
#include "ikrar/roster.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "ikrar/csv.h"
#include "ikrar/nipset.h"
#include "ikrar/station.h"
#include "ikrar/text.h"

/* The columns, and the header words (lower case, letters and digits only) that name them. */
enum { COL_NIP, COL_NAME, COL_POS, COL_UNIT, COL_STATUS, COL_COUNT_ };

static const struct {
    const char *label; /* for "missing column" */
    int required;
    const char *names[6];
} columns[COL_COUNT_] = {
    [COL_NIP] = {"NIP", 1, {"nip"}},
    [COL_NAME] = {"Nama (Name)", 1, {"nama", "namalengkap", "name", "fullname"}},
    [COL_POS] = {"Jabatan (Position)", 0, {"jabatan", "position"}},
    [COL_UNIT] = {"Unit Kerja (Work unit)", 1, {"unitkerja", "unit", "workunit", "satuankerja"}},
    [COL_STATUS] = {"Status", 1, {"status", "jenispegawai", "employmentstatus", "statuspegawai"}},
};

/* The column a header cell names, or -1: case, spaces and punctuation do not count. */
static int header_column(const char *cell)
{
    char key[64];
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)cell; *p && n + 1 < sizeof key; p++) {
        if (*p >= 'A' && *p <= 'Z')
            key[n++] = (char)(*p - 'A' + 'a');
        else if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
            key[n++] = (char)*p;
    }
    key[n] = '\0';
    for (int c = 0; c < COL_COUNT_; c++)
        for (int i = 0; i < 6 && columns[c].names[i]; i++)
            if (strcmp(key, columns[c].names[i]) == 0)
                return c;
    return -1;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* 1 for 1.97101E+17, 1,97101e17, 2E+17: a number a spreadsheet wrote in scientific notation. */
static int scientific(const char *s)
{
    size_t i = 0;
    if (!is_digit(s[i]))
        return 0;
    while (is_digit(s[i]))
        i++;
    if (s[i] == '.' || s[i] == ',') {
        i++;
        while (is_digit(s[i]))
            i++;
    }
    if (s[i] != 'e' && s[i] != 'E')
        return 0;
    i++;
    if (s[i] == '+' || s[i] == '-')
        i++;
    if (!is_digit(s[i]))
        return 0;
    while (is_digit(s[i]))
        i++;
    return s[i] == '\0';
}

/*
 * Repairs a NIP cell into out (room for 64 bytes): trims it, takes the text
 * out of ="..." or '..., and drops the spaces (no-break ones too) and dots
 * of a grouped NIP.  Returns IKR_OK (setting *fixed), or
 * IKR_E_ROSTER_NIP_SCI, or IKR_E_NIP_LENGTH for a cell far too long to be
 * one.  A lone "-" is how spreadsheets write "none": empty.
 */
static int nip_repair(const char *cell, char out[64], int *fixed)
{
    const char *s = cell, *end = cell + strlen(cell);
    *fixed = 0;
    out[0] = '\0';
    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    if (end - s >= 3 && s[0] == '=' && s[1] == '"' && end[-1] == '"') {
        s += 2;
        end--;
        *fixed |= IKR_ROSTER_FIX_FORMULA;
    } else if (end - s >= 1 && s[0] == '\'') {
        s++;
        *fixed |= IKR_ROSTER_FIX_FORMULA;
    }
    if (end - s == 1 && s[0] == '-')
        return IKR_OK;
    char raw[64];
    size_t n = 0, kept = 0;
    for (const char *p = s; p < end; p++) {
        if (n + 1 >= sizeof raw)
            return IKR_E_NIP_LENGTH;
        raw[n++] = *p;
    }
    raw[n] = '\0';
    if (scientific(raw))
        return IKR_E_ROSTER_NIP_SCI;
    for (size_t i = 0; i < n; i++) {
        if (raw[i] == ' ' || raw[i] == '.' || raw[i] == '\t') {
            *fixed |= IKR_ROSTER_FIX_GROUPS;
            continue;
        }
        if ((unsigned char)raw[i] == 0xC2 && (unsigned char)raw[i + 1] == 0xA0) {
            i++;
            *fixed |= IKR_ROSTER_FIX_GROUPS;
            continue;
        }
        out[kept++] = raw[i];
    }
    out[kept] = '\0';
    /*
     * A NIP is ASCII digits.  ikr_nip_check counts UTF-8 characters, so 18
     * digits and a stray continuation byte (not UTF-8 at all) would pass it
     * as 18 characters; a spreadsheet cell can hold any bytes, so they are
     * refused here first.
     */
    for (size_t i = 0; i < kept; i++)
        if ((unsigned char)out[i] >= 0x80)
            return IKR_E_NIP_DIGITS;
    return IKR_OK;
}

/* Status as spreadsheets spell it: "PNS", "pppk", "P3K", " Non ASN ", "NON-ASN". */
static int status_word(const char *cell)
{
    char w[16];
    size_t n = 0;
    const char *s = cell, *end = cell + strlen(cell);
    while (s < end && *s == ' ')
        s++;
    while (end > s && end[-1] == ' ')
        end--;
    if (end - s >= (ptrdiff_t)sizeof w)
        return -1;
    for (; s < end; s++)
        w[n++] = *s == ' ' ? '-' : *s;
    w[n] = '\0';
    if (strcmp(w, "P3K") == 0 || strcmp(w, "p3k") == 0)
        return IKR_STATUS_PPPK;
    return ikr_status_parse(w);
}

/*
 * A file written by a script, not a spreadsheet, may hold ="1971..." bare,
 * which Excel opens as text but which is not CSV (a quote inside an
 * unquoted field).  Such a cell is rewritten the way a spreadsheet saves
 * it, "=""1971...""", before the CSV reader sees it; only a cell that is
 * exactly =" + up to 40 bytes without quotes or line ends + " is touched,
 * and no line end is added, so every line keeps its number.  *out is NULL
 * when there was nothing to rewrite.
 */
static int quote_bare_formulas(const uint8_t *p, size_t n, char sep, uint8_t **out, size_t *outn)
{
    *out = NULL;
    *outn = 0;
    int any = 0;
    for (size_t i = 0; i + 1 < n && !any; i++)
        any = p[i] == '=' && p[i + 1] == '"';
    if (!any)
        return IKR_OK;
    /* A rewrite turns a cell of 3 bytes or more, and its separator, into 4 bytes more: twice n at
     * most. */
    size_t cap = 2 * n + 16, o = 0;
    uint8_t *b = malloc(cap);
    if (!b)
        return IKR_E_NOMEM;
    int inq = 0, start = 1;
    size_t i = 0;
    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
        memcpy(b, p, 3);
        o = i = 3;
    }
    for (; i < n; i++) {
        uint8_t c = p[i];
        if (o + 2 > cap)
            goto overflow; /* cannot happen (see cap); checked all the same */
        if (inq) {
            if (c == '"' && i + 1 < n && p[i + 1] == '"') {
                b[o++] = c;
                b[o++] = p[++i];
                continue;
            }
            if (c == '"')
                inq = 0;
            b[o++] = c;
            continue;
        }
        if (start && c == '"') {
            inq = 1;
            start = 0;
            b[o++] = c;
            continue;
        }
        if (start && c == '=' && i + 1 < n && p[i + 1] == '"') {
            size_t j = i + 2;
            while (j < n && j - i < 42 && p[j] != '"' && p[j] != '\r' && p[j] != '\n' &&
                   p[j] != (uint8_t)sep)
                j++;
            if (j < n && p[j] == '"' &&
                (j + 1 == n || p[j + 1] == (uint8_t)sep || p[j + 1] == '\r' || p[j + 1] == '\n')) {
                if (o + (j - i) + 6 > cap)
                    goto overflow;
                memcpy(b + o, "\"=\"\"", 4);
                o += 4;
                memcpy(b + o, p + i + 2, j - i - 2);
                o += j - i - 2;
                memcpy(b + o, "\"\"\"", 3);
                o += 3;
                i = j;
                start = 0;
                continue;
            }
        }
        start = c == (uint8_t)sep || c == '\r' || c == '\n';
        b[o++] = c;
    }
    *out = b;
    *outn = o;
    return IKR_OK;
overflow:
    free(b);
    return IKR_E_INTERNAL;
}

/*
 * Where p[0..n) stops being UTF-8 (shortest forms, no surrogates, at most
 * U+10FFFF) or holds a NUL, or n when it is all text.
 */
static size_t utf8_end(const uint8_t *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint8_t c = p[i];
        size_t k;
        uint32_t cp;
        if (c == 0)
            return i;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF)
            k = 1, cp = c & 0x1Fu;
        else if (c >= 0xE0 && c <= 0xEF)
            k = 2, cp = c & 0x0Fu;
        else if (c >= 0xF0 && c <= 0xF4)
            k = 3, cp = c & 0x07u;
        else
            return i;
        if (n - i <= k)
            return i;
        for (size_t j = 1; j <= k; j++) {
            if ((p[i + j] & 0xC0) != 0x80)
                return i;
            cp = cp << 6 | (p[i + j] & 0x3Fu);
        }
        if ((k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += k + 1;
    }
    return n;
}

/* The line of byte at: lines end in LF, CRLF or a lone CR, as the CSV reader counts them. */
static uint64_t line_at(const uint8_t *p, size_t at)
{
    uint64_t line = 1;
    for (size_t i = 0; i < at; i++)
        line += p[i] == '\n' || (p[i] == '\r' && (i + 1 >= at || p[i + 1] != '\n'));
    return line;
}

/*
 * A roster as UTF-8.  Excel's "Unicode text" (and LibreOffice's "Unicode")
 * export is UTF-16 with a byte order mark: it says what it is and holds
 * every name exactly, so it is converted (into *out, NULL otherwise).
 * Any other file must be UTF-8 already.  Windows-1252 (Excel's plain "CSV
 * (Comma delimited)" on Windows) is refused rather than converted: without
 * a mark it cannot be told from Latin-1, another code page or a damaged
 * UTF-8 file, and a wrong guess would put a misspelt name on the roster
 * the kiosk fills in and the signer signs.  Re-saving as "CSV UTF-8" takes
 * the organiser a minute; the refusal names the line and says how.
 */
static int to_utf8(const uint8_t *p, size_t n, uint8_t **out, size_t *outn, ikr_err *e)
{
    *out = NULL;
    *outn = 0;
    /* The workbook itself (a zip), picked instead of its CSV export. */
    if (n >= 4 && memcmp(p, "PK\x03\x04", 4) == 0) {
        ikr_err_set(e, IKR_E_ROSTER_ENCODING, "%s", ".xlsx/.ods");
        return ikr_err_at(e, IKR_E_ROSTER_ENCODING, 1, 0);
    }
    int le = n >= 2 && p[0] == 0xFF && p[1] == 0xFE, be = n >= 2 && p[0] == 0xFE && p[1] == 0xFF;
    if (!le && !be) {
        size_t bad = utf8_end(p, n);
        if (bad == n)
            return IKR_OK;
        ikr_err_set(e, IKR_E_ROSTER_ENCODING, "0x%02X", p[bad]);
        return ikr_err_at(e, IKR_E_ROSTER_ENCODING, (int64_t)line_at(p, bad), 0);
    }
    /* Two bytes become at most three (a pair of four bytes becomes four). */
    size_t cap = n / 2 * 3 + 4, o = 0;
    uint8_t *b = malloc(cap);
    if (!b)
        return ikr_err_set(e, IKR_E_NOMEM, "roster");
    uint64_t line = 1;
    for (size_t i = 2; i + 1 < n; i += 2) {
        uint32_t u = le ? (uint32_t)(p[i] | p[i + 1] << 8) : (uint32_t)(p[i] << 8 | p[i + 1]);
        if (u >= 0xD800 && u <= 0xDBFF && i + 3 < n) {
            uint32_t v =
                le ? (uint32_t)(p[i + 2] | p[i + 3] << 8) : (uint32_t)(p[i + 2] << 8 | p[i + 3]);
            if (v >= 0xDC00 && v <= 0xDFFF) {
                u = 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00);
                i += 2;
            }
        }
        if (u == 0 || (u >= 0xD800 && u <= 0xDFFF)) {
            memset(b, 0, o);
            free(b);
            ikr_err_set(e, IKR_E_ROSTER_ENCODING, "UTF-16 0x%04X", (unsigned)u);
            return ikr_err_at(e, IKR_E_ROSTER_ENCODING, (int64_t)line, 0);
        }
        line += u == '\n';
        if (u < 0x80) {
            b[o++] = (uint8_t)u;
        } else if (u < 0x800) {
            b[o++] = (uint8_t)(0xC0 | u >> 6);
            b[o++] = (uint8_t)(0x80 | (u & 0x3F));
        } else if (u < 0x10000) {
            b[o++] = (uint8_t)(0xE0 | u >> 12);
            b[o++] = (uint8_t)(0x80 | (u >> 6 & 0x3F));
            b[o++] = (uint8_t)(0x80 | (u & 0x3F));
        } else {
            b[o++] = (uint8_t)(0xF0 | u >> 18);
            b[o++] = (uint8_t)(0x80 | (u >> 12 & 0x3F));
            b[o++] = (uint8_t)(0x80 | (u >> 6 & 0x3F));
            b[o++] = (uint8_t)(0x80 | (u & 0x3F));
        }
    }
    *out = b;
    *outn = o;
    return IKR_OK;
}

/*
 * The separator, from the first line that holds one: a tab when tabs are
 * the most (Excel's "Unicode text" and "Text (Tab delimited)"), else ';'
 * when semicolons outnumber commas, else ','.
 */
static char guess_sep(const uint8_t *p, size_t n)
{
    size_t tabs = 0, semis = 0, commas = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\n' || p[i] == '\r') {
            if (tabs || semis || commas)
                break;
            continue;
        }
        tabs += p[i] == '\t';
        semis += p[i] == ';';
        commas += p[i] == ',';
    }
    if (tabs > semis && tabs > commas)
        return '\t';
    return semis > commas ? ';' : ',';
}

/* Copies a cell (cut) for a message. */
static void keep_cell(char *dst, size_t cap, const char *cell)
{
    size_t n = strlen(cell);
    if (n >= cap)
        n = cap - 1;
    /* Never cut inside a UTF-8 sequence. */
    while (n > 0 && n < strlen(cell) && ((unsigned char)cell[n] & 0xC0) == 0x80)
        n--;
    memcpy(dst, cell, n);
    dst[n] = '\0';
}

/* Checks one data row; fills r and returns IKR_OK, or the refusal with what the issue needs. */
static int check_row(const ikr_csv_row *row, const int col[COL_COUNT_], uint64_t now,
                     ikr_roster_entry *r, ikr_roster_issue *is, unsigned *text)
{
    *text = 0;
    const char *cell[COL_COUNT_];
    for (int c = 0; c < COL_COUNT_; c++)
        cell[c] = col[c] >= 0 ? ikr_csv_get(row, (size_t)col[c]) : "";
    char nip[64];
    keep_cell(is->was, sizeof is->was, cell[COL_NIP]);
    int rc = nip_repair(cell[COL_NIP], nip, &is->fixed);
    if (rc)
        return rc;
    ikr_form f = {cell[COL_NAME], status_word(cell[COL_STATUS]), nip, cell[COL_POS],
                  cell[COL_UNIT]};
    ikr_err e;
    ikr_err_clear(&e);
    memset(r, 0, sizeof *r);
    r->line = row->line;
    if ((rc = ikr_form_check(&f, now, &r->who, &e)))
        return rc;
    unsigned ch[IKR_FORM_TEXT_FIELDS];
    *text = ikr_form_changes(&f, ch); /* the rule was applied: what did it change? */
    memcpy(is->nip, r->who.nip, sizeof is->nip);
    if (!is->nip[0])
        is->fixed = 0; /* ="" or '' on a NON-ASN row: nothing was repaired, nothing to report */
    return IKR_OK;
}

/* The rows searched for the header: title rows above it are skipped. */
#define HEADER_SEARCH 10

/*
 * Finds the columns a row names into col; returns how many it names, and
 * the first required column it lacks in *missing (-1 when none).
 */
static int header_row(const ikr_csv_row *row, int col[COL_COUNT_], int *missing)
{
    int named = 0;
    for (int j = 0; j < COL_COUNT_; j++)
        col[j] = -1;
    for (size_t i = 0; i < row->nf; i++) {
        int j = header_column(ikr_csv_get(row, i));
        if (j >= 0 && col[j] < 0) {
            col[j] = (int)i;
            named++;
        }
    }
    *missing = -1;
    for (int j = 0; j < COL_COUNT_ && *missing < 0; j++)
        if (columns[j].required && col[j] < 0)
            *missing = j;
    return named;
}

int ikr_roster_parse(const uint8_t *p, size_t n, uint64_t now, const ikr_roster_sink *k,
                     ikr_roster_count *c, ikr_err *e)
{
    ikr_csv_reader rd;
    ikr_csv_row row;
    ikr_nipset seen = IKR_NIPSET_INIT;
    uint8_t *utf8 = NULL, *fixed = NULL;
    size_t utf8n = 0, fixedn = 0;
    int col[COL_COUNT_], have_header = 0, got, rc, first_missing = -1, above = 0;
    uint64_t rows = 0;
    memset(c, 0, sizeof *c);
    if (n > IKR_ROSTER_MAX_BYTES)
        return ikr_err_set(e, IKR_E_ROSTER_ROWS, "%d", IKR_ROSTER_MAX_ROWS);
    if ((rc = to_utf8(p, n, &utf8, &utf8n, e)))
        return rc;
    if (utf8) {
        p = utf8;
        n = utf8n;
    }
    ikr_csv_row_init(&row);
    size_t bom = n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF ? 3 : 0;
    char sep = guess_sep(p + bom, n - bom);
    if ((rc = quote_bare_formulas(p, n, sep, &fixed, &fixedn))) {
        rc = ikr_err_set(e, rc, "roster");
        goto out;
    }
    ikr_csv_reader_init(&rd, fixed ? fixed : p, fixed ? fixedn : n, sep);
    while ((rc = ikr_csv_next(&rd, &row, &got, e)) == IKR_OK && got) {
        int blank = 1;
        for (size_t i = 0; i < row.nf && blank; i++)
            for (const char *s = ikr_csv_get(&row, i); *s && blank; s++)
                blank = *s == ' ' || *s == '\t';
        if (blank)
            continue;
        if (!have_header) {
            /*
             * A spreadsheet often has a title ("Daftar Pegawai ...") and a
             * blank row above the header.  The header is the first row that
             * names two columns or more; a row naming one is a title too,
             * since a data row names none but could hold a word like "Unit".
             */
            int missing, named = header_row(&row, col, &missing);
            if (named < 2 && ++above < HEADER_SEARCH) {
                if (first_missing < 0)
                    first_missing = missing >= 0 ? missing : COL_NIP;
                continue;
            }
            if (named < 2 && first_missing >= 0)
                missing = first_missing;
            if (missing >= 0) {
                rc = ikr_err_set(e, IKR_E_ROSTER_COLUMN, "%s", columns[missing].label);
                goto out;
            }
            have_header = 1;
            c->header_line = row.line;
            continue;
        }
        if (++rows > IKR_ROSTER_MAX_ROWS) {
            rc = ikr_err_set(e, IKR_E_ROSTER_ROWS, "%d", IKR_ROSTER_MAX_ROWS);
            goto out;
        }
        ikr_roster_entry r;
        ikr_roster_issue is;
        memset(&is, 0, sizeof is);
        is.line = row.line;
        unsigned text = 0;
        is.code = check_row(&row, col, now, &r, &is, &text);
        if (is.code == IKR_OK && r.who.nip[0]) {
            uint64_t first = ikr_nipset_add(&seen, r.who.nip, row.line);
            if (first == UINT64_MAX) {
                rc = ikr_err_set(e, IKR_E_NOMEM, "roster");
                goto out;
            }
            if (first) {
                is.code = IKR_E_ROSTER_DUP;
                is.first = first;
            }
        }
        if (is.code != IKR_OK) {
            c->invalid++;
            if (k && k->issue)
                k->issue(k->ctx, &is);
            continue;
        }
        if (is.fixed) {
            c->repaired++;
            if (k && k->issue)
                k->issue(k->ctx, &is);
        }
        c->valid++;
        c->invisible += (text & IKR_TEXT_REMOVED) != 0;
        c->composed += (text & IKR_TEXT_NFC) != 0;
        if (k && k->row && (rc = k->row(k->ctx, &r, e)))
            goto out;
    }
    /* Only title rows, and fewer than HEADER_SEARCH: the first one's missing column is named. */
    if (!rc && !have_header && first_missing >= 0)
        rc = ikr_err_set(e, IKR_E_ROSTER_COLUMN, "%s", columns[first_missing].label);
    else if (!rc && !have_header)
        rc = ikr_err_set(e, IKR_E_ROSTER_EMPTY, "no header row");
out:
    ikr_csv_row_free(&row);
    ikr_nipset_free(&seen);
    if (fixed) {
        memset(fixed, 0, fixedn); /* names and NIPs: not left in freed memory */
        free(fixed);
    }
    if (utf8) {
        memset(utf8, 0, utf8n);
        free(utf8);
    }
    return rc;
}

typedef struct import_ctx {
    ikr_log *l;
    void (*issue)(void *ctx, const ikr_roster_issue *i);
    void *ctx;
} import_ctx;

static int import_row(void *ctx, const ikr_roster_entry *r, ikr_err *e)
{
    import_ctx *x = ctx;
    return ikr_log_roster_put(x->l, &r->who, r->line, e);
}

static void import_issue(void *ctx, const ikr_roster_issue *i)
{
    import_ctx *x = ctx;
    if (x->issue)
        x->issue(x->ctx, i);
}

int ikr_roster_import(ikr_log *l, const uint8_t *p, size_t n, uint64_t now, int skip_invalid,
                      void (*issue)(void *ctx, const ikr_roster_issue *i), void *ctx,
                      ikr_roster_count *c, ikr_err *e)
{
    import_ctx x = {l, issue, ctx};
    ikr_roster_sink k = {import_row, import_issue, &x};
    int rc;
    /*
     * One pass, inside the transaction: the rows go in as they are read and
     * the whole lot is rolled back if the file is refused, so a 100,000-row
     * roster is read once and never held in memory.
     */
    if ((rc = ikr_log_begin(l, e)))
        return rc;
    if ((rc = ikr_log_roster_clear(l, e)) || (rc = ikr_roster_parse(p, n, now, &k, c, e)))
        goto fail;
    if (c->invalid && !skip_invalid) {
        rc = ikr_err_at(e, IKR_E_ROSTER_INVALID, (int64_t)c->invalid, 0);
        goto fail;
    }
    if (c->valid == 0) {
        rc =
            ikr_err_set(e, IKR_E_ROSTER_EMPTY, "%llu rows refused", (unsigned long long)c->invalid);
        goto fail;
    }
    return ikr_log_commit(l, e);
fail:
    ikr_log_rollback(l);
    return rc;
}

int ikr_roster_find(ikr_log *l, const char *nip, ikr_roster_entry *out, ikr_err *e)
{
    char clean[64];
    int fixed;
    memset(out, 0, sizeof *out);
    if (!nip || nip_repair(nip, clean, &fixed) != IKR_OK || strlen(clean) != IKR_NIP_LEN)
        return 1;
    return ikr_log_roster_get(l, clean, &out->who, &out->line, e);
}

typedef struct search_ctx {
    ikr_roster_hit *out;
    size_t max, n;
    int more;
} search_ctx;

static int search_cb(void *ctx, const ikr_signer *who, uint64_t line, int signd)
{
    search_ctx *x = ctx;
    if (x->n == x->max) {
        x->more = 1;
        return 0;
    }
    ikr_roster_hit *h = &x->out[x->n++];
    h->r.who = *who;
    h->r.line = line;
    h->signd = signd;
    return 0;
}

int ikr_roster_search(ikr_log *l, const char *query, ikr_roster_hit *out, size_t max, size_t *n,
                      int *more, ikr_err *e)
{
    char q[IKR_ROSTER_QUERY_MAX + 1];
    size_t len = 0, digits = 0, letters = 0;
    *n = 0;
    *more = 0;
    if (!query || max == 0)
        return IKR_OK;
    /* Digits keep only digits; a name keeps its spaces, folded, trimmed. */
    for (const char *p = query; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (len == IKR_ROSTER_QUERY_MAX)
            return IKR_OK;
        if (ch >= '0' && ch <= '9') {
            digits++;
            q[len++] = (char)ch;
        } else if (ch == ' ' || ch == '.') {
            if (len && q[len - 1] != ' ')
                q[len++] = ' ';
        } else {
            letters++;
            q[len++] = (char)(ch >= 'A' && ch <= 'Z' ? ch + ('a' - 'A') : ch);
        }
    }
    while (len && q[len - 1] == ' ')
        len--;
    q[len] = '\0';
    search_ctx x = {out, max, 0, 0};
    int rc;
    if (!letters) {
        size_t k = 0; /* the NIP's digits without the spaces */
        for (size_t i = 0; i < len; i++)
            if (q[i] != ' ')
                q[k++] = q[i];
        q[k] = '\0';
        if (!digits || digits > IKR_NIP_LEN)
            return IKR_OK;
        rc = ikr_log_roster_search(l, q, NULL, max + 1, search_cb, &x, e);
    } else {
        if (len < 2)
            return IKR_OK;
        rc = ikr_log_roster_search(l, NULL, q, max + 1, search_cb, &x, e);
    }
    if (rc == IKR_E_ROSTER_NONE) /* a folder from before rosters: nobody to find */
        return IKR_OK;
    *n = x.n;
    *more = x.more;
    return rc;
}

typedef struct units_ctx {
    ikr_roster_unit *u;
    size_t max, n, total;
} units_ctx;

static int unit_cb(void *ctx, const char *unit, uint64_t expected, uint64_t signed_n)
{
    units_ctx *x = ctx;
    if (x->n < x->max) {
        ikr_roster_unit *u = &x->u[x->n++];
        keep_cell(u->unit, sizeof u->unit, unit);
        u->expected = expected;
        u->signed_n = signed_n;
    }
    x->total++;
    return 0;
}

/* Units compared as the matching compares them (SQLite's lower(): ASCII letters only). */
static int unit_cmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int x = (unsigned char)*a, y = (unsigned char)*b;
        x += x >= 'A' && x <= 'Z' ? 'a' - 'A' : 0;
        y += y >= 'A' && y <= 'Z' ? 'a' - 'A' : 0;
        if (x != y || !x)
            return x - y;
    }
}

static int unit_order(const void *a, const void *b)
{
    const ikr_roster_unit *x = a, *y = b;
    int c = unit_cmp(x->unit, y->unit);
    return c ? c : strcmp(x->unit, y->unit);
}

/*
 * One row per unit however its case was typed.  A record already matches a
 * roster entry with the unit's case folded, so "Dinas Pendidikan" and
 * "DINAS PENDIDIKAN" from two spreadsheets' rows are one unit: listed
 * apart, the table and the kiosk's chart showed one unit as two or three
 * bars with shares that added up to nothing.  The spelling shown is the
 * one with the most people (the first in order on a tie).  Returns how
 * many rows went.
 */
static size_t merge_units(ikr_roster_unit *u, size_t n)
{
    if (n < 2)
        return 0;
    qsort(u, n, sizeof *u, unit_order);
    size_t o = 0;
    uint64_t best = u[0].expected ? u[0].expected : u[0].signed_n;
    for (size_t i = 1; i < n; i++) {
        if (unit_cmp(u[o].unit, u[i].unit) != 0) {
            u[++o] = u[i];
            best = u[o].expected ? u[o].expected : u[o].signed_n;
            continue;
        }
        uint64_t mine = u[i].expected ? u[i].expected : u[i].signed_n;
        if (mine > best) {
            memcpy(u[o].unit, u[i].unit, sizeof u[o].unit);
            best = mine;
        }
        u[o].expected += u[i].expected;
        u[o].signed_n += u[i].signed_n;
    }
    return n - (o + 1);
}

int ikr_roster_stats(ikr_log *l, ikr_roster_unit *units, size_t max, ikr_roster_totals *st,
                     ikr_err *e)
{
    units_ctx x = {units, max, 0, 0};
    int rc;
    memset(st, 0, sizeof *st);
    /* One snapshot: a signing in between must not make the units disagree with the totals. */
    ikr_err te;
    ikr_err_clear(&te);
    if ((rc = ikr_log_read_begin(l, e)))
        return rc;
    rc = ikr_log_roster_totals(l, &st->expected, &st->signed_listed, &st->records, &st->unlisted,
                               &te);
    /*
     * A log from before rosters, opened read-only (so not migrated), has no
     * roster table: it is counted as one with no roster imported, as it
     * would be once migrated.
     */
    if (rc == IKR_E_ROSTER_NONE) {
        st->expected = st->signed_listed = st->unlisted = 0;
        rc = ikr_log_size(l, &st->records, e);
    } else if (rc && e) {
        *e = te;
    }
    if (!rc) {
        st->has_roster = st->expected > 0;
        if (!st->has_roster)
            st->unlisted = 0;
        rc = ikr_log_roster_units(l, st->has_roster, unit_cb, &x, e);
    }
    ikr_log_rollback(l);
    size_t merged = merge_units(units, x.n);
    st->nunits = x.n - merged;
    st->units_total = x.total - merged;
    return rc;
}

typedef struct missing_ctx {
    int (*fn)(void *ctx, const ikr_roster_entry *r);
    void *ctx;
} missing_ctx;

static int missing_cb(void *ctx, const ikr_signer *who, uint64_t line)
{
    missing_ctx *x = ctx;
    ikr_roster_entry r;
    r.who = *who;
    r.line = line;
    return x->fn(x->ctx, &r);
}

int ikr_roster_missing(ikr_log *l, int (*fn)(void *ctx, const ikr_roster_entry *r), void *ctx,
                       ikr_err *e)
{
    uint64_t listed, listed_signed, records, unlisted;
    missing_ctx x = {fn, ctx};
    int rc;
    if ((rc = ikr_log_read_begin(l, e)))
        return rc;
    if (!(rc = ikr_log_roster_totals(l, &listed, &listed_signed, &records, &unlisted, e))) {
        if (listed == 0)
            rc = ikr_err_set(e, IKR_E_ROSTER_NONE, NULL);
        else
            rc = ikr_log_roster_missing(l, missing_cb, &x, e);
    }
    ikr_log_rollback(l);
    return rc;
}
