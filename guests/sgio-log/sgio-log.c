/*
 * LD_PRELOADed into a program that sends SCSI commands over SG_IO (libiscsi's iscsi-test-cu): after each
 * SG_IO ioctl it writes one line to the program's standard output saying what was sent and what came back,
 * so that the lines fall between the program's own (stdout is made unbuffered for that) and a reader knows
 * which of its tests sent which commands. The line's layout is docs/conformance.md's; data-out is hex with
 * runs of eight or more equal bytes written as XX*N, as case files write data, and only where the environment
 * has HBADIFF_SGIO_DATA_OUT=1: a suite's random data-out runs to tens of megabytes, more than the agent's reply
 * carries, and only the tests that become cases need it.
 *
 * Where the environment has HBADIFF_SGIO_MAX_TIMEOUT_MS, it holds each command's SG_IO timeout to that (libiscsi
 * leaves it 0, which sg takes as a minute): an HBA that never completes some commands (pvscsi, uas) then costs
 * the suite seconds a command, not minutes, as it does the harness's own commands.
 *
 * It also says each CUnit pass that is a skip: libiscsi skips some tests with CU_PASS("[SKIPPED] ...") and
 * nothing printed (the Async ones over SG_IO), which only CUnit's assertion call shows.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <scsi/sg.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define MIN_RUN 8u

typedef int (*ioctl_function)(int, unsigned long, ...);

static int log_data_out;
static unsigned max_timeout_ms;

__attribute__((constructor)) static void start(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    const char *wanted = getenv("HBADIFF_SGIO_DATA_OUT");
    log_data_out = wanted && strcmp(wanted, "1") == 0;
    const char *timeout = getenv("HBADIFF_SGIO_MAX_TIMEOUT_MS");
    if (timeout) max_timeout_ms = (unsigned)strtoul(timeout, NULL, 10);
}

struct line {
    char *text;
    size_t length, capacity;
};

static void append(struct line *line, const char *format, ...)
{
    va_list args;
    for (;;) {
        va_start(args, format);
        int needed = vsnprintf(line->text ? line->text + line->length : NULL,
                               line->text ? line->capacity - line->length : 0, format, args);
        va_end(args);
        if (needed < 0) return;
        if (line->text && line->length + (size_t)needed < line->capacity) {
            line->length += (size_t)needed;
            return;
        }
        size_t capacity = (line->capacity + (size_t)needed + 1) * 2;
        char *grown = realloc(line->text, capacity);
        if (!grown) return;
        line->text = grown;
        line->capacity = capacity;
    }
}

/* Spaced hex, each run of MIN_RUN or more equal bytes as XX*N. */
static void append_hex(struct line *line, const unsigned char *bytes, size_t length)
{
    for (size_t at = 0; at < length;) {
        size_t end = at + 1;
        while (end < length && bytes[end] == bytes[at]) end++;
        const char *separator = at == 0 ? "" : " ";
        if (end - at >= MIN_RUN) {
            append(line, "%s%02x*%zu", separator, bytes[at], end - at);
            at = end;
        } else {
            append(line, "%s%02x", separator, bytes[at]);
            at++;
        }
    }
}

/* The data-out as one buffer, gathered from its scatter list if it has one. */
static void append_data_out(struct line *line, const sg_io_hdr_t *header)
{
    if (header->iovec_count == 0) {
        append_hex(line, header->dxferp, header->dxfer_len);
        return;
    }
    unsigned char *gathered = malloc(header->dxfer_len ? header->dxfer_len : 1);
    if (!gathered) return;
    const sg_iovec_t *pieces = header->dxferp;
    size_t length = 0;
    for (unsigned i = 0; i < header->iovec_count && length < header->dxfer_len; i++) {
        size_t take = pieces[i].iov_len < header->dxfer_len - length ? pieces[i].iov_len : header->dxfer_len - length;
        memcpy(gathered + length, pieces[i].iov_base, take);
        length += take;
    }
    append_hex(line, gathered, length);
    free(gathered);
}

static void log_command(const sg_io_hdr_t *header, int result, int error)
{
    struct line line = { 0 };
    append(&line, "~SGIO dir=%d;len=%u;cdb=", header->dxfer_direction, header->dxfer_len);
    append_hex(&line, header->cmdp, header->cmd_len);
    append(&line, ";out=");
    if (log_data_out && header->dxfer_direction == SG_DXFER_TO_DEV && header->dxferp) append_data_out(&line, header);
    else if (header->dxfer_direction == SG_DXFER_TO_DEV) append(&line, "-");
    append(&line, ";errno=%d;status=%u;host=%u;driver=%u;resid=%d;sense=", result < 0 ? error : 0, header->status,
           header->host_status, header->driver_status, header->resid);
    append_hex(&line, header->sbp, header->sb_len_wr);
    append(&line, "\n");
    if (line.text) {
        fflush(stdout);
        for (size_t written = 0; written < line.length;) {
            ssize_t n = write(STDOUT_FILENO, line.text + written, line.length - written);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            written += (size_t)n;
        }
    }
    free(line.text);
}

typedef int (*assert_function)(int, unsigned, const char *, const char *, const char *, int);

/* CUnit's CU_assertImplementation, which every CU_ASSERT and CU_PASS calls; CU_BOOL is an int. */
int CU_assertImplementation(int value, unsigned line, const char *condition, const char *file, const char *function, int fatal)
{
    static assert_function real_assert;
    if (!real_assert) real_assert = (assert_function)dlsym(RTLD_NEXT, "CU_assertImplementation");
    if (value && condition && strstr(condition, "CU_PASS(") == condition && strstr(condition, "[SKIPPED]"))
        printf("    %s\n", condition);
    return real_assert(value, line, condition, file, function, fatal);
}

int ioctl(int fd, unsigned long request, ...)
{
    static ioctl_function real_ioctl;
    if (!real_ioctl) real_ioctl = (ioctl_function)dlsym(RTLD_NEXT, "ioctl");
    va_list args;
    va_start(args, request);
    void *argument = va_arg(args, void *);
    va_end(args);
    if (request == SG_IO && argument && max_timeout_ms) {
        sg_io_hdr_t *header = argument;
        if (header->timeout == 0 || header->timeout > max_timeout_ms) header->timeout = max_timeout_ms;
    }
    int result = real_ioctl(fd, request, argument);
    if (request == SG_IO && argument) {
        int error = errno;
        log_command(argument, result, error);
        errno = error;
    }
    return result;
}
