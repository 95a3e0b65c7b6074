/*
 * test_ticket: the paper receipt's layout.  Both paper widths, a QR of at
 * least 4 dots a module with a white quiet zone, text where text goes, a
 * long name wrapped, the raster read back by zbar as the receipt text, and
 * the A6 PDF rendered by Ghostscript (when installed) and read back too.
 */
#include <unistd.h>

#include "check.h"
#include "ikrar/qr.h"
#include "print_fixture.h"

static long black_rows(const ikr_ticket *t, int y0, int y1)
{
    long n = 0;
    for (int y = y0; y < y1; y++)
        for (int x = 0; x < t->width; x++)
            n += ikr_ticket_dot(t, x, y);
    return n;
}

static int quiet_zone_white(const ikr_ticket *t)
{
    int q = IKR_QR_QUIET * t->module;
    for (int y = t->qr_y; y < t->qr_y + t->qr_side; y++)
        for (int x = t->qr_x; x < t->qr_x + t->qr_side; x++) {
            int inside = x >= t->qr_x + q && x < t->qr_x + t->qr_side - q && y >= t->qr_y + q &&
                         y < t->qr_y + t->qr_side - q;
            if (!inside && ikr_ticket_dot(t, x, y))
                return 0;
        }
    return 1;
}

int main(void)
{
    char dir[64], path[200], got[4096];
    ikr_station *s = NULL;
    uint64_t seq = 0;
    ikr_err e;
    ikr_ticket_info in;
    ikr_ticket_info_init(&in);
    ikr_err_clear(&e);
    if (fixture_station(dir, &s, "Raden Ajeng Kartini Sosroningrat Wijayakusuma Puspitasari",
                        &seq)) {
        check("a kiosk to print from", 0);
        return check_report();
    }
    check("the receipt's details load", ikr_ticket_info_load(&in, s, seq, &e) == 0);
    check("the name is whole, not cut as on the QR",
          strcmp(in.name, "Raden Ajeng Kartini Sosroningrat Wijayakusuma Puspitasari") == 0);
    check("the NIP is masked", strcmp(in.nip, "**************2003") == 0);
    check("the fingerprint is 8 hex digits",
          strlen(in.fpr) == 8 && strspn(in.fpr, "0123456789abcdef") == 8);

    int widths[2] = {IKR_TICKET_58MM, IKR_TICKET_80MM};
    for (int i = 0; i < 2; i++) {
        ikr_ticket t;
        int w = widths[i];
        check("renders", ikr_ticket_render(&t, &in, w, &e) == 0);
        check("as wide as the paper", t.width == w && t.stride == w / 8);
        check("at least 0.5 mm a QR module", t.module >= IKR_TICKET_MIN_MODULE);
        check("the QR and its quiet zone fit across",
              t.qr_x >= 0 && t.qr_x + t.qr_side <= t.width && t.qr_y + t.qr_side <= t.height);
        check("the quiet zone is white", quiet_zone_white(&t));
        check("text above the QR", t.text_y1 > 100 && black_rows(&t, 0, t.text_y1) > 2000);
        check("text below the QR", black_rows(&t, t.qr_y + t.qr_side, t.height) > 300);
        check("the margins are white", black_rows(&t, 0, 3) == 0);
        snprintf(path, sizeof path, "%s/t%d.png", dir, w);
        check("PNG written", ikr_ticket_write_png(&t, path, &e) == 0);
        check("zbar reads the receipt text back from the raster",
              fixture_zbar(path, got, sizeof got) == 0 &&
                  strcmp(got, (const char *)in.text.p) == 0);
        ikr_ticket_free(&t);
    }

    /* A name that is one long word is broken between letters, never cut off. */
    {
        ikr_ticket a, b;
        ikr_ticket_info one = in;
        memset(one.name, 'W', 100);
        one.name[100] = 0;
        ikr_buf_init(&one.text);
        ikr_buf_adds(&one.text, (const char *)in.text.p);
        ikr_buf_addc(&one.text, 0);
        int ra = ikr_ticket_render(&a, &one, IKR_TICKET_58MM, &e);
        snprintf(one.name, sizeof one.name, "Ani");
        int rb = ikr_ticket_render(&b, &one, IKR_TICKET_58MM, &e);
        check("a long word wraps onto more lines",
              ra == 0 && rb == 0 && a.text_y1 > b.text_y1 + 40);
        ikr_ticket_free(&a);
        ikr_ticket_free(&b);
        ikr_buf_free(&one.text);
    }
    {
        ikr_ticket t;
        ikr_err_clear(&e);
        check("a paper width other than 58 or 80 mm is refused",
              ikr_ticket_render(&t, &in, 500, &e) == IKR_E_INTERNAL && t.bits == NULL);
        ikr_ticket_free(&t);
    }

    snprintf(path, sizeof path, "%s/t.pdf", dir);
    check("PDF written", ikr_ticket_write_pdf(&in, path, &e) == 0);
    FILE *f = fopen(path, "rb");
    char head[5] = "";
    check("it is a PDF", f && fread(head, 1, 4, f) == 4 && memcmp(head, "%PDF", 4) == 0);
    if (f)
        fclose(f);
    if (access("/usr/bin/gs", X_OK) == 0) {
        char cmd[600], png[200];
        snprintf(png, sizeof png, "%s/pdf.png", dir);
        snprintf(
            cmd, sizeof cmd,
            "gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=pnggray -r200 -o '%s' '%s' >/dev/null 2>&1",
            png, path);
        check("the PDF renders", system(cmd) == 0);
        check("zbar reads the receipt text back from the PDF",
              fixture_zbar(png, got, sizeof got) == 0 && strcmp(got, (const char *)in.text.p) == 0);
    } else {
        printf("gs not installed: the PDF is not read back\n");
    }

    ikr_ticket_info_free(&in);
    ikr_station_close(s);
    fixture_rmdir(dir);
    return check_report();
}
