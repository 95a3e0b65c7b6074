/*
 * csv.h: comma- or semicolon-separated values as spreadsheets write and
 * read them (RFC 4180 with the dialects of real files).
 *
 * Reading: a field is quoted when it starts with '"' ("" inside is one
 * quote, and separators and line ends inside are kept); CRLF, LF or a lone
 * CR ends a row; a UTF-8 byte order mark before the first field is dropped.
 * Every size is bounded: a field, a row's fields, a row's bytes.
 *
 * Writing: a field is quoted when it holds the separator, a quote, CR or
 * LF, or has white space at an end; and a field that a spreadsheet would
 * run as a formula (its first byte is = + - @, a tab or a CR) is
 * neutralised by putting a ' before it.  Rows end in CRLF.  The audit
 * writes a record's fields through the same function and compares, so a
 * roster.csv always says exactly what its records say.
 */
#ifndef IKRAR_CSV_H
#define IKRAR_CSV_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "err.h"

#define IKR_CSV_MAX_FIELDS 32       /* fields in one row */
#define IKR_CSV_MAX_FIELD 4096      /* bytes of one field */
#define IKR_CSV_MAX_ROW (64u << 10) /* bytes of one row, quotes and separators included */

/* Appends field s[0..n) to out, quoted and neutralised as needed (no separator). */
int ikr_csv_field(ikr_buf *out, const char *s, size_t n, char sep);
/* 1 when a spreadsheet would take s[0..n) as a formula, so ikr_csv_field puts a ' before it. */
int ikr_csv_is_formula(const char *s, size_t n);

/* One row as read: nf fields, field i is f[i][0..len[i]) inside text (NUL-terminated). */
typedef struct ikr_csv_row {
    size_t nf;
    size_t off[IKR_CSV_MAX_FIELDS];
    size_t len[IKR_CSV_MAX_FIELDS];
    ikr_buf text;  /* the fields' unquoted bytes, each followed by a NUL */
    uint64_t line; /* the line the row starts on, from 1 */
} ikr_csv_row;

void ikr_csv_row_init(ikr_csv_row *r);
void ikr_csv_row_free(ikr_csv_row *r);
/* Field i of r, NUL-terminated ("" past the last field). */
const char *ikr_csv_get(const ikr_csv_row *r, size_t i);

/* A reader over bytes in memory (the caller keeps them alive). */
typedef struct ikr_csv_reader {
    const uint8_t *p;
    size_t n, pos;
    char sep;
    uint64_t line; /* lines consumed so far */
} ikr_csv_reader;

/*
 * Starts reading p[0..n) with separator sep, or with sep 0 to guess it from
 * the first row (';' when it holds more semicolons outside quotes than
 * commas, else ',').  Drops a UTF-8 byte order mark.
 */
void ikr_csv_reader_init(ikr_csv_reader *rd, const uint8_t *p, size_t n, char sep);

/*
 * Reads the next row into r.  Returns IKR_OK with *got 1, or *got 0 at the
 * end; IKR_E_CSV (with the line and the problem on e->detail, and the line
 * on e->seq) for a quote not closed, text after a closing quote, a NUL, too
 * many fields or a field or row too long.  A blank line is a row of one
 * empty field.
 */
int ikr_csv_next(ikr_csv_reader *rd, ikr_csv_row *r, int *got, ikr_err *e);

/*
 * A CSV file read a window at a time, so a large file is never held whole:
 * the window always holds at least a whole row's worth (IKR_CSV_MAX_ROW)
 * unless the file ends first.  The separator is guessed from the first row.
 */
typedef struct ikr_csv_file {
    FILE *f;
    uint8_t *buf;
    size_t cap;
    int eof;
    ikr_csv_reader rd;
    ikr_csv_row row; /* the row ikr_csv_file_next read */
} ikr_csv_file;

/* Opens path: IKR_E_IO (path and reason on e) when it cannot be read. Close it whatever happens. */
int ikr_csv_file_open(ikr_csv_file *cf, const char *path, ikr_err *e);
/* Reads the next row into cf->row; as ikr_csv_next. */
int ikr_csv_file_next(ikr_csv_file *cf, int *got, ikr_err *e);
/*
 * Reads the rest of cf: *blank is 1 when nothing but blank lines is left
 * (an editor's trailing newlines), 0 when a row with something in it
 * remains (then cf->row is that row).
 */
int ikr_csv_file_rest_blank(ikr_csv_file *cf, int *blank, ikr_err *e);
void ikr_csv_file_close(ikr_csv_file *cf);

#endif
