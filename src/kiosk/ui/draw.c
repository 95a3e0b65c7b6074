/*
 * draw.c: filling a frame's command list.  Every call checks the fixed
 * pools and marks the list as overflowed instead of writing past them; the
 * renderer still draws what fitted.
 */
#include "draw.h"

#include <string.h>

void kd_begin(kd_list *l, int width, int height, int unit, kd_color clear)
{
    l->width = width;
    l->height = height;
    l->unit = unit;
    l->clear = clear;
    l->ncmd = 0;
    l->nhit = 0;
    l->used = 0;
    l->overflow = 0;
}

static kd_cmd *push(kd_list *l, int type, int x, int y, int w, int h)
{
    if (l->ncmd >= KD_MAX_CMDS) {
        l->overflow = 1;
        return NULL;
    }
    kd_cmd *c = &l->cmd[l->ncmd++];
    memset(c, 0, sizeof *c);
    c->type = type;
    c->x = x;
    c->y = y;
    c->w = w;
    c->h = h;
    return c;
}

void kd_rect(kd_list *l, int x, int y, int w, int h, int radius, kd_color c)
{
    kd_cmd *k = push(l, KD_RECT, x, y, w, h);
    if (k) {
        k->r = radius;
        k->color = c;
    }
}

void kd_border(kd_list *l, int x, int y, int w, int h, int thickness, kd_color c)
{
    kd_cmd *k = push(l, KD_BORDER, x, y, w, h);
    if (k) {
        k->r = thickness;
        k->color = c;
    }
}

/* A command whose text (len bytes, NUL added) lives in the arena; NULL when a pool is full. */
static kd_cmd *push_text(kd_list *l, int type, int x, int y, int w, int h, const char *text,
                         size_t len)
{
    if (l->used + len + 1 > KD_ARENA) {
        l->overflow = 1;
        return NULL;
    }
    kd_cmd *k = push(l, type, x, y, w, h);
    if (!k)
        return NULL;
    char *dst = l->arena + l->used;
    memcpy(dst, text, len);
    dst[len] = '\0';
    l->used += len + 1;
    k->text = dst;
    return k;
}

void kd_text(kd_list *l, int x, int y, int w, int h, int font, int align, kd_color c,
             const char *text, int n)
{
    size_t len = n < 0 ? strlen(text) : (size_t)n;
    if (len == 0)
        return;
    kd_cmd *k = push_text(l, KD_TEXT, x, y, w, h, text, len);
    if (!k)
        return;
    k->font = font;
    k->align = align;
    k->color = c;
}

void kd_ink_cmd(kd_list *l, int x, int y, int w, int h, int width, kd_color c, const kd_ink *ink)
{
    kd_cmd *k = push(l, KD_INK, x, y, w, h);
    if (k) {
        k->r = width;
        k->color = c;
        k->ink = ink;
    }
}

void kd_qr(kd_list *l, int x, int y, int w, int h, const ikr_qr *qr)
{
    kd_cmd *k = push(l, KD_QR, x, y, w, h);
    if (k)
        k->qr = qr;
}

void kd_clip(kd_list *l, int x, int y, int w, int h)
{
    push(l, KD_CLIP, x, y, w, h);
}

void kd_image(kd_list *l, int x, int y, int w, int h, const char *path)
{
    push_text(l, KD_IMAGE, x, y, w, h, path, strlen(path));
}

void kd_grey(kd_list *l, int x, int y, int w, int h, const uint8_t *grey, int gw, int gh,
             uint32_t gen)
{
    if (!grey || gw < 1 || gh < 1)
        return;
    kd_cmd *k = push(l, KD_GREY, x, y, w, h);
    if (k) {
        k->grey = grey;
        k->gw = gw;
        k->gh = gh;
        k->gen = gen;
    }
}

void kd_hit_add(kd_list *l, enum kbtn btn, int idx, int x, int y, int w, int h)
{
    if (l->nhit >= KD_MAX_HITS) {
        l->overflow = 1;
        return;
    }
    kd_hit *t = &l->hit[l->nhit++];
    t->btn = btn;
    t->idx = idx;
    t->x = x;
    t->y = y;
    t->w = w;
    t->h = h;
}

const kd_hit *kd_hit_at(const kd_list *l, int x, int y)
{
    /* Later regions are drawn on top (an overlay's buttons), so search backwards. */
    for (int i = l->nhit - 1; i >= 0; i--) {
        const kd_hit *t = &l->hit[i];
        if (x >= t->x && x < t->x + t->w && y >= t->y && y < t->y + t->h)
            return t;
    }
    return NULL;
}

const kd_hit *kd_hit_find(const kd_list *l, enum kbtn btn, int idx)
{
    for (int i = l->nhit - 1; i >= 0; i--)
        if (l->hit[i].btn == btn && l->hit[i].idx == idx)
            return &l->hit[i];
    return NULL;
}

int kd_shows(const kd_list *l, const char *needle)
{
    for (int i = 0; i < l->ncmd; i++)
        if (l->cmd[i].type == KD_TEXT && strstr(l->cmd[i].text, needle))
            return 1;
    return 0;
}
