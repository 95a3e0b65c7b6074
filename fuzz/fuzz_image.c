/*
 * fuzz_image: image files come from anyone (a photo sent by chat).  Any
 * bytes go through ikr_image_load; whatever decodes must be within the
 * limits and go through the QR scanner without harm, and a refusal must
 * say why.  The scanner is only run on small pictures to keep runs fast.
 */
#include <stdlib.h>

#include "ikrar/image.h"
#include "ikrar/scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ikr_image img;
    ikr_err e;
    ikr_err_clear(&e);
    if (ikr_image_load(&img, data, size, &e) == 0) {
        if (img.w < 1 || img.h < 1 || img.w > IKR_MAX_IMAGE_SIDE || img.h > IKR_MAX_IMAGE_SIDE ||
            (size_t)img.w * (size_t)img.h > IKR_MAX_IMAGE_PIXELS || !img.px)
            abort();
        if ((size_t)img.w * (size_t)img.h <= 512 * 512) {
            ikr_scanner *sc = NULL;
            ikr_scan_result *res = malloc(sizeof *res);
            ikr_frame f = {img.px, img.w, img.h, (size_t)img.w};
            if (res && ikr_scanner_new(&sc, NULL) == 0) {
                int rc = ikr_scan_frame(sc, &f, res, NULL);
                if (rc == 0 && (res->n == 0 || res->n > IKR_SCAN_MAX_CODES))
                    abort();
            }
            ikr_scanner_free(sc);
            free(res);
        }
        ikr_image_free(&img);
    } else if (e.code == IKR_OK || img.px) {
        abort();
    }
    return 0;
}
