/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: the policy loader (policy.c) and, for a policy that loads,
 * the verdicts it gives (evaluate.c): licences, scopes, date windows,
 * max-age-days, attribution patterns, open-licence handling.
 *
 * rs_policy_load() reads a path, and the library is not changed for the
 * fuzzer, so each input is written to one memfd per process and loaded
 * through /proc/self/fd/N: nothing to clean up when a crash ends the
 * process (a temporary file would stay behind).  Where memfd_create() is
 * missing, a file under /dev/shm (or $TMPDIR) is used and removed at exit.
 *
 * The documents judged are built from the built-in rules' own `match:`
 * examples (one text with all of them, and a Markdown file with a date in
 * its front matter), so every source can be reproduced and every licence
 * the fuzzer writes can apply, without agency text in this repository.
 */
#include "fuzz_common.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int policy_fd = -1;
static char policy_path[256];
static rs_buf examples_text; /* "x.txt": every match example, a line each */
static rs_buf examples_md;   /* "x.md": the same under front matter with a date */

static void remove_policy_file(void)
{
    unlink(policy_path);
}

static void open_policy_file(void)
{
#ifdef MFD_CLOEXEC
    policy_fd = memfd_create("rightscan-fuzz-policy", MFD_CLOEXEC);
    if (policy_fd >= 0) {
        snprintf(policy_path, sizeof policy_path, "/proc/self/fd/%d", policy_fd);
        return;
    }
#endif
    const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");
    snprintf(policy_path, sizeof policy_path, "%s/rightscan-fuzz-policy-%ld.yaml",
             dir ? dir : "/tmp", (long)getpid());
    policy_fd = open(policy_path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (policy_fd < 0)
        fuzz_fail("cannot create %s", policy_path);
    atexit(remove_policy_file);
}

static void add_example(void *ctx, const rs_example_result *r)
{
    (void)ctx;
    if (r->expected_match && r->example) {
        rs_buf_puts(&examples_text, r->example);
        rs_buf_putc(&examples_text, '\n');
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_init();
    open_policy_file();
    rs_buf_init(&examples_text, 0);
    rs_buf_init(&examples_md, 0);
    rs_ruleset_test_examples(fuzz_builtin_rules(), add_example, NULL);
    rs_buf_puts(&examples_md, "---\ntitle: t\ndate: 2026-10-01\n---\n");
    rs_buf_append(&examples_md, examples_text.data, examples_text.len);
    return 0;
}

static void diag_cb(void *ctx, const rs_diag *d)
{
    (void)ctx;
    if (!d || !d->file || !d->message)
        fuzz_fail("policy diagnostic incomplete");
    fuzz_touch_str(d->file);
    fuzz_touch_str(d->message);
}

static void write_input(const uint8_t *data, size_t size)
{
    if (ftruncate(policy_fd, 0) != 0 || lseek(policy_fd, 0, SEEK_SET) != 0)
        fuzz_fail("cannot reset %s", policy_path);
    for (size_t done = 0; done < size;) {
        ssize_t n = write(policy_fd, data + done, size - done);
        if (n <= 0)
            fuzz_fail("cannot write %s", policy_path);
        done += (size_t)n;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    write_input(data, size);
    rs_policy *pol = NULL;
    rs_status st = rs_policy_load(policy_path, fuzz_builtin_rules(), diag_cb, NULL, &pol);
    if ((st == RS_OK) != (pol != NULL))
        fuzz_fail("rs_policy_load returned %s with policy %p", rs_strerror(st), (void *)pol);
    if (pol) {
        rs_scan_options opt;
        fuzz_scan_options(&opt);
        opt.policy = pol;
        rs_scanner *s = NULL;
        if (rs_scanner_new(fuzz_builtin_rules(), &opt, &s) != RS_OK)
            fuzz_fail("cannot make a scanner with a policy that loaded");
        fuzz_scan_memory(s, "examples.txt", (const uint8_t *)examples_text.data, examples_text.len);
        fuzz_scan_memory(s, "examples.md", (const uint8_t *)examples_md.data, examples_md.len);
        rs_scanner_free(s);
    }
    rs_policy_free(pol);
    return 0;
}
