/*
 * camera.c: the verify station's frame sources (camera.h).
 *
 * Design: the caller polls.  A camera captures by itself into the driver's
 * few buffers; ikr_camera_next asks poll(2) whether a picture is waiting
 * and only then dequeues, so it never blocks a drawing loop.  When several
 * pictures waited (the kiosk polls every ~100 ms, a camera gives 30 a
 * second) the older ones are handed back unread: a verdict should be about
 * what is in front of the lens now, not 130 ms ago.  The picture is turned
 * to Y800 with zbar_image_convert, whatever the camera's own format (YUYV,
 * MJPEG, ...), and the camera keeps it until the next call.
 *
 * A sequence of files is read lazily, one file a call, bounded by
 * IKR_MAX_IMAGE_BYTES and ikr_image_load's own limits, so a folder of
 * large photos costs one picture of memory at a time.
 *
 * Nothing here is global: each source owns its zbar video object, its
 * current picture and its list of paths.
 */
#include "ikrar/camera.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/videodev2.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zbar.h>

#include "ikrar/image.h"

/* Pictures dequeued at most in one call when several waited (the newest is kept). */
#define CAMERA_DRAIN 8
#define CAMERA_PATH_MAX 4096

struct ikr_camera {
    int files; /* 1: a sequence of files; 0: a device */
    char **paths;
    size_t npaths, next;
    ikr_image img; /* the file shown last */
    zbar_video_t *vdo;
    zbar_image_t *grey; /* the camera's last picture, Y800 */
    char dev[256];
};

static unsigned long y800(void)
{
    return zbar_fourcc('Y', '8', '0', '0');
}

int ikr_camera_is_files(const ikr_camera *c)
{
    return c && c->files;
}

void ikr_camera_close(ikr_camera *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->npaths; i++)
        free(c->paths[i]);
    free(c->paths);
    ikr_image_free(&c->img);
    if (c->grey)
        zbar_image_destroy(c->grey);
    if (c->vdo) {
        zbar_video_enable(c->vdo, 0);
        zbar_video_destroy(c->vdo);
    }
    free(c);
}

/* ------------------------------------------------------------ devices */

/* The error for a device that failed with errno err at what. */
static int device_err(ikr_camera *c, int err, const char *what, ikr_err *e)
{
    const char *why = c->vdo ? zbar_video_error_string(c->vdo, 0) : NULL;
    if (err == EBUSY)
        return ikr_err_set(e, IKR_E_CAMERA_BUSY, "%s", c->dev);
    if (err == ENOENT || err == ENODEV || err == ENXIO)
        return ikr_err_set(e, IKR_E_CAMERA_NONE, "%s", c->dev);
    if (err == EACCES || err == EPERM)
        return ikr_err_set(e, IKR_E_CAMERA, "%s: %s (the kiosk's user needs the video group)",
                           c->dev, strerror(err));
    return ikr_err_set(e, IKR_E_CAMERA, "%s: %s%s%s", c->dev, what, why && *why ? ": " : "",
                       why && *why ? why : "");
}

