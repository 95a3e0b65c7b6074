/*
 * event.h: the plain data that goes in and out of a kiosk's data folder:
 * what `ikrar init` is given, what a signer enters, what a signing gives
 * back, and the event as a read-only description.
 *
 * Why apart from station.h: the station itself is opaque (its store, key
 * and folder stay in station.c), so everything a caller is meant to see
 * of it lives here as structs with no behaviour.  station.h includes this
 * header, so including station.h is enough.
 */
#ifndef IKRAR_EVENT_H
#define IKRAR_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "hash.h"
#include "limits.h"

/* What `ikrar init` is given. declaration NULL means the built-in text. */
typedef struct ikr_station_cfg {
    const char *event_id;
    const char *title;
    const char *kiosk;
    const char *declaration;
    size_t declaration_len;
    const char *pin;
    const char *passphrase; /* NULL: the key file is not encrypted */
    const char *organizer;  /* optional: who holds the event */
    const char *place;      /* optional: where */
    const char *when;       /* optional: the date as people write it, e.g. "30 September 2024" */
    const char *zone;       /* optional: "WIB" (default), "WITA" or "WIT": how times are shown */
} ikr_station_cfg;

/*
 * The event of an open data folder, as read when it was opened.  Points
 * into the station: valid until ikr_station_close.  Optional fields that
 * were not given are "".
 */
typedef struct ikr_event_info {
    char event[IKR_MAX_EVENT_ID + 1];
    char kiosk[IKR_MAX_KIOSK_NAME + 1];
    char origin[IKR_MAX_ORIGIN + 1]; /* "ikrar/EVENT/KIOSK": the log's name */
    const char *title;               /* NUL-terminated */
    char organizer[IKR_MAX_TITLE + 1];
    char place[IKR_MAX_TITLE + 1];
    char when[IKR_MAX_TITLE + 1];
    const char *decl; /* the declaration text, NUL-terminated */
    size_t decl_len;
    uint8_t decl_hash[IKR_HASH_LEN];
    int zone_min; /* the kiosk's time zone, minutes east of UTC (zone.h) */
} ikr_event_info;

/* What a signer enters, raw: any lengths, any bytes; checked by ikr_form_check. */
typedef struct ikr_form {
    const char *name;
    int status;      /* IKR_STATUS_*, or -1 when not chosen */
    const char *nip; /* may hold spaces, as NIPs are often printed */
    const char *pos;
    const char *unit;
} ikr_form;

/* The result of a signing. */
typedef struct ikr_signed {
    uint64_t seq;
    uint64_t t;
    uint8_t leaf[IKR_HASH_LEN];
    uint8_t root[IKR_HASH_LEN];
    ikr_buf receipt; /* receipt text, NUL-terminated; caller frees */
} ikr_signed;

#endif
