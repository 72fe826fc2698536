/*
 * hbadiff guest agent: serves the protocol of docs/agent-protocol.md on a serial port.
 *
 * Build: gcc -static -Os -Wall -Wextra -Werror -o agent guests/agent/agent.c
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <scsi/sg.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/reboot.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

/* glibc's <scsi/sg.h> predates the target reset the kernel added in 3.x. */
#ifndef SG_SCSI_RESET_TARGET
#define SG_SCSI_RESET_TARGET 4
#endif

#define PROTOCOL_VERSION 8u

/* Linux's <scsi/sg.h> has it since 3.19; glibc's copy of the header does not. */
#ifndef SG_SCSI_RESET_NO_ESCALATE
#define SG_SCSI_RESET_NO_ESCALATE 0x100
#endif
#define AGENT_VERSION "2.2.0"

#define MAX_PAYLOAD 0x01000000u
#define MARKER "~HBAD "
#define MARKER_LENGTH 6
#define LENGTH_FIELD_END 14 /* marker, 8 hex digits */
#define HEADER_LENGTH 24    /* marker, 8 hex digits, space, 8 hex digits, space */
#define MAX_STR 0xFFFFu
#define SENSE_CAPACITY 252
#define READ_CHUNK 65536
#define KMSG_RECORD_MAX 8192 /* the kernel's CONSOLE_EXT_LOG_MAX */
#define SYSLOG_ACTION_CONSOLE_LEVEL 8
#define QUIET_CONSOLE_LEVEL 1

enum message_type {
    MSG_LIST = 0x01,
    MSG_EXEC = 0x02,
    MSG_RESET = 0x03,
    MSG_KLOG = 0x04,
    MSG_POWEROFF = 0x05,
    MSG_ECHO = 0x06,
    MSG_LOOP = 0x07,
    MSG_RUN = 0x08,
    MSG_HELLO = 0x81,
    MSG_LIST_REPLY = 0x82,
    MSG_EXEC_REPLY = 0x83,
    MSG_RESET_REPLY = 0x84,
    MSG_KLOG_REPLY = 0x85,
    MSG_POWEROFF_REPLY = 0x86,
    MSG_ECHO_REPLY = 0x87,
    MSG_LOOP_REPLY = 0x88,
    MSG_PROGRESS = 0x89,
    MSG_RUN_REPLY = 0x8A,
    MSG_ERROR = 0xFF,
};

enum direction { DIRECTION_NONE = 0, DIRECTION_FROM_DEVICE = 1, DIRECTION_TO_DEVICE = 2 };

enum exec_flag { EXEC_FLAG_DIGEST_ONLY = 0x01, EXEC_FLAG_QUEUED = 0x02, EXEC_FLAG_RESET = 0x04 };
#define EXEC_FLAGS_KNOWN (EXEC_FLAG_DIGEST_ONLY | EXEC_FLAG_QUEUED | EXEC_FLAG_RESET)

/*
 * The SG_SCSI_RESET operation of each reset kind (0 device, 1 target, 2 bus, 3 host), never escalated by the
 * kernel to the next (SG_SCSI_RESET_NO_ESCALATE): escalation is Linux's error handling, not the HBA's, and it
 * hid which reset an HBA took (megaraid_sas has no device, target or bus reset, so every kind became a host
 * reset and its 10 s settle).
 */
static const int reset_operations[] = {
    SG_SCSI_RESET_DEVICE | SG_SCSI_RESET_NO_ESCALATE, SG_SCSI_RESET_TARGET | SG_SCSI_RESET_NO_ESCALATE,
    SG_SCSI_RESET_BUS | SG_SCSI_RESET_NO_ESCALATE, SG_SCSI_RESET_HOST };
#define RESET_KINDS (sizeof reset_operations / sizeof reset_operations[0])
/* The most commands one queued run keeps in flight at once. */
#define QUEUED_MAX 256

static int input_fd = -1;
static int output_fd = -1;
static bool stdio_mode;
static int kmsg_fd = -1;

/* ---- CRC-32 and base64 ---- */

static uint32_t crc_table[256];

static void crc32_init(void)
{
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[n] = c;
    }
}

