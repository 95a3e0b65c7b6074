/*
 * palette.c: the high-contrast mode (palette.h).  The table repeats
 * screens.c's colours; test_kiosk_access draws every screen and fails when
 * one of them uses a colour this table does not know, so the two cannot
 * drift apart silently.
 */
#include "palette.h"

#include <math.h>

#define RGB(r, g, b)                                                                               \
    {                                                                                              \
        r, g, b, 255                                                                               \
    }

static const struct {
    kd_color normal, fill, text;
} roles[PAL_COUNT] = {
    /* normal                   high contrast: as a fill    as text */
    [PAL_BG] = {RGB(245, 246, 248), RGB(0, 0, 0), RGB(255, 255, 255)},
    [PAL_PANEL] = {RGB(255, 255, 255), RGB(0, 0, 0), RGB(0, 0, 0)},
    [PAL_TEXT] = {RGB(26, 29, 35), RGB(255, 255, 255), RGB(255, 255, 255)},
    [PAL_MUTED] = {RGB(88, 96, 110), RGB(230, 230, 230), RGB(230, 230, 230)},
    [PAL_ACCENT] = {RGB(11, 92, 173), RGB(255, 221, 0), RGB(255, 221, 0)},
    [PAL_ACCENT_DOWN] = {RGB(6, 60, 117), RGB(255, 170, 0), RGB(255, 170, 0)},
    [PAL_LINE] = {RGB(196, 202, 211), RGB(200, 200, 200), RGB(200, 200, 200)},
    [PAL_DISABLED] = {RGB(214, 218, 224), RGB(48, 48, 48), RGB(204, 204, 204)},
    [PAL_DISABLED_TEXT] = {RGB(104, 111, 123), RGB(204, 204, 204), RGB(204, 204, 204)},
    [PAL_ERROR] = {RGB(179, 38, 30), RGB(255, 140, 140), RGB(255, 140, 140)},
    [PAL_OK] = {RGB(22, 122, 60), RGB(120, 230, 120), RGB(120, 230, 120)},
    [PAL_SHADE] = {{0, 0, 0, 150}, {0, 0, 0, 220}, {0, 0, 0, 220}},
    [PAL_INK] = {RGB(16, 32, 90), RGB(255, 255, 255), RGB(255, 255, 255)},
    [PAL_NOTE] = {RGB(231, 240, 250), RGB(0, 30, 80), RGB(255, 255, 255)},
    [PAL_WARN] = {RGB(138, 76, 0), RGB(255, 200, 80), RGB(255, 200, 80)},
};

kd_color pal_normal(int role)
{
    return roles[role].normal;
}

kd_color pal_hc_fill(int role)
{
    return roles[role].fill;
}

kd_color pal_hc_text(int role)
{
    return roles[role].text;
}

static int same(kd_color a, kd_color b)
{
    return a.r == b.r && a.g == b.g && a.b == b.b && a.a == b.a;
}

int pal_role_of(kd_color c)
{
    for (int i = 0; i < PAL_COUNT; i++)
        if (same(c, roles[i].normal))
            return i;
    return -1;
}

double pal_luminance(kd_color c)
{
    const double v[3] = {c.r / 255.0, c.g / 255.0, c.b / 255.0};
    double lin[3];
    for (int i = 0; i < 3; i++)
        lin[i] = v[i] <= 0.04045 ? v[i] / 12.92 : pow((v[i] + 0.055) / 1.055, 2.4);
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
}

double pal_contrast(kd_color a, kd_color b)
{
    double la = pal_luminance(a), lb = pal_luminance(b);
    return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

/*
 * A colour the table does not know (a screen added one and not here): light
 * ones become black and dark ones white, so that nothing stays dark on the
 * black background, and its alpha is kept.
 */
static kd_color unknown(kd_color c)
{
    kd_color out = pal_luminance(c) > 0.4 ? (kd_color)RGB(0, 0, 0) : (kd_color)RGB(255, 255, 255);
    out.a = c.a;
    return out;
}

static kd_color map(kd_color c, int text)
{
    int role = pal_role_of(c);
    if (role < 0)
        return unknown(c);
    return text ? roles[role].text : roles[role].fill;
}

void pal_high_contrast(kd_list *l)
{
    l->clear = map(l->clear, 0);
    for (int i = 0; i < l->ncmd; i++) {
        kd_cmd *c = &l->cmd[i];
        switch (c->type) {
        case KD_TEXT:
        case KD_INK:
            c->color = map(c->color, 1);
            break;
        case KD_RECT:
        case KD_BORDER:
            c->color = map(c->color, 0);
            break;
        default: /* QR codes keep their black on white; images and clips have no colour */
            break;
        }
    }
}