int ikr_camera_open_device(ikr_camera **out, const char *path, ikr_err *e)
{
    *out = NULL;
    if (!path || !*path || strlen(path) >= sizeof((ikr_camera *)0)->dev)
        return ikr_err_set(e, IKR_E_CAMERA_NONE, "%s", path ? "(path too long)" : "(none)");
    struct stat st;
    if (stat(path, &st) != 0)
        return ikr_err_set(e, errno == EACCES ? IKR_E_CAMERA : IKR_E_CAMERA_NONE, "%s", path);
    if (!S_ISCHR(st.st_mode))
        return ikr_err_set(e, IKR_E_CAMERA, "%s: not a video device", path);
    ikr_camera *c = calloc(1, sizeof *c);
    if (!c)
        return ikr_err_set(e, IKR_E_NOMEM, NULL);
    snprintf(c->dev, sizeof c->dev, "%s", path);
    /* zbar would report a missing permission as a failed probe: say what it is. */
    if (access(path, R_OK | W_OK) != 0) {
        int rc = device_err(c, errno, "open", e);
        ikr_camera_close(c);
        return rc;
    }
    /*
     * Ask the device itself whether it captures video before zbar does:
     * libv4l2 writes its own complaints to stderr for anything else, and
     * the kiosk asks again every few seconds.
     */
    int fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        int rc = device_err(c, errno, "open", e);
        ikr_camera_close(c);
        return rc;
    }
    struct v4l2_capability cap;
    memset(&cap, 0, sizeof cap);
    int is_v4l2 = ioctl(fd, VIDIOC_QUERYCAP, &cap) == 0;
    uint32_t caps = cap.capabilities & V4L2_CAP_DEVICE_CAPS ? cap.device_caps : cap.capabilities;
    close(fd);
    if (!is_v4l2 || !(caps & V4L2_CAP_VIDEO_CAPTURE)) {
        ikr_camera_close(c);
        return ikr_err_set(e, IKR_E_CAMERA, "%s: not a V4L2 camera", path);
    }
    c->vdo = zbar_video_create();
    if (!c->vdo) {
        ikr_camera_close(c);
        return ikr_err_set(e, IKR_E_NOMEM, NULL);
    }
    zbar_video_request_size(c->vdo, IKR_CAMERA_WANT_W, IKR_CAMERA_WANT_H);
    errno = 0;
    int rc = IKR_OK;
    if (zbar_video_open(c->vdo, path) != 0)
        rc = device_err(c, errno, "not a V4L2 camera", e);
    else if (zbar_video_get_fd(c->vdo) < 0)
        /* Only V4L2 gives a descriptor to poll; without it every read could block. */
        rc = ikr_err_set(e, IKR_E_CAMERA, "%s: not a V4L2 camera", path);
    else if ((errno = 0, zbar_negotiate_format(c->vdo, NULL) != 0))
        rc = device_err(c, errno, "no picture format zbar can read", e);
    else if ((errno = 0, zbar_video_enable(c->vdo, 1) != 0))
        rc = device_err(c, errno, "could not start capturing", e);
    if (rc) {
        ikr_camera_close(c);
        return rc;
    }
    *out = c;
    return IKR_OK;
}

static int device_next(ikr_camera *c, ikr_frame *f, int *got, ikr_err *e)
{
    struct pollfd p = {zbar_video_get_fd(c->vdo), POLLIN, 0};
    zbar_image_t *img = NULL;
    for (int i = 0; i < CAMERA_DRAIN; i++) {
        p.revents = 0;
        int n = poll(&p, 1, 0);
        if (n < 0 && errno == EINTR)
            break;
        if (n < 0 || (p.revents & (POLLERR | POLLHUP | POLLNVAL)))
            /* The driver says the device went away (a USB camera pulled out). */
            return ikr_err_set(e, IKR_E_CAMERA, "%s: unplugged or stopped", c->dev);
        if (n == 0 || !(p.revents & POLLIN))
            break;
        if (img)
            zbar_image_destroy(img); /* an older picture: back to the driver */
        errno = 0;
        img = zbar_video_next_image(c->vdo);
        if (!img)
            return device_err(c, errno ? errno : EIO, "reading a picture", e);
    }
    if (!img)
        return IKR_OK;
    zbar_image_t *grey = zbar_image_convert(img, y800());
    unsigned long fmt = zbar_image_get_format(img);
    zbar_image_destroy(img);
    if (!grey)
        return ikr_err_set(e, IKR_E_CAMERA, "%s: pictures in format %.4s cannot be turned grey",
                           c->dev, (const char *)&fmt);
    unsigned w = zbar_image_get_width(grey), h = zbar_image_get_height(grey);
    if (w == 0 || h == 0 || w > IKR_CAMERA_MAX_SIDE || h > IKR_CAMERA_MAX_SIDE ||
        zbar_image_get_data_length(grey) < (unsigned long)w * h) {
        zbar_image_destroy(grey);
        return ikr_err_set(e, IKR_E_CAMERA, "%s: a picture of %ux%u", c->dev, w, h);
    }
    if (c->grey)
        zbar_image_destroy(c->grey);
    c->grey = grey;
    *f = (ikr_frame){zbar_image_get_data(grey), (int)w, (int)h, w};
    *got = 1;
    return IKR_OK;
}

/* ------------------------------------------------------------ files */

