/*
 * csv.c: reading and writing CSV as spreadsheets do (see csv.h).
 */
#include "ikrar/csv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int ikr_csv_is_formula(const char *s, size_t n)
{
    return n > 0 && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
                     s[0] == '\r');
}

int ikr_csv_field(ikr_buf *out, const char *s, size_t n, char sep)
{
    int quote = n > 0 && (s[0] == ' ' || s[n - 1] == ' ');
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == sep || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
    int rc = 0;
    if (quote)
        rc |= ikr_buf_addc(out, '"');
    if (ikr_csv_is_formula(s, n))
        rc |= ikr_buf_addc(out, '\'');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            rc |= ikr_buf_addc(out, '"');
        rc |= ikr_buf_addc(out, (uint8_t)s[i]);
    }
    if (quote)
        rc |= ikr_buf_addc(out, '"');
    return rc ? IKR_E_NOMEM : IKR_OK;
}

void ikr_csv_row_init(ikr_csv_row *r)
{
    memset(r, 0, sizeof *r);
    ikr_buf_init(&r->text);
}

void ikr_csv_row_free(ikr_csv_row *r)
{
    ikr_buf_free(&r->text);
    r->nf = 0;
}

const char *ikr_csv_get(const ikr_csv_row *r, size_t i)
{
    if (i >= r->nf || !r->text.p)
        return "";
    return (const char *)r->text.p + r->off[i];
}

void ikr_csv_reader_init(ikr_csv_reader *rd, const uint8_t *p, size_t n, char sep)
{
    memset(rd, 0, sizeof *rd);
    rd->p = p;
    rd->n = n;
    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
        rd->pos = 3;
    if (!sep) {
        /* Count separators in the first row, outside quotes. */
        size_t commas = 0, semis = 0;
        int inq = 0;
        for (size_t i = rd->pos; i < n && i < rd->pos + IKR_CSV_MAX_ROW; i++) {
            uint8_t c = p[i];
            if (c == '"')
                inq = !inq;
            else if (!inq && (c == '\n' || c == '\r'))
                break;
            else if (!inq && c == ',')
                commas++;
            else if (!inq && c == ';')
                semis++;
        }
        sep = semis > commas ? ';' : ',';
    }
    rd->sep = sep;
}

static int csv_fail(ikr_err *e, uint64_t line, const char *what)
{
    ikr_err_set(e, IKR_E_CSV, "%s", what);
    return ikr_err_at(e, IKR_E_CSV, (int64_t)line, 0);
}

/* Ends the field being read: its NUL, and its place in r. */
static int end_field(ikr_csv_row *r, size_t start, ikr_err *e)
{
    if (r->nf >= IKR_CSV_MAX_FIELDS)
        return csv_fail(e, r->line, "too many fields in the row");
    if (ikr_buf_addc(&r->text, 0))
        return ikr_err_set(e, IKR_E_NOMEM, "csv");
    r->off[r->nf] = start;
    r->len[r->nf] = r->text.len - 1 - start;
    r->nf++;
    return IKR_OK;
}

int ikr_csv_next(ikr_csv_reader *rd, ikr_csv_row *r, int *got, ikr_err *e)
{
    const uint8_t *p = rd->p;
    size_t i = rd->pos, row_start = rd->pos, start;
    int rc;
    *got = 0;
    r->nf = 0;
    ikr_buf_reset(&r->text);
    if (i >= rd->n)
        return IKR_OK;
    r->line = ++rd->line;
    for (;;) {
        start = r->text.len;
        if (i < rd->n && p[i] == '"') {
            /* A quoted field: to the closing quote, "" being one quote. */
            uint64_t at = rd->line;
            i++;
            for (;;) {
                if (i >= rd->n)
                    return csv_fail(e, at, "a quoted field is not closed");
                if (p[i] == '"') {
                    if (i + 1 < rd->n && p[i + 1] == '"') {
                        i += 2;
                        if (ikr_buf_addc(&r->text, '"'))
                            return ikr_err_set(e, IKR_E_NOMEM, "csv");
                        goto counted;
                    }
                    i++;
                    break;
                }
                if (p[i] == '\n' || (p[i] == '\r' && !(i + 1 < rd->n && p[i + 1] == '\n')))
                    rd->line++;
                if (p[i] == 0)
                    return csv_fail(e, rd->line, "a NUL byte");
                if (ikr_buf_addc(&r->text, p[i]))
                    return ikr_err_set(e, IKR_E_NOMEM, "csv");
                i++;
            counted:
                if (r->text.len - start > IKR_CSV_MAX_FIELD)
                    return csv_fail(e, at, "a field is too long");
                if (i - row_start > IKR_CSV_MAX_ROW)
                    return csv_fail(e, at, "the row is too long");
            }
            /* Spreadsheets write nothing between the closing quote and the separator. */
            if (i < rd->n && p[i] != (uint8_t)rd->sep && p[i] != '\r' && p[i] != '\n')
                return csv_fail(e, rd->line, "text after a closing quote");
        } else {
            while (i < rd->n && p[i] != (uint8_t)rd->sep && p[i] != '\r' && p[i] != '\n') {
                if (p[i] == 0)
                    return csv_fail(e, rd->line, "a NUL byte");
                if (p[i] == '"')
                    return csv_fail(e, rd->line, "a quote inside an unquoted field");
                if (ikr_buf_addc(&r->text, p[i]))
                    return ikr_err_set(e, IKR_E_NOMEM, "csv");
                i++;
                if (r->text.len - start > IKR_CSV_MAX_FIELD)
                    return csv_fail(e, rd->line, "a field is too long");
                if (i - row_start > IKR_CSV_MAX_ROW)
                    return csv_fail(e, rd->line, "the row is too long");
            }
        }
        if ((rc = end_field(r, start, e)))
            return rc;
        if (i < rd->n && p[i] == (uint8_t)rd->sep) {
            i++;
            continue;
        }
        /* The row's end: CRLF, LF, CR, or the end of the bytes. */
        if (i < rd->n && p[i] == '\r') {
            i++;
            if (i < rd->n && p[i] == '\n')
                i++;
        } else if (i < rd->n && p[i] == '\n') {
            i++;
        }
        break;
    }
    rd->pos = i;
    *got = 1;
    return IKR_OK;
}

