/*
 * camera.h: where the verify station's pictures come from.  One interface,
 * "the next greyscale frame", over two sources:
 *
 *  - a V4L2 camera (/dev/videoN) through zbar's video API, its pictures
 *    converted to 8-bit grey (Y800).  ikr_camera_next never waits for the
 *    camera: it takes the newest picture already captured, or says there is
 *    none yet, so a kiosk can poll it from its drawing loop;
 *  - a sequence of PNG or JPEG files (a folder is its *.png, *.jpg and
 *    *.jpeg files in name order), one file a call, for tests and for demos
 *    without a camera.  After the last file the source has nothing new.
 *
 * Either way the frame goes to the same decoder, ikr_scan_frame.  Errors
 * are values: IKR_E_CAMERA_NONE (no such device), IKR_E_CAMERA_BUSY
 * (another program holds it), IKR_E_CAMERA (not a camera, unplugged, no
 * picture it can give in grey), IKR_E_IMAGE for a frame file that is not a
 * readable picture, IKR_E_IO for a frames path that cannot be read.
 */
#ifndef IKRAR_CAMERA_H
#define IKRAR_CAMERA_H

#include <stddef.h>

#include "err.h"
#include "scan.h"

#define IKR_CAMERA_MAX_FILES 1000 /* frame files in one sequence */
#define IKR_CAMERA_MAX_SIDE 4096  /* px: camera pictures larger than this are refused */
/*
 * The size asked of a camera (drivers may pick another): a receipt held up
 * fills half its height, 3 px a module, and a frame without a code costs
 * the decoder (every view) ~50 ms here against ~120-200 ms at 1280x720.
 */
#define IKR_CAMERA_WANT_W 640
#define IKR_CAMERA_WANT_H 480

typedef struct ikr_camera ikr_camera;

/* Opens the V4L2 device at path (e.g. "/dev/video0") and starts capturing. */
int ikr_camera_open_device(ikr_camera **out, const char *path, ikr_err *e);

/*
 * A source over the picture files paths[0..n): each a file or a folder
 * (expanded to its pictures in name order).  Files are read only when
 * their turn comes.
 */
int ikr_camera_open_files(ikr_camera **out, const char *const *paths, size_t n, ikr_err *e);

/* Accepts NULL. */
void ikr_camera_close(ikr_camera *c);

/*
 * Takes the next frame without waiting.  Returns IKR_OK with *got 1 and f
 * pointing into the camera's own buffer (valid until the next call or
 * close), IKR_OK with *got 0 when nothing new is there yet (or the files
 * are all shown), or an error.  After IKR_E_CAMERA from a device the
 * source is dead: close it and open again later.
 */
int ikr_camera_next(ikr_camera *c, ikr_frame *f, int *got, ikr_err *e);

/* 1 when the source is a sequence of files. */
int ikr_camera_is_files(const ikr_camera *c);

#endif
