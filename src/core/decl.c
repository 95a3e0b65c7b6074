/*
 * decl.c: the built-in declaration of ASN neutrality, shown and signed when
 * an event is set up without its own text.
 *
 * The text lives in assets/declarations/netralitas-asn.id.txt, where it
 * reads as text and is installed for people to see; the build embeds its
 * bytes here (cmake/embed.cmake), so the core never looks for a file and
 * the declaration's hash stays what the file's bytes make.
 *
 * The text is ours, written from the commitments such declarations make in
 * Indonesian regions (neutral service around Pemilu and Pilkada; no conflict
 * of interest, intimidation or taking sides; no campaigning; careful use of
 * social media; no money politics) and the rules behind them.  Invariants:
 * valid UTF-8, plain ASCII punctuation so every kiosk font has the glyphs,
 * far under IKR_MAX_DECL, one screen of scrolling, ending in one newline.
 * Changing it changes what new signers sign; events already set up keep the
 * text they were created with.
 */
#include "ikrar/decl.h"

/* default_decl[]: assets/declarations/netralitas-asn.id.txt, embedded by cmake/embed.cmake. */
#include "decl_text.h"

const char *ikr_decl_default(void)
{
    return default_decl;
}
