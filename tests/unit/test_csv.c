/*
 * test_csv.c: CSV as spreadsheets write it (both separators, quotes,
 * line ends, a BOM) read back field by field; the writer's quoting and
 * formula neutralisation; bounds and damaged files refused with the line.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ikrar/csv.h"

/* Reads all rows of s; returns the rows' fields joined as "a|b/c|d/" in out. */
static int read_all(const char *s, char sep, char *out, size_t n, ikr_err *e)
{
    ikr_csv_reader rd;
    ikr_csv_row r;
    int got, rc;
    size_t k = 0;
    ikr_csv_row_init(&r);
    ikr_err_clear(e);
    ikr_csv_reader_init(&rd, (const uint8_t *)s, strlen(s), sep);
    out[0] = '\0';
    while ((rc = ikr_csv_next(&rd, &r, &got, e)) == 0 && got) {
        for (size_t i = 0; i < r.nf; i++)
            k += (size_t)snprintf(out + k, n - k, "%s%s", ikr_csv_get(&r, i),
                                  i + 1 < r.nf ? "|" : "/");
    }
    ikr_csv_row_free(&r);
    return rc;
}

int main(void)
{
    char out[2000];
    ikr_err e;
    check("plain commas", read_all("a,b,c\n1,2,3\n", 0, out, sizeof out, &e) == 0 &&
                              strcmp(out, "a|b|c/1|2|3/") == 0);
    check("semicolons guessed, CRLF, BOM dropped",
          read_all("\xEF\xBB\xBFNIP;Nama;Unit\r\n1;Budi, S.H.;X\r\n", 0, out, sizeof out, &e) ==
                  0 &&
              strcmp(out, "NIP|Nama|Unit/1|Budi, S.H.|X/") == 0);
    check("quoted fields with separators, quotes and line ends",
          read_all("\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\"\n", ',', out, sizeof out, &e) == 0 &&
              strcmp(out, "a,b|say \"hi\"|two\nlines/") == 0);
    check("no final line end, empty fields, lone CR",
          read_all("a,,\rb", ',', out, sizeof out, &e) == 0 && strcmp(out, "a||/b/") == 0);
    check("a row's line counts quoted line ends",
          read_all("\"x\ny\"\nbad\"q\n", ',', out, sizeof out, &e) == IKR_E_CSV && e.seq == 3);
    check("an unclosed quote names its line",
          read_all("a\n\"open,b\nc\n", ',', out, sizeof out, &e) == IKR_E_CSV && e.seq == 2);
    check("text after a closing quote refused",
          read_all("\"a\"b,c\n", ',', out, sizeof out, &e) == IKR_E_CSV);
    char many[200] = "";
    for (int i = 0; i < 40; i++)
        strcat(many, "x,");
    check("too many fields refused", read_all(many, ',', out, sizeof out, &e) == IKR_E_CSV);
    char *big = malloc(IKR_CSV_MAX_FIELD + 10);
    if (big) {
        memset(big, 'a', IKR_CSV_MAX_FIELD + 5);
        big[IKR_CSV_MAX_FIELD + 5] = '\0';
        check("a field too long refused", read_all(big, ',', out, sizeof out, &e) == IKR_E_CSV);
        free(big);
    }

    ikr_buf b;
    ikr_buf_init(&b);
    const char *in[] = {"Budi", "a,b", "say \"hi\"", "=SUM(A1)", "+62 811",
                        "-1",   "@x",  "\tx",        " pad",     ""};
    const char *want[] = {"Budi", "\"a,b\"", "\"say \"\"hi\"\"\"", "'=SUM(A1)", "'+62 811", "'-1",
                          "'@x",  "'\tx",    "\" pad\"",           ""};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        ikr_buf_reset(&b);
        ikr_csv_field(&b, in[i], strlen(in[i]), ',');
        check("field written as expected",
              b.len == strlen(want[i]) && memcmp(b.p, want[i], b.len) == 0);
    }
    ikr_buf_reset(&b);
    ikr_csv_field(&b, "a;b", 3, ';');
    check("the separator in use is quoted", b.len == 5 && memcmp(b.p, "\"a;b\"", 5) == 0);
    ikr_buf_free(&b);
    return check_report();
}