#define CSV_WINDOW (4 * IKR_CSV_MAX_ROW)

/* Tops the window up when less than a whole row is left in it. */
static int file_fill(ikr_csv_file *cf, ikr_err *e)
{
    ikr_csv_reader *rd = &cf->rd;
    if (cf->eof || rd->n - rd->pos > IKR_CSV_MAX_ROW + 2)
        return IKR_OK;
    size_t keep = rd->n - rd->pos;
    memmove(cf->buf, cf->buf + rd->pos, keep);
    size_t got = fread(cf->buf + keep, 1, cf->cap - keep, cf->f);
    if (ferror(cf->f))
        return ikr_err_set(e, IKR_E_IO, "read error");
    if (got < cf->cap - keep)
        cf->eof = 1;
    rd->p = cf->buf;
    rd->n = keep + got;
    rd->pos = 0;
    return IKR_OK;
}

int ikr_csv_file_open(ikr_csv_file *cf, const char *path, ikr_err *e)
{
    memset(cf, 0, sizeof *cf);
    ikr_csv_row_init(&cf->row);
    /*
     * Only a regular file: a FIFO would block open() and fread() forever
     * (O_NONBLOCK lets the open return so fstat can tell), and a device
     * never ends.  The files read this way come from bundles, untrusted.
     */
    struct stat sb;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return ikr_err_set(e, IKR_E_IO, "%s: %s", path, strerror(errno));
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return ikr_err_set(e, IKR_E_IO, "%s: not a regular file", path);
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        (void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    if (!(cf->f = fdopen(fd, "rb"))) {
        close(fd);
        return ikr_err_set(e, IKR_E_NOMEM, "csv");
    }
    if (!(cf->buf = malloc(CSV_WINDOW)))
        return ikr_err_set(e, IKR_E_NOMEM, "csv");
    cf->cap = CSV_WINDOW;
    int rc = file_fill(cf, e);
    if (rc)
        return rc;
    /* Now that the first row is in the window: the separator, and the BOM dropped. */
    ikr_csv_reader_init(&cf->rd, cf->buf, cf->rd.n, 0);
    return IKR_OK;
}

int ikr_csv_file_next(ikr_csv_file *cf, int *got, ikr_err *e)
{
    int rc;
    *got = 0;
    if ((rc = file_fill(cf, e)))
        return rc;
    return ikr_csv_next(&cf->rd, &cf->row, got, e);
}

int ikr_csv_file_rest_blank(ikr_csv_file *cf, int *blank, ikr_err *e)
{
    int got, rc;
    *blank = 1;
    while ((rc = ikr_csv_file_next(cf, &got, e)) == IKR_OK && got) {
        if (cf->row.nf != 1 || cf->row.len[0] != 0) {
            *blank = 0;
            break;
        }
    }
    return rc;
}

void ikr_csv_file_close(ikr_csv_file *cf)
{
    if (cf->f)
        fclose(cf->f);
    cf->f = NULL;
    free(cf->buf);
    cf->buf = NULL;
    ikr_csv_row_free(&cf->row);
}