static int is_picture_name(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot && name[0] != '.' &&
           (strcasecmp(dot, ".png") == 0 || strcasecmp(dot, ".jpg") == 0 ||
            strcasecmp(dot, ".jpeg") == 0);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add_path(ikr_camera *c, const char *dir, const char *name, ikr_err *e)
{
    if (c->npaths >= IKR_CAMERA_MAX_FILES)
        return ikr_err_set(e, IKR_E_IO, "more than %d frame files", IKR_CAMERA_MAX_FILES);
    size_t nd = dir ? strlen(dir) : 0, nn = strlen(name), n = (dir ? nd + 1 : 0) + nn + 1;
    if (n > CAMERA_PATH_MAX)
        return ikr_err_set(e, IKR_E_IO, "%s: path too long", name);
    char *p = malloc(n);
    if (!p)
        return ikr_err_set(e, IKR_E_NOMEM, NULL);
    if (dir) {
        memcpy(p, dir, nd);
        p[nd++] = '/';
    }
    memcpy(p + nd, name, nn + 1);
    c->paths[c->npaths++] = p;
    return IKR_OK;
}

/* Adds a folder's pictures, in name order. */
static int add_dir(ikr_camera *c, const char *dir, ikr_err *e)
{
    DIR *d = opendir(dir);
    if (!d)
        return ikr_err_set(e, IKR_E_IO, "%s: %s", dir, strerror(errno));
    size_t first = c->npaths;
    int rc = IKR_OK;
    struct dirent *de;
    while (!rc && (de = readdir(d)) != NULL)
        if (is_picture_name(de->d_name))
            rc = add_path(c, dir, de->d_name, e);
    closedir(d);
    if (!rc)
        qsort(c->paths + first, c->npaths - first, sizeof *c->paths, by_name);
    return rc;
}

int ikr_camera_open_files(ikr_camera **out, const char *const *paths, size_t n, ikr_err *e)
{
    *out = NULL;
    ikr_camera *c = calloc(1, sizeof *c);
    if (!c || !(c->paths = calloc(IKR_CAMERA_MAX_FILES, sizeof *c->paths))) {
        free(c);
        return ikr_err_set(e, IKR_E_NOMEM, NULL);
    }
    c->files = 1;
    int rc = IKR_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        struct stat st;
        if (stat(paths[i], &st) != 0)
            rc = ikr_err_set(e, IKR_E_IO, "%s: %s", paths[i], strerror(errno));
        else if (S_ISDIR(st.st_mode))
            rc = add_dir(c, paths[i], e);
        else
            rc = add_path(c, NULL, paths[i], e);
    }
    if (!rc && c->npaths == 0)
        rc = ikr_err_set(e, IKR_E_IO, "%s: no PNG or JPEG frames", n ? paths[0] : "(none)");
    if (rc) {
        ikr_camera_close(c);
        return rc;
    }
    *out = c;
    return IKR_OK;
}

/* Reads the whole file at path, at most IKR_MAX_IMAGE_BYTES, into *p (caller frees). */
static int slurp(const char *path, uint8_t **p, size_t *n, ikr_err *e)
{
    *p = NULL;
    *n = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        int err = errno;
        if (fd >= 0)
            close(fd);
        return ikr_err_set(e, IKR_E_IO, "%s: %s", path, strerror(err));
    }
    if (!S_ISREG(st.st_mode) || st.st_size <= 0 || (uint64_t)st.st_size > IKR_MAX_IMAGE_BYTES) {
        close(fd);
        return ikr_err_set(e, IKR_E_IMAGE, "%s: not a picture file of 1 to %u bytes", path,
                           (unsigned)IKR_MAX_IMAGE_BYTES);
    }
    size_t want = (size_t)st.st_size, have = 0;
    uint8_t *buf = malloc(want);
    if (!buf) {
        close(fd);
        return ikr_err_set(e, IKR_E_NOMEM, NULL);
    }
    while (have < want) {
        ssize_t r = read(fd, buf + have, want - have);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        have += (size_t)r;
    }
    close(fd);
    *p = buf;
    *n = have;
    return IKR_OK;
}

static int files_next(ikr_camera *c, ikr_frame *f, int *got, ikr_err *e)
{
    if (c->next >= c->npaths)
        return IKR_OK; /* all shown: the lens sees nothing new */
    const char *path = c->paths[c->next++];
    uint8_t *data;
    size_t n;
    int rc = slurp(path, &data, &n, e);
    if (rc)
        return rc;
    ikr_image_free(&c->img);
    ikr_err inner;
    ikr_err_clear(&inner);
    rc = ikr_image_load(&c->img, data, n, &inner);
    free(data);
    if (rc)
        return ikr_err_set(e, rc, "%s (%s)", path, inner.detail);
    *f = (ikr_frame){c->img.px, c->img.w, c->img.h, (size_t)c->img.w};
    *got = 1;
    return IKR_OK;
}

int ikr_camera_next(ikr_camera *c, ikr_frame *f, int *got, ikr_err *e)
{
    *got = 0;
    memset(f, 0, sizeof *f);
    return c->files ? files_next(c, f, got, e) : device_next(c, f, got, e);
}
