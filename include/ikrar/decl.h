/*
 * decl.h: the built-in declaration of ASN neutrality, used when an event is
 * set up without its own text.
 */
#ifndef IKRAR_DECL_H
#define IKRAR_DECL_H

/* The default declaration, UTF-8 Indonesian, ending in a newline. */
const char *ikr_decl_default(void);

#endif