static uint32_t crc32(const uint8_t *data, size_t length)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < length; i++)
        c = crc_table[(c ^ data[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

static const char base64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int base64_value(uint8_t c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

static size_t base64_length(size_t length)
{
    return 4 * ((length + 2) / 3);
}

static void base64_encode(const uint8_t *data, size_t length, char *out)
{
    size_t i = 0;
    for (; i + 3 <= length; i += 3) {
        uint32_t v = (uint32_t)data[i] << 16 | (uint32_t)data[i + 1] << 8 | data[i + 2];
        *out++ = base64_alphabet[v >> 18];
        *out++ = base64_alphabet[(v >> 12) & 63];
        *out++ = base64_alphabet[(v >> 6) & 63];
        *out++ = base64_alphabet[v & 63];
    }
    if (length - i == 1) {
        uint32_t v = (uint32_t)data[i] << 16;
        *out++ = base64_alphabet[v >> 18];
        *out++ = base64_alphabet[(v >> 12) & 63];
        *out++ = '=';
        *out++ = '=';
    } else if (length - i == 2) {
        uint32_t v = (uint32_t)data[i] << 16 | (uint32_t)data[i + 1] << 8;
        *out++ = base64_alphabet[v >> 18];
        *out++ = base64_alphabet[(v >> 12) & 63];
        *out++ = base64_alphabet[(v >> 6) & 63];
        *out++ = '=';
    }
}

/*
 * Decodes exactly base64_length(length) characters whose alphabet and padding the caller has
 * checked. Fails when unused bits of the last group are set, so that each payload has exactly one
 * encoding.
 */
static bool base64_decode(const uint8_t *text, size_t length, uint8_t *out)
{
    size_t o = 0;
    for (size_t i = 0; o < length; i += 4) {
        uint32_t v = (uint32_t)base64_value(text[i]) << 18 | (uint32_t)base64_value(text[i + 1]) << 12;
        size_t left = length - o;
        if (left >= 2) v |= (uint32_t)base64_value(text[i + 2]) << 6;
        if (left >= 3) v |= (uint32_t)base64_value(text[i + 3]);
        out[o++] = (uint8_t)(v >> 16);
        if (left == 1 && (v & 0xFFFF)) return false;
        if (left >= 2) out[o++] = (uint8_t)(v >> 8);
        if (left == 2 && (v & 0xFF)) return false;
        if (left >= 3) out[o++] = (uint8_t)v;
    }
    return true;
}

static int hex_value(uint8_t c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static uint32_t parse_hex8(const uint8_t *text)
{
    uint32_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 4 | (uint32_t)hex_value(text[i]);
    return v;
}

/* ---- output ---- */

static bool write_all(int fd, const void *data, size_t length)
{
    const uint8_t *p = data;
    while (length > 0) {
        ssize_t n = write(fd, p, length);
        if (n > 0) {
            p += n;
            length -= (size_t)n;
        } else if (n == 0 || errno == EAGAIN) {
            struct pollfd pfd = { .fd = fd, .events = POLLOUT };
            poll(&pfd, 1, -1);
        } else if (errno != EINTR) {
            return false;
        }
    }
    return true;
}

static void send_frame(const uint8_t *payload, size_t length)
{
    size_t encoded = base64_length(length);
    char *frame = malloc(HEADER_LENGTH + encoded + 1);
    if (!frame) return;
    snprintf(frame, HEADER_LENGTH + 1, MARKER "%08x %08x ", (unsigned)length, (unsigned)crc32(payload, length));
    base64_encode(payload, length, frame + HEADER_LENGTH);
    frame[HEADER_LENGTH + encoded] = '\n';
    write_all(output_fd, frame, HEADER_LENGTH + encoded + 1);
    free(frame);
}

/* A growable message buffer; after an allocation failure it ignores writes and reports failed. */
struct writer {
    uint8_t *data;
    size_t length, capacity;
    bool failed;
};

static uint8_t *writer_take(struct writer *w, size_t n)
{
    if (w->failed) return NULL;
    if (w->capacity - w->length < n) {
        size_t capacity = w->capacity ? w->capacity : 256;
        while (capacity - w->length < n) capacity *= 2;
        uint8_t *data = realloc(w->data, capacity);
        if (!data) {
            w->failed = true;
            return NULL;
        }
        w->data = data;
        w->capacity = capacity;
    }
    uint8_t *p = w->data + w->length;
    w->length += n;
    return p;
}

static void put_bytes(struct writer *w, const void *data, size_t n)
{
    uint8_t *p = writer_take(w, n);
    if (p && n) memcpy(p, data, n);
}

static void put_u8(struct writer *w, uint8_t v)
{
    put_bytes(w, &v, 1);
}

static void put_u16(struct writer *w, uint16_t v)
{
    uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };
    put_bytes(w, b, 2);
}

static void put_u32(struct writer *w, uint32_t v)
{
    uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
    put_bytes(w, b, 4);
}

static void put_i32(struct writer *w, int32_t v)
{
    put_u32(w, (uint32_t)v);
}

static void put_u64(struct writer *w, uint64_t v)
{
    put_u32(w, (uint32_t)v);
    put_u32(w, (uint32_t)(v >> 32));
}

static void put_str(struct writer *w, const char *s, size_t length)
{
    if (length > MAX_STR) length = MAX_STR;
    put_u16(w, (uint16_t)length);
    put_bytes(w, s, length);
}

static void put_cstr(struct writer *w, const char *s)
{
    put_str(w, s, strlen(s));
}

static void put_bytes32(struct writer *w, const void *data, size_t length)
{
    put_u32(w, (uint32_t)length);
    put_bytes(w, data, length);
}

static void patch_u16(struct writer *w, size_t offset, uint16_t v)
{
    if (w->failed) return;
    w->data[offset] = (uint8_t)v;
    w->data[offset + 1] = (uint8_t)(v >> 8);
}

static void patch_u32(struct writer *w, size_t offset, uint32_t v)
{
    if (w->failed) return;
    for (int i = 0; i < 4; i++) w->data[offset + i] = (uint8_t)(v >> (8 * i));
}

static void begin_message(struct writer *w, uint8_t type, uint32_t seq)
{
    *w = (struct writer){ 0 };
    put_u8(w, type);
    put_u32(w, seq);
}

static void send_error(uint32_t seq, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

static void send_error(uint32_t seq, const char *format, ...)
{
    char message[256];
    va_list args;
    va_start(args, format);
    vsnprintf(message, sizeof message, format, args);
    va_end(args);

    struct writer w;
    begin_message(&w, MSG_ERROR, seq);
    put_cstr(&w, message);
    if (!w.failed) send_frame(w.data, w.length);
    free(w.data);
}

static void finish_message(struct writer *w, uint32_t seq)
{
    if (w->failed)
        send_error(seq, "out of memory building the reply");
    else if (w->length > MAX_PAYLOAD)
        send_error(seq, "reply of %zu bytes exceeds the maximum payload", w->length);
    else
        send_frame(w->data, w->length);
    free(w->data);
    *w = (struct writer){ 0 };
}

/* ---- payload reading ---- */

struct reader {
    const uint8_t *data;
    size_t length, position;
    bool overrun;
};

struct slice {
    const uint8_t *data;
    size_t length;
};

static const uint8_t *take(struct reader *r, size_t n)
{
    if (r->overrun || r->length - r->position < n) {
        r->overrun = true;
        return NULL;
    }
    const uint8_t *p = r->data + r->position;
    r->position += n;
    return p;
}

static uint8_t get_u8(struct reader *r)
{
    const uint8_t *p = take(r, 1);
    return p ? p[0] : 0;
}

static uint16_t get_u16(struct reader *r)
{
    const uint8_t *p = take(r, 2);
    return p ? (uint16_t)(p[0] | p[1] << 8) : 0;
}

static uint32_t get_u32(struct reader *r)
{
    const uint8_t *p = take(r, 4);
    return p ? (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24 : 0;
}

static struct slice get_slice(struct reader *r, size_t length)
{
    const uint8_t *p = take(r, length);
    return (struct slice){ p, p ? length : 0 };
}

static struct slice get_str(struct reader *r)
{
    return get_slice(r, get_u16(r));
}

static struct slice get_bytes32(struct reader *r)
{
    return get_slice(r, get_u32(r));
}

/* Reports a truncated or over-long body; true when the body was consumed exactly. */
static bool body_complete(struct reader *r, uint32_t seq, const char *request)
{
    if (r->overrun) {
        send_error(seq, "malformed %s request: truncated body", request);
        return false;
    }
    if (r->position != r->length) {
        send_error(seq, "malformed %s request: %zu trailing bytes", request, r->length - r->position);
        return false;
    }
    return true;
}

/* ---- sg device file descriptors, kept open per path ---- */

struct open_device {
    char *path;
    int fd;
};

static struct open_device *open_devices;
static size_t open_device_count, open_device_capacity;

/* Returns the descriptor for the device path, or -1 with *error set. */
static int device_fd(struct slice path, int *error)
{
    char name[PATH_MAX];
    if (path.length == 0) {
        *error = ENOENT;
        return -1;
    }
    if (path.length >= sizeof name) {
        *error = ENAMETOOLONG;
        return -1;
    }
    if (memchr(path.data, 0, path.length)) {
        *error = EINVAL;
        return -1;
    }
    memcpy(name, path.data, path.length);
    name[path.length] = 0;

    for (size_t i = 0; i < open_device_count; i++)
        if (strcmp(open_devices[i].path, name) == 0) return open_devices[i].fd;

    if (open_device_count == open_device_capacity) {
        size_t capacity = open_device_capacity ? open_device_capacity * 2 : 8;
        struct open_device *grown = realloc(open_devices, capacity * sizeof *grown);
        if (!grown) {
            *error = ENOMEM;
            return -1;
        }
        open_devices = grown;
        open_device_capacity = capacity;
    }
    char *copy = strdup(name);
    if (!copy) {
        *error = ENOMEM;
        return -1;
    }
    /* O_NONBLOCK only keeps open() from waiting on exclusive users; SG_IO itself still blocks. */
    int fd = open(name, O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        *error = errno;
        free(copy);
        return -1;
    }
    open_devices[open_device_count++] = (struct open_device){ copy, fd };
    return fd;
}

/* A device that went away keeps failing on its old descriptor; reopen it next time. */
static void forget_device_fd(int fd)
{
    for (size_t i = 0; i < open_device_count; i++) {
        if (open_devices[i].fd != fd) continue;
        close(fd);
        free(open_devices[i].path);
        open_devices[i] = open_devices[--open_device_count];
        return;
    }
}

static void forget_if_gone(int fd, int error)
{
    if (error == ENODEV || error == ENXIO) forget_device_fd(fd);
}

/* ---- HELLO ---- */

static void send_hello(void)
{
    struct utsname names;
    if (uname(&names) != 0) names.release[0] = 0;
    struct writer w;
    begin_message(&w, MSG_HELLO, 0);
    put_u32(&w, PROTOCOL_VERSION);
    put_cstr(&w, names.release);
    put_cstr(&w, AGENT_VERSION);
    finish_message(&w, 0);
}

/* ---- LIST ---- */

#define SG_CLASS_DIR "/sys/class/scsi_generic"

/* Reads a small sysfs attribute without its trailing whitespace; empty when unreadable. */
static size_t read_attribute(const char *path, char *out, size_t capacity)
{
    out[0] = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    size_t length = 0;
    while (length < capacity - 1) {
        ssize_t n = read(fd, out + length, capacity - 1 - length);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        length += (size_t)n;
    }
    close(fd);
    while (length > 0 && (out[length - 1] == ' ' || out[length - 1] == '\n' || out[length - 1] == '\t' ||
                          out[length - 1] == '\r'))
        length--;
    out[length] = 0;
    return length;
}

static bool parse_u32(const char **text, uint32_t *value)
{
    const char *p = *text;
    uint64_t v = 0;
    if (*p < '0' || *p > '9') return false;
    while (*p >= '0' && *p <= '9') {
        v = v * 10 + (uint64_t)(*p++ - '0');
        if (v > UINT32_MAX) return false;
    }
    *text = p;
    *value = (uint32_t)v;
    return true;
}

/* "H:C:T:L", the name of the SCSI device the sg node belongs to. */
static bool parse_scsi_address(const char *text, uint32_t address[4])
{
    for (int i = 0; i < 4; i++) {
        if (!parse_u32(&text, &address[i])) return false;
        if (*text++ != (i < 3 ? ':' : 0)) return false;
    }
    return true;
}

#define BLOCK_NODE_CAPACITY (sizeof "/dev/" + sizeof ((struct dirent *)0)->d_name)

static void find_block_node(const char *sg_name, char out[BLOCK_NODE_CAPACITY])
{
    char path[PATH_MAX];
    out[0] = 0;
    snprintf(path, sizeof path, SG_CLASS_DIR "/%s/device/block", sg_name);
    DIR *dir = opendir(path);
    if (!dir) return;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        if (entry->d_name[0] == '.') continue;
        snprintf(out, BLOCK_NODE_CAPACITY, "/dev/%s", entry->d_name);
        break;
    }
    closedir(dir);
}

static bool put_device(struct writer *w, const char *sg_name)
{
    char path[PATH_MAX], link[PATH_MAX], text[256], block_node[BLOCK_NODE_CAPACITY];
    uint32_t address[4];

    snprintf(path, sizeof path, SG_CLASS_DIR "/%s/device", sg_name);
    ssize_t n = readlink(path, link, sizeof link - 1);
    if (n < 0) return false;
    link[n] = 0;
    const char *device_name = strrchr(link, '/');
    if (!parse_scsi_address(device_name ? device_name + 1 : link, address)) return false;

    snprintf(path, sizeof path, "/dev/%s", sg_name);
    put_cstr(w, path);
    for (int i = 0; i < 4; i++) put_u32(w, address[i]);

    snprintf(path, sizeof path, SG_CLASS_DIR "/%s/device/type", sg_name);
    read_attribute(path, text, sizeof text);
    const char *type_text = text;
    uint32_t type;
    put_u8(w, parse_u32(&type_text, &type) && type <= 0xFF ? (uint8_t)type : 0x1F);

    /* The driver bound to the device the SCSI host sits on (a PCI function, a virtio device, a USB interface):
     * unlike proc_name, which some host templates leave unset, it always names the driver, one for each HBA kind. */
    snprintf(path, sizeof path, "/sys/class/scsi_host/host%u/device/../driver", (unsigned)address[0]);
    n = readlink(path, link, sizeof link - 1);
    link[n < 0 ? 0 : n] = 0;
    const char *driver_name = strrchr(link, '/');
    put_cstr(w, driver_name ? driver_name + 1 : link);
    static const char *const identity[] = { "vendor", "model", "rev" };
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, SG_CLASS_DIR "/%s/device/%s", sg_name, identity[i]);
        put_str(w, text, read_attribute(path, text, sizeof text));
    }

    find_block_node(sg_name, block_node);
    put_cstr(w, block_node);
    return true;
}

static int compare_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static void handle_list(struct reader *r, uint32_t seq)
{
    if (!body_complete(r, seq, "LIST")) return;

    uint32_t *numbers = NULL;
    size_t count = 0, capacity = 0;
    DIR *dir = opendir(SG_CLASS_DIR);
    struct dirent *entry;
    while (dir && (entry = readdir(dir)) != NULL && count < UINT16_MAX) {
        const char *digits = entry->d_name + 2;
        uint32_t number;
        if (strncmp(entry->d_name, "sg", 2) != 0 || !parse_u32(&digits, &number) || *digits) continue;
        if (count == capacity) {
            capacity = capacity ? capacity * 2 : 16;
            uint32_t *grown = realloc(numbers, capacity * sizeof *grown);
            if (!grown) break;
            numbers = grown;
        }
        numbers[count++] = number;
    }
    if (dir) closedir(dir);
    if (count) qsort(numbers, count, sizeof *numbers, compare_u32);

    struct writer w;
    begin_message(&w, MSG_LIST_REPLY, seq);
    size_t count_offset = w.length;
    put_u16(&w, 0);
    uint16_t listed = 0;
    for (size_t i = 0; i < count; i++) {
        char sg_name[16];
        snprintf(sg_name, sizeof sg_name, "sg%u", (unsigned)numbers[i]);
        if (put_device(&w, sg_name)) listed++;
    }
    patch_u16(&w, count_offset, listed);
    free(numbers);
    finish_message(&w, seq);
}

/* ---- kernel log ---- */

/* level, sequence, timestampUs, text length */
#define KLOG_RECORD_FIXED_SIZE (1 + 8 + 8 + 2)
#define COMMAND_LOG_MAX_RECORDS 64
#define COMMAND_LOG_MAX_TEXT 16384
/* Bounds what the agent holds for a host that never sends KLOG: 8 times Debian's kernel log buffer (128 KiB). */
#define HELD_LOG_MAX_RECORDS 16384
#define HELD_LOG_MAX_TEXT (1024 * 1024)
#define DROPPED_NOTE_LEVEL 4 /* warning */
#define DROPPED_NOTE_CAPACITY 64
/* count, the records, and the note of how many were dropped */
#define COMMAND_LOG_MAX_SIZE \
    (4 + (COMMAND_LOG_MAX_RECORDS + 1) * KLOG_RECORD_FIXED_SIZE + COMMAND_LOG_MAX_TEXT + DROPPED_NOTE_CAPACITY)

struct kmsg_record {
    uint8_t level;
    uint64_t sequence, timestamp_us;
    const char *text;
    size_t text_length;
};

static bool parse_decimal(const char **text, uint64_t *value)
{
    const char *p = *text;
    uint64_t v = 0;
    if (*p < '0' || *p > '9') return false;
    while (*p >= '0' && *p <= '9') {
        uint64_t digit = (uint64_t)(*p++ - '0');
        if (v > (UINT64_MAX - digit) / 10) return false;
        v = v * 10 + digit;
    }
    *text = p;
    *value = v;
    return true;
}

/* A /dev/kmsg record: "priority,sequence,timestamp,flags[,...];text\n" then " KEY=value\n" lines. */
static bool parse_kmsg_record(const char *record, size_t length, struct kmsg_record *out)
{
    const char *p = record;
    uint64_t priority;
    if (!parse_decimal(&p, &priority) || *p++ != ',') return false;
    if (!parse_decimal(&p, &out->sequence) || *p++ != ',') return false;
    if (!parse_decimal(&p, &out->timestamp_us) || *p != ',') return false;
    const char *text = memchr(p, ';', length - (size_t)(p - record));
    if (!text) return false;
    text++;
    const char *end = memchr(text, '\n', length - (size_t)(text - record));
    out->level = (uint8_t)(priority & 7);
    out->text = text;
    out->text_length = end ? (size_t)(end - text) : length - (size_t)(text - record);
    return true;
}

/* The next record the kernel has not given this agent yet; false when there is none. The text lives until the next call. */
static bool read_kmsg_record(struct kmsg_record *record)
{
    static char buffer[KMSG_RECORD_MAX + 1];
    while (kmsg_fd >= 0) {
        ssize_t n = read(kmsg_fd, buffer, KMSG_RECORD_MAX);
        if (n < 0 && (errno == EINTR || errno == EPIPE)) continue; /* EPIPE: older records were overwritten */
        if (n <= 0) return false;
        buffer[n] = 0;
        if (parse_kmsg_record(buffer, (size_t)n, record)) return true;
    }
    return false;
}

static void put_klog_record(struct writer *w, const struct kmsg_record *record)
{
    put_u8(w, record->level);
    put_u64(w, record->sequence);
    put_u64(w, record->timestamp_us);
    put_str(w, record->text, record->text_length);
}

/*
 * Records kept up to a limit. Once one does not fit, it and every later one are only counted, so that what
 * is kept has no holes, and a note after the kept records says how many were dropped.
 */
struct record_list {
    struct writer records;
    uint32_t count, max_records;
    size_t text_length, max_text;
    uint32_t dropped;
    uint64_t last_dropped_sequence, last_dropped_timestamp_us;
};

static void add_record(struct record_list *list, const struct kmsg_record *record)
{
    if (list->dropped == 0 && list->count < list->max_records &&
        list->text_length + record->text_length <= list->max_text) {
        size_t length = list->records.length;
        put_klog_record(&list->records, record);
        if (!list->records.failed) {
            list->count++;
            list->text_length += record->text_length;
            return;
        }
        /* Out of memory: drop this record, not the ones already kept. */
        list->records.failed = false;
        list->records.length = length;
    }
    list->dropped++;
    list->last_dropped_sequence = record->sequence;
    list->last_dropped_timestamp_us = record->timestamp_us;
}

/* Appends the kept records and the note, empties the list, and returns how many records it appended. */
static uint32_t put_record_list(struct writer *w, struct record_list *list)
{
    uint32_t count = list->count;
    put_bytes(w, list->records.data, list->records.length);
    if (list->dropped > 0) {
        char text[DROPPED_NOTE_CAPACITY];
        int length = snprintf(text, sizeof text, "hbadiff-agent: %u more records dropped", (unsigned)list->dropped);
        struct kmsg_record note = { DROPPED_NOTE_LEVEL, list->last_dropped_sequence, list->last_dropped_timestamp_us,
                                    text, (size_t)length };
        put_klog_record(w, &note);
        count++;
    }
    free(list->records.data);
    *list = (struct record_list){ .max_records = list->max_records, .max_text = list->max_text };
    return count;
}

/* Records that appeared between commands: they belong to no command, and KLOG returns them first. */
static struct record_list held_log = { .max_records = HELD_LOG_MAX_RECORDS, .max_text = HELD_LOG_MAX_TEXT };

/* Whether /dev/kmsg was read to its end right after the command just run, in this request. */
static bool kmsg_drained;

static void hold_pending_records(void)
{
    struct kmsg_record record;
    while (read_kmsg_record(&record)) add_record(&held_log, &record);
}

static void handle_klog(struct reader *r, uint32_t seq)
{
    if (!body_complete(r, seq, "KLOG")) return;

    struct writer w;
    begin_message(&w, MSG_KLOG_REPLY, seq);
    size_t count_offset = w.length;
    put_u32(&w, 0);
    uint32_t count = put_record_list(&w, &held_log);
    struct kmsg_record record;
    /* Records left over when the reply is full stay in the kernel for the next call. */
    while (!w.failed && w.length + KMSG_RECORD_MAX + 32 <= MAX_PAYLOAD && read_kmsg_record(&record)) {
        put_klog_record(&w, &record);
        count++;
    }
    patch_u32(&w, count_offset, count);
    finish_message(&w, seq);
}

/* ---- EXEC ---- */

struct exec_command {
    struct slice device;
    uint8_t direction;
    struct slice cdb;
    uint32_t length;
    uint32_t timeout_ms;
    uint8_t fill;
    uint8_t flags;
    /* For direction 2: the `length` bytes expanded from the request's pieces; owned, freed with free_exec_command. */
    uint8_t *data_out;
};

static void free_exec_command(struct exec_command *command)
{
    free(command->data_out);
    command->data_out = NULL;
}

/* errno, status, hostStatus, driverStatus, senseLength, residual, info, durationNs, completion, dataDigest, dataIn length */
#define EXEC_RESULT_FIXED_SIZE (4 + 1 + 2 + 2 + 1 + 4 + 4 + 8 + 2 + 8 + 4)
/* The smallest command: empty device, direction, cdbLength, one CDB byte, length, timeout, fill, flags, dataOut pieces */
#define EXEC_COMMAND_MIN_SIZE (2 + 1 + 1 + 1 + 4 + 4 + 1 + 1 + 4)

#define FNV_OFFSET_BASIS 0xcbf29ce484222325u
#define FNV_PRIME 0x100000001b3u

static uint64_t fnv1a64(const uint8_t *data, size_t length)
{
    uint64_t hash = FNV_OFFSET_BASIS;
    for (size_t i = 0; i < length; i++) hash = (hash ^ data[i]) * FNV_PRIME;
    return hash;
}

/* Every field up to and including dataIn, for an entry no device answered: an errno, a duration, a rank. */
static void put_unanswered(struct writer *w, int error, uint64_t duration, uint16_t completion)
{
    put_i32(w, error);
    put_u8(w, 0);
    put_u16(w, 0);
    put_u16(w, 0);
    put_u8(w, 0);
    put_i32(w, 0);
    put_u32(w, 0);
    put_u64(w, duration);
    put_u16(w, completion);
    put_u64(w, 0);
    put_u32(w, 0);
}

/* Every field up to and including dataIn, for a command whose SG_IO did not succeed. */
static void put_exec_failure(struct writer *w, int error, uint16_t completion)
{
    put_unanswered(w, error, 0, completion);
}

/* A command that failed before its ioctl: nothing ran, so nothing was logged on its behalf either. */
static void put_unrun_command(struct writer *w, int error, uint16_t completion)
{
    put_exec_failure(w, error, completion);
    put_u32(w, 0);
}

/* Every field up to and including dataIn, for a command the device answered (whatever it answered). */
static void put_exec_answer(struct writer *w, const struct exec_command *command, const sg_io_hdr_t *io,
                            const uint8_t *sense, const uint8_t *data_in, uint64_t duration, uint16_t completion)
{
    bool from_device = command->direction == DIRECTION_FROM_DEVICE;
    size_t sense_length = io->sb_len_wr < SENSE_CAPACITY ? io->sb_len_wr : SENSE_CAPACITY;
    bool digest_only = command->flags & EXEC_FLAG_DIGEST_ONLY;
    put_i32(w, 0);
    put_u8(w, io->status);
    put_u16(w, io->host_status);
    put_u16(w, io->driver_status);
    put_u8(w, (uint8_t)sense_length);
    put_bytes(w, sense, sense_length);
    put_i32(w, io->resid);
    put_u32(w, io->info);
    put_u64(w, duration);
    put_u16(w, completion);
    put_u64(w, from_device ? fnv1a64(data_in, command->length) : 0);
    put_bytes32(w, data_in, from_device && !digest_only ? command->length : 0);
}

static uint64_t monotonic_ns(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

static sg_io_hdr_t sg_io_for(const struct exec_command *command, uint8_t *data_in, uint8_t *sense)
{
    static const int sg_directions[] = { SG_DXFER_NONE, SG_DXFER_FROM_DEV, SG_DXFER_TO_DEV };
    sg_io_hdr_t io = { 0 };
    io.interface_id = 'S';
    io.dxfer_direction = sg_directions[command->direction];
    io.cmd_len = (unsigned char)command->cdb.length;
    io.mx_sb_len = SENSE_CAPACITY;
    io.dxfer_len = command->length;
    io.dxferp = command->direction == DIRECTION_FROM_DEVICE ? data_in
                : command->direction == DIRECTION_TO_DEVICE ? (void *)command->data_out
                                                            : NULL;
    io.cmdp = (unsigned char *)command->cdb.data;
    io.sbp = sense;
    io.timeout = command->timeout_ms;
    return io;
}

/* The data-in buffer a command needs, filled; NULL with *error set when it cannot have one. */
static bool alloc_data_in(const struct exec_command *command, uint8_t **data_in, int *error)
{
    *data_in = NULL;
    if (command->direction != DIRECTION_FROM_DEVICE || command->length == 0) return true;
    *data_in = malloc(command->length);
    if (!*data_in) {
        *error = ENOMEM;
        return false;
    }
    memset(*data_in, command->fill, command->length);
    return true;
}

static int reset_one(int fd, int operation)
{
    return ioctl(fd, SG_SCSI_RESET, &operation) < 0 ? errno : 0;
}

/* A RESET entry's SG_SCSI_RESET on its device, of the kind its one CDB byte names; *duration around the ioctl. */
static int run_reset_entry(const struct exec_command *command, uint64_t *duration)
{
    int error = 0;
    int fd = device_fd(command->device, &error);
    uint64_t start = monotonic_ns();
    if (fd >= 0) {
        error = reset_one(fd, reset_operations[command->cdb.data[0]]);
        forget_if_gone(fd, error);
    }
    *duration = monotonic_ns() - start;
    return error;
}

static void run_command(struct writer *w, const struct exec_command *command, uint16_t completion)
{
    int error;
    if (command->flags & EXEC_FLAG_RESET) {
        if (!kmsg_drained) hold_pending_records();
        uint64_t duration;
        error = run_reset_entry(command, &duration);
        struct record_list log = { .max_records = COMMAND_LOG_MAX_RECORDS, .max_text = COMMAND_LOG_MAX_TEXT };
        struct kmsg_record record;
        while (read_kmsg_record(&record)) add_record(&log, &record);
        kmsg_drained = true;
        put_unanswered(w, error, duration, completion);
        size_t count_offset = w->length;
        put_u32(w, 0);
        patch_u32(w, count_offset, put_record_list(w, &log));
        return;
    }
    int fd = device_fd(command->device, &error);
    if (fd < 0) {
        put_unrun_command(w, error, completion);
        return;
    }

    uint8_t *data_in;
    if (!alloc_data_in(command, &data_in, &error)) {
        put_unrun_command(w, error, completion);
        return;
    }

    uint8_t sense[SENSE_CAPACITY];
    sg_io_hdr_t io = sg_io_for(command, data_in, sense);

    /*
     * Drained on both sides of the ioctl, so that the records in between are the ones it caused; within a
     * batch the last command's drain stands for this one's first (only the agent ran in between).
     */
    if (!kmsg_drained) hold_pending_records();
    uint64_t start = monotonic_ns();
    int result = ioctl(fd, SG_IO, &io);
    uint64_t duration = monotonic_ns() - start;
    error = result < 0 ? errno : 0;
    struct record_list log = { .max_records = COMMAND_LOG_MAX_RECORDS, .max_text = COMMAND_LOG_MAX_TEXT };
    struct kmsg_record record;
    while (read_kmsg_record(&record)) add_record(&log, &record);
    kmsg_drained = true;

    if (result < 0) {
        forget_if_gone(fd, error);
        put_exec_failure(w, error, completion);
    } else {
        put_exec_answer(w, command, &io, sense, data_in, duration, completion);
    }
    size_t count_offset = w->length;
    put_u32(w, 0);
    patch_u32(w, count_offset, put_record_list(w, &log));
    free(data_in);
}

/* One command of a queued run: what sg's asynchronous interface was handed, and what came back. */
struct queued_command {
    int fd;
    int error;
    bool pending;
    uint8_t *data_in;
    uint8_t sense[SENSE_CAPACITY];
    sg_io_hdr_t io;
    uint64_t started, duration;
    uint16_t completion;
};

/* Collects one completion from any of the run's devices (sg's read() hands back whichever finished first). */
static void collect_completion(struct queued_command *queued, size_t count, uint16_t *completed)
{
    struct pollfd fds[QUEUED_MAX];
    size_t watched = 0;
    for (size_t i = 0; i < count; i++) {
        if (!queued[i].pending) continue;
        bool seen = false;
        for (size_t k = 0; k < watched && !seen; k++) seen = fds[k].fd == queued[i].fd;
        if (seen) continue;
        fds[watched++] = (struct pollfd){ .fd = queued[i].fd, .events = POLLIN };
    }
    if (poll(fds, watched, -1) < 0) return;
    for (size_t k = 0; k < watched; k++) {
        if (!(fds[k].revents & (POLLIN | POLLERR | POLLHUP))) continue;
        sg_io_hdr_t back = { .interface_id = 'S' };
        back.pack_id = -1;
        ssize_t got = read(fds[k].fd, &back, sizeof back);
        if (got != (ssize_t)sizeof back || back.interface_id != 'S' || back.pack_id < 0 || (size_t)back.pack_id >= count || !queued[back.pack_id].pending) {
            /*
             * The device went away under its commands, or is no sg node (a write() it took, a read() of nothing):
             * every command still pending on it ends with the error.
             */
            int error = got < 0 ? errno : EIO;
            for (size_t i = 0; i < count; i++) {
                if (!queued[i].pending || queued[i].fd != fds[k].fd) continue;
                queued[i].pending = false;
                queued[i].error = error;
                queued[i].completion = (*completed)++;
            }
            forget_if_gone(fds[k].fd, error);
            continue;
        }
        struct queued_command *done = &queued[back.pack_id];
        done->io = back;
        done->duration = monotonic_ns() - done->started;
        done->pending = false;
        done->completion = (*completed)++;
    }
}

/*
 * A run of commands flagged QUEUED, all in flight at once through sg's asynchronous interface (write() each
 * sg_io_hdr, read() the completions as they come, in whatever order the devices finish), as a guest with a
 * queue depth keeps them. Results go out in the request's order, each with its rank among the completions;
 * the kernel's records while the run was in flight go with its first command.
 */
static void run_queued(struct writer *w, const struct exec_command *commands, size_t count, uint16_t *completed)
{
    struct queued_command *queued = calloc(count, sizeof *queued);
    if (!queued) {
        for (size_t i = 0; i < count; i++) put_unrun_command(w, ENOMEM, (*completed)++);
        return;
    }
    if (!kmsg_drained) hold_pending_records();
    for (size_t i = 0; i < count; i++) {
        struct queued_command *q = &queued[i];
        if (commands[i].flags & EXEC_FLAG_RESET) {
            /* While the commands handed over before it are in flight; their completions wait in sg meanwhile. */
            q->fd = -1;
            q->error = run_reset_entry(&commands[i], &q->duration);
            q->completion = (*completed)++;
            continue;
        }
        q->fd = device_fd(commands[i].device, &q->error);
        if (q->fd < 0 || !alloc_data_in(&commands[i], &q->data_in, &q->error)) {
            q->completion = (*completed)++;
            continue;
        }
        q->io = sg_io_for(&commands[i], q->data_in, q->sense);
        q->io.pack_id = (int)i;
        q->started = monotonic_ns();
        if (write(q->fd, &q->io, sizeof q->io) < 0) {
            q->error = errno;
            q->completion = (*completed)++;
            forget_if_gone(q->fd, q->error);
            continue;
        }
        q->pending = true;
    }
    for (;;) {
        bool any = false;
        for (size_t i = 0; i < count && !any; i++) any = queued[i].pending;
        if (!any) break;
        collect_completion(queued, count, completed);
    }
    struct record_list log = { .max_records = COMMAND_LOG_MAX_RECORDS, .max_text = COMMAND_LOG_MAX_TEXT };
    struct kmsg_record record;
    while (read_kmsg_record(&record)) add_record(&log, &record);
    kmsg_drained = true;
    for (size_t i = 0; i < count; i++) {
        struct queued_command *q = &queued[i];
        if (commands[i].flags & EXEC_FLAG_RESET) put_unanswered(w, q->error, q->duration, q->completion);
        else if (q->error != 0) put_exec_failure(w, q->error, q->completion);
        else put_exec_answer(w, &commands[i], &q->io, q->sense, q->data_in, q->duration, q->completion);
        size_t count_offset = w->length;
        put_u32(w, 0);
        if (i == 0) patch_u32(w, count_offset, put_record_list(w, &log));
        free(q->data_in);
    }
    free(queued);
}

#define DATA_OUT_LITERAL 0u
#define DATA_OUT_RUN 1u

/*
 * Data-out arrives as pieces, literal bytes or one byte repeated (docs/agent-protocol.md), so that a run of
 * 64 KiB costs six bytes on the line; the agent expands them into the buffer SG_IO sends.
 */
static bool expand_data_out(struct reader *r, struct exec_command *command, size_t expected, uint32_t seq,
                            const char *request, uint16_t index)
{
    uint32_t pieces = get_u32(r);
    if (r->overrun) return true;
    if (expected > 0 && !(command->data_out = malloc(expected))) {
        send_error(seq, "out of memory for %zu data-out bytes", expected);
        return false;
    }
    size_t filled = 0;
    for (uint32_t i = 0; i < pieces && !r->overrun; i++) {
        uint8_t kind = get_u8(r);
        struct slice literal = { NULL, 0 };
        uint8_t byte = 0;
        size_t length;
        if (kind == DATA_OUT_LITERAL) {
            literal = get_bytes32(r);
            length = literal.length;
        } else if (kind == DATA_OUT_RUN) {
            byte = get_u8(r);
            length = get_u32(r);
        } else {
            send_error(seq, "malformed %s request: command %u has a data-out piece of kind %u", request, index, kind);
            return false;
        }
        if (r->overrun) return true;
        if (length > expected - filled) {
            send_error(seq, "malformed %s request: command %u has more than %zu data-out bytes", request, index, expected);
            return false;
        }
        if (kind == DATA_OUT_LITERAL) memcpy(command->data_out + filled, literal.data, length);
        else memset(command->data_out + filled, byte, length);
        filled += length;
    }
    if (!r->overrun && filled != expected) {
        send_error(seq, "malformed %s request: command %u has %zu data-out bytes, expected %zu", request, index, filled,
                   expected);
        return false;
    }
    return true;
}

static bool parse_exec_command(struct reader *r, struct exec_command *command, uint32_t seq, const char *request,
                               uint16_t index)
{
    command->device = get_str(r);
    command->direction = get_u8(r);
    command->cdb = get_slice(r, get_u8(r));
    command->length = get_u32(r);
    command->timeout_ms = get_u32(r);
    command->fill = get_u8(r);
    command->flags = get_u8(r);
    command->data_out = NULL;
    if (r->overrun) return true; /* reported as a truncated body */

    if (command->direction > DIRECTION_TO_DEVICE) {
        send_error(seq, "malformed %s request: command %u has direction %u", request, index, command->direction);
        return false;
    }
    if (command->cdb.length == 0) {
        send_error(seq, "malformed %s request: command %u has an empty CDB", request, index);
        return false;
    }
    if (command->flags & ~EXEC_FLAGS_KNOWN) {
        send_error(seq, "malformed %s request: command %u has unknown flags 0x%02x", request, index, command->flags);
        return false;
    }
    if ((command->flags & EXEC_FLAG_RESET) &&
        (command->direction != DIRECTION_NONE || command->length != 0 || command->cdb.length != 1 || command->cdb.data[0] >= RESET_KINDS)) {
        send_error(seq, "malformed %s request: reset entry %u needs direction 0, length 0 and one CDB byte of 0..%zu", request,
                   index, RESET_KINDS - 1);
        return false;
    }
    size_t expected_out = command->direction == DIRECTION_TO_DEVICE ? command->length : 0;
    if (expected_out > MAX_PAYLOAD) {
        send_error(seq, "malformed %s request: command %u has %zu data-out bytes, over the maximum of %u", request, index,
                   expected_out, MAX_PAYLOAD);
        return false;
    }
    return expand_data_out(r, command, expected_out, seq, request, index);
}

/* The most a command's result can take in the reply. */
static uint64_t exec_result_max_size(const struct exec_command *command)
{
    uint64_t size = EXEC_RESULT_FIXED_SIZE + SENSE_CAPACITY + COMMAND_LOG_MAX_SIZE;
    if (command->direction == DIRECTION_FROM_DEVICE && !(command->flags & EXEC_FLAG_DIGEST_ONLY))
        size += command->length;
    return size;
}

/* An EXEC says it is alive once a second of commands has passed since it last said anything. */
#define PROGRESS_AFTER_NS 1000000000u

static void send_progress(uint32_t seq, uint16_t done)
{
    struct writer w;
    begin_message(&w, MSG_PROGRESS, seq);
    put_u16(&w, done);
    if (!w.failed) send_frame(w.data, w.length);
    free(w.data);
}

static void handle_exec(struct reader *r, uint32_t seq)
{
    kmsg_drained = false;
    uint16_t count = get_u16(r);
    if (!r->overrun && (size_t)count * EXEC_COMMAND_MIN_SIZE > r->length - r->position) {
        send_error(seq, "malformed EXEC request: truncated body, %u commands need at least %u bytes", count,
                   count * EXEC_COMMAND_MIN_SIZE);
        return;
    }
    struct exec_command *commands = calloc(count ? count : 1, sizeof *commands);
    if (!commands) {
        send_error(seq, "out of memory for %u commands", count);
        return;
    }

    uint64_t reply_size = 1 + 4 + 2;
    bool valid = true;
    for (uint16_t i = 0; i < count && valid && !r->overrun; i++) {
        valid = parse_exec_command(r, &commands[i], seq, "EXEC", i);
        reply_size += exec_result_max_size(&commands[i]);
    }
    if (valid && body_complete(r, seq, "EXEC")) {
        if (reply_size > MAX_PAYLOAD) {
            send_error(seq, "EXEC reply could reach %llu bytes, over the maximum payload",
                       (unsigned long long)reply_size);
        } else {
            struct writer w;
            begin_message(&w, MSG_EXEC_REPLY, seq);
            put_u16(&w, count);
            uint64_t last_said = monotonic_ns();
            uint16_t completed = 0;
            for (uint16_t i = 0; i < count;) {
                uint16_t end = i + 1;
                if (commands[i].flags & EXEC_FLAG_QUEUED) {
                    while (end < count && end - i < QUEUED_MAX && (commands[end].flags & EXEC_FLAG_QUEUED)) end++;
                    run_queued(&w, &commands[i], end - i, &completed);
                } else {
                    run_command(&w, &commands[i], completed++);
                }
                i = end;
                uint64_t now = monotonic_ns();
                if (i < count && now - last_said >= PROGRESS_AFTER_NS) {
                    send_progress(seq, i);
                    last_said = now;
                }
            }
            finish_message(&w, seq);
        }
    }
    for (uint16_t i = 0; i < count; i++) free_exec_command(&commands[i]);
    free(commands);
}

/* ---- LOOP ---- */

#define LOOP_MAX_ITERATIONS 1000000u

/*
 * One command run `iterations` times with nothing between the ioctls (no kernel log, no reply per command):
 * the rate SG_IO alone reaches in the guest, against which the host's round trips are measured.
 */
static void handle_loop(struct reader *r, uint32_t seq)
{
    uint32_t iterations = get_u32(r);
    struct exec_command command = { 0 };
    if (!parse_exec_command(r, &command, seq, "LOOP", 0) || !body_complete(r, seq, "LOOP")) {
        free_exec_command(&command);
        return;
    }
    if (iterations == 0 || iterations > LOOP_MAX_ITERATIONS) {
        send_error(seq, "malformed LOOP request: %u iterations, not 1..%u", iterations, LOOP_MAX_ITERATIONS);
        free_exec_command(&command);
        return;
    }
    uint64_t *durations = malloc(iterations * sizeof *durations);
    uint8_t *data_in = NULL;
    int error = 0;
    if (!durations) {
        send_error(seq, "out of memory for %u durations", iterations);
        free_exec_command(&command);
        return;
    }
    int fd = device_fd(command.device, &error);
    uint32_t count = 0, not_good = 0;
    uint64_t start = monotonic_ns();
    if (fd >= 0 && alloc_data_in(&command, &data_in, &error)) {
        uint8_t sense[SENSE_CAPACITY];
        sg_io_hdr_t io = sg_io_for(&command, data_in, sense);
        while (count < iterations) {
            uint64_t before = monotonic_ns();
            if (ioctl(fd, SG_IO, &io) < 0) {
                error = errno;
                forget_if_gone(fd, error);
                break;
            }
            durations[count++] = monotonic_ns() - before;
            if (io.status || io.host_status || io.driver_status) not_good++;
        }
    }
    uint64_t elapsed = monotonic_ns() - start;

    struct writer w;
    begin_message(&w, MSG_LOOP_REPLY, seq);
    put_i32(&w, error);
    put_u32(&w, not_good);
    put_u64(&w, elapsed);
    put_u32(&w, count);
    for (uint32_t i = 0; i < count; i++) put_u64(&w, durations[i]);
    finish_message(&w, seq);
    free(data_in);
    free(durations);
    free_exec_command(&command);
}

/* ---- RESET ---- */

#define RESET_MAX_DEVICES 64u

/*
 * Each device's reset in a child of its own, all at once: the guest kernel holds a bus or host reset's ioctl
 * for its 10 s settle, and devices on different hosts need not wait for each other's. (The host sends
 * devices of one SCSI host in different requests.)
 */
static void reset_all(const int *fds, size_t count, int operation, int *errors)
{
    if (count == 1) {
        if (fds[0] >= 0) errors[0] = reset_one(fds[0], operation);
        return;
    }
    pid_t children[RESET_MAX_DEVICES];
    for (size_t i = 0; i < count; i++) {
        children[i] = fds[i] < 0 ? -1 : fork();
        if (children[i] == 0) _exit(reset_one(fds[i], operation));
        if (children[i] < 0 && fds[i] >= 0) errors[i] = errno;
    }
    for (size_t i = 0; i < count; i++) {
        int status;
        if (children[i] < 0) continue;
        while (waitpid(children[i], &status, 0) < 0 && errno == EINTR) {}
        errors[i] = WIFEXITED(status) ? WEXITSTATUS(status) : EINTR;
    }
}

static void handle_reset(struct reader *r, uint32_t seq)
{
    uint16_t count = get_u16(r);
    struct slice devices[RESET_MAX_DEVICES];
    for (uint16_t i = 0; i < count && i < RESET_MAX_DEVICES; i++) devices[i] = get_str(r);
    uint8_t kind = get_u8(r);
    if (!body_complete(r, seq, "RESET")) return;
    if (count == 0 || count > RESET_MAX_DEVICES || kind > 3) {
        send_error(seq, "malformed RESET request: %u devices (1..%u), kind %u", count, RESET_MAX_DEVICES, kind);
        return;
    }

    int fds[RESET_MAX_DEVICES], errors[RESET_MAX_DEVICES];
    for (uint16_t i = 0; i < count; i++) {
        errors[i] = 0;
        fds[i] = device_fd(devices[i], &errors[i]);
    }
    reset_all(fds, count, reset_operations[kind], errors);
    struct writer w;
    begin_message(&w, MSG_RESET_REPLY, seq);
    put_u16(&w, count);
    for (uint16_t i = 0; i < count; i++) {
        if (fds[i] >= 0) forget_if_gone(fds[i], errors[i]);
        put_i32(&w, errors[i]);
    }
    finish_message(&w, seq);
}

/* ---- POWEROFF and ECHO ---- */

static void drain_output(void)
{
    if (isatty(output_fd)) tcdrain(output_fd);
}

static void handle_poweroff(struct reader *r, uint32_t seq)
{
    if (!body_complete(r, seq, "POWEROFF")) return;
    struct writer w;
    begin_message(&w, MSG_POWEROFF_REPLY, seq);
    finish_message(&w, seq);
    drain_output();
    if (stdio_mode) exit(0);
    sync();
    reboot(RB_POWER_OFF);
    send_error(0, "power-off failed: %s", strerror(errno));
}

static void handle_echo(struct reader *r, uint32_t seq)
{
    struct slice data = get_bytes32(r);
    if (!body_complete(r, seq, "ECHO")) return;
    struct writer w;
    begin_message(&w, MSG_ECHO_REPLY, seq);
    put_bytes32(&w, data.data, data.length);
    finish_message(&w, seq);
}

/* ---- RUN ---- */

#define RUN_MAX_STRINGS 64u
/* Room in the reply for its header and the status before the output. */
#define RUN_OUTPUT_MAX (MAX_PAYLOAD - 64u)

/* A copy of each slice as a NUL-terminated string, in a NULL-terminated array; false when out of memory. */
static bool c_strings(const struct slice *slices, uint16_t count, char **out)
{
    for (uint16_t i = 0; i < count; i++) {
        out[i] = strndup((const char *)slices[i].data, slices[i].length);
        if (!out[i]) return false;
    }
    out[count] = NULL;
    return true;
}

static void exec_child(int output, char **argv, char **envp)
{
    int input = open("/dev/null", O_RDONLY);
    if (input < 0 || dup2(input, STDIN_FILENO) < 0 || dup2(output, STDOUT_FILENO) < 0 || dup2(output, STDERR_FILENO) < 0)
        _exit(126);
    execve(argv[0], argv, envp);
    dprintf(STDERR_FILENO, "hbadiff-agent: cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

/*
 * Reads the child's output until it closes it, saying PROGRESS once a second meanwhile: a program such as a
 * conformance suite runs for minutes, which the host must not take for a hung guest.
 */
static void collect_output(int fd, uint32_t seq, struct writer *w, uint32_t *kept, bool *truncated)
{
    char buffer[READ_CHUNK];
    uint64_t last_said = monotonic_ns();
    for (;;) {
        struct pollfd readable = { fd, POLLIN, 0 };
        int ready = poll(&readable, 1, 1000);
        uint64_t now = monotonic_ns();
        if (now - last_said >= PROGRESS_AFTER_NS) {
            send_progress(seq, 0);
            last_said = now;
        }
        if (ready < 0 && errno == EINTR) continue;
        if (ready == 0) continue;
        ssize_t n = read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        size_t room = RUN_OUTPUT_MAX - *kept;
        size_t taken = (size_t)n < room ? (size_t)n : room;
        if (taken < (size_t)n) *truncated = true;
        put_bytes(w, buffer, taken);
        *kept += (uint32_t)taken;
    }
}

static void handle_run(struct reader *r, uint32_t seq)
{
    struct slice arguments[RUN_MAX_STRINGS], environment[RUN_MAX_STRINGS];
    uint16_t argc = get_u16(r);
    for (uint16_t i = 0; i < argc && i < RUN_MAX_STRINGS; i++) arguments[i] = get_str(r);
    uint16_t envc = get_u16(r);
    for (uint16_t i = 0; i < envc && i < RUN_MAX_STRINGS; i++) environment[i] = get_str(r);
    if (!body_complete(r, seq, "RUN")) return;
    if (argc == 0 || argc > RUN_MAX_STRINGS || envc > RUN_MAX_STRINGS) {
        send_error(seq, "malformed RUN request: %u arguments (1..%u), %u environment strings (0..%u)", argc,
                   RUN_MAX_STRINGS, envc, RUN_MAX_STRINGS);
        return;
    }
    char *argv[RUN_MAX_STRINGS + 1] = { 0 }, *envp[RUN_MAX_STRINGS + 1] = { 0 };
    int pipe_fds[2] = { -1, -1 };
    pid_t child = -1;
    if (!c_strings(arguments, argc, argv) || !c_strings(environment, envc, envp)) {
        send_error(seq, "out of memory for RUN's arguments");
    } else if (pipe2(pipe_fds, O_CLOEXEC) < 0 || (child = fork()) < 0) {
        send_error(seq, "cannot start %s: %s", argv[0], strerror(errno));
    } else if (child == 0) {
        exec_child(pipe_fds[1], argv, envp);
    } else {
        close(pipe_fds[1]);
        pipe_fds[1] = -1;
        struct writer w;
        begin_message(&w, MSG_RUN_REPLY, seq);
        size_t status_at = w.length;
        put_i32(&w, 0);
        put_u8(&w, 0);
        size_t length_at = w.length;
        put_u32(&w, 0);
        uint32_t kept = 0;
        bool truncated = false;
        collect_output(pipe_fds[0], seq, &w, &kept, &truncated);
        int status;
        while (waitpid(child, &status, 0) < 0 && errno == EINTR) {}
        if (!w.failed) {
            int32_t code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
            patch_u32(&w, status_at, (uint32_t)code);
            w.data[status_at + 4] = truncated;
            patch_u32(&w, length_at, kept);
        }
        finish_message(&w, seq);
    }
    for (uint16_t i = 0; i < RUN_MAX_STRINGS; i++) {
        free(argv[i]);
        free(envp[i]);
    }
    for (int i = 0; i < 2; i++)
        if (pipe_fds[i] >= 0) close(pipe_fds[i]);
}

static void handle_payload(const uint8_t *payload, size_t length)
{
    struct reader r = { payload, length, 0, false };
    uint8_t type = get_u8(&r);
    uint32_t seq = get_u32(&r);
    if (r.overrun) {
        send_error(0, "malformed message: %zu bytes are too short for a header", length);
        return;
    }
    switch (type) {
    case MSG_LIST: handle_list(&r, seq); break;
    case MSG_EXEC: handle_exec(&r, seq); break;
    case MSG_RESET: handle_reset(&r, seq); break;
    case MSG_KLOG: handle_klog(&r, seq); break;
    case MSG_POWEROFF: handle_poweroff(&r, seq); break;
    case MSG_ECHO: handle_echo(&r, seq); break;
    case MSG_LOOP: handle_loop(&r, seq); break;
    case MSG_RUN: handle_run(&r, seq); break;
    default: send_error(seq, "unknown message type 0x%02x", type); break;
    }
}

/* ---- input framing ---- */

/*
 * input holds the unconsumed bytes. While a candidate frame is open it starts at input[0] with the
 * marker, and candidate_checked counts its bytes already validated, so that a large frame
 * arriving in pieces is validated once, and a deviation is reported as soon as it arrives.
 */
static uint8_t *input;
static size_t input_length, input_capacity;
static bool candidate_open;
static size_t candidate_checked;

enum scan_result { SCAN_INCOMPLETE, SCAN_CORRUPT, SCAN_FRAME };

static void consume_input(size_t n)
{
    if (n == 0) return;
    memmove(input, input + n, input_length - n);
    input_length -= n;
}

/* Validates the open candidate; on SCAN_FRAME, *frame_length and *payload_length describe it. */
static enum scan_result scan_candidate(const char **reason, size_t *frame_length, uint32_t *payload_length)
{
    const uint8_t *c = input;
    size_t i = candidate_checked;
    for (; i < HEADER_LENGTH && i < input_length; i++) {
        bool separator = i == LENGTH_FIELD_END || i == HEADER_LENGTH - 1;
        if (separator ? c[i] != ' ' : hex_value(c[i]) < 0) {
            *reason = separator ? "missing space after a header field" : "non-hex digit in the header";
            return SCAN_CORRUPT;
        }
    }
    candidate_checked = i;
    if (i < LENGTH_FIELD_END) return SCAN_INCOMPLETE;
    uint32_t length = parse_hex8(c + MARKER_LENGTH);
    if (length > MAX_PAYLOAD) {
        *reason = "length over the maximum payload";
        return SCAN_CORRUPT;
    }
    if (i < HEADER_LENGTH) return SCAN_INCOMPLETE;

    size_t encoded = base64_length(length);
    size_t padding = (3 - length % 3) % 3;
    size_t body_end = HEADER_LENGTH + encoded;
    for (; i < body_end && i < input_length; i++) {
        bool pad = i >= body_end - padding;
        if (pad ? c[i] != '=' : base64_value(c[i]) < 0) {
            *reason = pad ? "bad base64 padding" : "character outside the base64 alphabet";
            return SCAN_CORRUPT;
        }
    }
    candidate_checked = i;
    if (i < body_end) return SCAN_INCOMPLETE;

    size_t end = body_end, carriage_returns = 0;
    while (end < input_length && c[end] == '\r' && carriage_returns < 2) {
        end++;
        carriage_returns++;
    }
    if (end == input_length) return SCAN_INCOMPLETE;
    if (c[end] != '\n') {
        *reason = "missing terminator";
        return SCAN_CORRUPT;
    }
    *frame_length = end + 1;
    *payload_length = length;
    return SCAN_FRAME;
}

static void accept_frame(size_t frame_length, uint32_t length)
{
    uint8_t *payload = malloc(length ? length : 1);
    if (!payload) {
        send_error(0, "out of memory for a %u-byte payload", length);
        return;
    }
    if (!base64_decode(input + HEADER_LENGTH, length, payload))
        send_error(0, "corrupt frame: non-canonical base64");
    else if (crc32(payload, length) != parse_hex8(input + LENGTH_FIELD_END + 1))
        send_error(0, "corrupt frame: CRC mismatch");
    else {
        consume_input(frame_length);
        candidate_open = false;
        handle_payload(payload, length);
    }
    free(payload);
}

static void process_input(void)
{
    for (;;) {
        if (!candidate_open) {
            if (input_length < MARKER_LENGTH) return;
            const uint8_t *marker = memmem(input, input_length, MARKER, MARKER_LENGTH);
            if (!marker) {
                size_t keep = input_length < MARKER_LENGTH - 1 ? input_length : MARKER_LENGTH - 1;
                consume_input(input_length - keep);
                return;
            }
            consume_input((size_t)(marker - input));
            candidate_open = true;
            candidate_checked = MARKER_LENGTH;
        }

        const char *reason = NULL;
        size_t frame_length = 0;
        uint32_t payload_length = 0;
        enum scan_result result = scan_candidate(&reason, &frame_length, &payload_length);
        if (result == SCAN_INCOMPLETE) return;
        if (result == SCAN_CORRUPT) send_error(0, "corrupt frame: %s", reason);
        else accept_frame(frame_length, payload_length);
        if (candidate_open) {
            /* Rescan from the byte after the marker's first byte. */
            consume_input(1);
            candidate_open = false;
        }
    }
}

static void wait_for_input_again(void)
{
    struct timespec pause = { 0, 100 * 1000 * 1000 };
    nanosleep(&pause, NULL);
}

static void read_input(void)
{
    if (input_capacity > 4 * READ_CHUNK && input_length <= READ_CHUNK) {
        /* A large frame is done with: give its memory back to a guest that may have little. */
        uint8_t *shrunk = realloc(input, 2 * READ_CHUNK);
        if (shrunk) {
            input = shrunk;
            input_capacity = 2 * READ_CHUNK;
        }
    }
    if (input_capacity - input_length < READ_CHUNK) {
        size_t capacity = input_capacity ? input_capacity * 2 : 2 * READ_CHUNK;
        while (capacity - input_length < READ_CHUNK) capacity *= 2;
        uint8_t *grown = realloc(input, capacity);
        if (!grown) {
            send_error(0, "corrupt frame: out of memory for a %zu-byte frame", input_length);
            consume_input(candidate_open ? 1 : input_length);
            candidate_open = false;
            return;
        }
        input = grown;
        input_capacity = capacity;
    }

    ssize_t n = read(input_fd, input + input_length, READ_CHUNK);
    if (n > 0) {
        input_length += (size_t)n;
        return;
    }
    if (n < 0 && errno == EINTR) return;
    if (n < 0 && errno == EAGAIN) {
        struct pollfd pfd = { .fd = input_fd, .events = POLLIN };
        poll(&pfd, 1, -1);
        return;
    }
    /* End of input: natively the host is gone; on a serial port it is a glitch to wait out. */
    if (stdio_mode) exit(0);
    wait_for_input_again();
}

/* ---- start-up ---- */

static void make_raw(int fd)
{
    struct termios settings;
    if (tcgetattr(fd, &settings) != 0) return;
    cfmakeraw(&settings);
    settings.c_cflag |= CLOCAL | CREAD;
    settings.c_cc[VMIN] = 1;
    settings.c_cc[VTIME] = 0;
    tcsetattr(fd, TCSANOW, &settings);
}

static int open_port(const char *path)
{
    int fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return -1;
    make_raw(fd);
    /* Opened non-blocking only so that a missing carrier cannot stall open() before CLOCAL is set. */
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return fd;
}

static void usage(FILE *out)
{
    fputs("usage: agent [--tty PATH | --stdio]\n"
          "Serves the hbadiff guest agent protocol (docs/agent-protocol.md).\n"
          "  --tty PATH  serve on the serial or virtio port PATH (default /dev/ttyS0), lower the kernel's\n"
          "              console log level to 1, and power the machine off on POWEROFF\n"
          "  --stdio     serve on file descriptors 0 and 1, for running natively on a host:\n"
          "              the console log level is left alone, POWEROFF only exits with status 0,\n"
          "              and the agent exits when its input ends\n",
          out);
}

int main(int argc, char **argv)
{
    const char *port = "/dev/ttyS0";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--stdio") == 0) {
            stdio_mode = true;
        } else if (strcmp(argv[i], "--tty") == 0 && i + 1 < argc) {
            port = argv[++i];
        } else if (strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        } else {
            usage(stderr);
            return 2;
        }
    }

    signal(SIGPIPE, SIG_IGN);
    crc32_init();

    if (stdio_mode) {
        input_fd = 0;
        output_fd = 1;
        make_raw(input_fd);
        make_raw(output_fd);
    } else {
        input_fd = output_fd = open_port(port);
        if (input_fd < 0) {
            fprintf(stderr, "agent: cannot open %s: %s\n", port, strerror(errno));
            return 1;
        }
        klogctl(SYSLOG_ACTION_CONSOLE_LEVEL, NULL, QUIET_CONSOLE_LEVEL);
    }
    kmsg_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

    send_hello();
    for (;;) {
        process_input();
        read_input();
    }
}
