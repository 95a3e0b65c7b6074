/*
 * test_kiosk_textedit: typing at a caret (src/kiosk/ui/textedit.c), as the
 * details screen's fields do: insert, backspace and the arrows, within a
 * field's size, over names with letters of two, three and four bytes.
 * Whatever position it is handed, no edit may split a character.
 */
#include <string.h>

#include "check.h"
#include "ikrar/text.h"
#include "textedit.h"

/* "Åsa Đa 𝄞": a, then letters of 2 and 4 bytes */
#define MIXED                                                                                      \
    "\xc3\x85sa \xc4\x90"                                                                          \
    "a \xf0\x9d\x84\x9e"

static void inserting(void)
{
    char f[64] = "Siti";
    size_t pos = 4;
    check("insert at the end", te_insert(f, 63, &pos, " Rahmawati") == 10 &&
                                   strcmp(f, "Siti Rahmawati") == 0 && pos == 14);
    pos = 4;
    check("insert in the middle, the caret after it",
          te_insert(f, 63, &pos, "x") == 1 && strcmp(f, "Sitix Rahmawati") == 0 && pos == 5);
    pos = 0;
    check("insert at the start", te_insert(f, 63, &pos, "\xc3\x89") == 2 &&
                                     strcmp(f, "\xc3\x89Sitix Rahmawati") == 0 && pos == 2);
    char g[8] = "abcde";
    pos = 5;
    check("a full field takes only whole characters: 2 bytes of room, a 2-byte letter fits",
          te_insert(g, 7, &pos, "\xc3\x85\xc3\x85") == 2 && strcmp(g, "abcde\xc3\x85") == 0 &&
              pos == 7);
    check("then a letter of 2 bytes does not fit in 0",
          te_insert(g, 7, &pos, "\xc3\x85") == 0 && strcmp(g, "abcde\xc3\x85") == 0);
    char h[8] = "abcdef";
    pos = 6;
    check("1 byte of room and a 2-byte letter: nothing, not half of it",
          te_insert(h, 7, &pos, "\xc3\x85") == 0 && strcmp(h, "abcdef") == 0 && pos == 6);
    char m[32] = MIXED;
    pos = 1; /* inside the 2-byte Å */
    check("a position inside a letter inserts before it, never into it",
          te_insert(m, 31, &pos, "x") == 1 && strncmp(m, "x\xc3\x85sa", 5) == 0 && pos == 1);
}

static void deleting(void)
{
    char f[32] = MIXED;
    size_t pos = strlen(f);
    check("backspace takes the 4-byte letter whole", te_backspace(f, &pos) == 1 &&
                                                         strcmp(f, "\xc3\x85sa \xc4\x90"
                                                                   "a ") == 0 &&
                                                         pos == strlen(f));
    pos = 7; /* after Đ */
    check("backspace in the middle takes the 2-byte letter before the caret",
          te_backspace(f, &pos) == 1 && strcmp(f, "\xc3\x85sa a ") == 0 && pos == 5);
    pos = 0;
    check("backspace at the start does nothing",
          te_backspace(f, &pos) == 0 && strcmp(f, "\xc3\x85sa a ") == 0 && pos == 0);
    char e[4] = "";
    pos = 3;
    check("backspace in an empty field does nothing", te_backspace(e, &pos) == 0 && pos == 0);
}

static void moving(void)
{
    const char *s = MIXED;
    size_t len = strlen(s), steps = 0, pos = len;
    while (pos > 0 && steps < 20) {
        pos = te_prev(s, pos);
        steps++;
    }
    check("left from the end to the start: one step a letter (8 letters)", steps == 8);
    for (pos = 0, steps = 0; pos < len && steps < 20; steps++)
        pos = te_next(s, pos);
    check("and right to the end again in as many", steps == 8 && pos == len);
    check("right at the end stays", te_next(s, len) == len);
    check("left at the start stays", te_prev(s, 0) == 0);
    check("a position inside a letter moves onto its start",
          te_clamp(s, 1) == 0 && te_clamp(s, len - 2) == len - 4);
    check("a position past the end is the end", te_clamp(s, len + 5) == len);
}

/* Every edit at every position, even inside letters, leaves valid UTF-8 with the caret on a
 * boundary. */
static void never_split(void)
{
    int ok = 1;
    const char *s = MIXED;
    for (size_t at = 0; at <= strlen(s) + 2; at++) {
        char f[32];
        size_t pos = at;
        snprintf(f, sizeof f, "%s", s);
        te_insert(f, 31, &pos, "\xe2\x82\xac"); /* € */
        ok &= ikr_utf8_valid(f, strlen(f)) && te_clamp(f, pos) == pos;
        pos = at;
        snprintf(f, sizeof f, "%s", s);
        te_backspace(f, &pos);
        ok &= ikr_utf8_valid(f, strlen(f)) && te_clamp(f, pos) == pos;
        size_t l = te_prev(s, at), r = te_next(s, at);
        ok &= te_clamp(s, l) == l && te_clamp(s, r) == r;
    }
    check("no insert, backspace or move splits a letter, at any position", ok);
}

int main(void)
{
    inserting();
    deleting();
    moving();
    never_split();
    return check_report();
}
