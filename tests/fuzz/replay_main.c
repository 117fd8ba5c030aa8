/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Replay driver: runs a fuzz target's LLVMFuzzerTestOneInput() once on
 * each file named on the command line (a folder stands for the files in
 * it, recursively, in byte order of names), without libFuzzer, so that
 * `make test` replays the regression inputs and the corpus with the
 * project's usual compiler and flags (and under `make test-sanitize`,
 * with AddressSanitizer).  A target that finds a broken invariant aborts,
 * and so does this program: its exit status is the test result.
 *
 * Prints one closing line, "NAME: N passed, N failed", where a failure is
 * a path that could not be read (an input that breaks the target never
 * gets that far).
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned long replayed;

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    size_t cap = 1 << 16, len = 0, n;
    unsigned char *data = malloc(cap);
    while (data && (n = fread(data + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            unsigned char *p = realloc(data, cap *= 2);
            if (!p)
                free(data);
            data = p;
        }
    }
    int bad = !data || ferror(f);
    fclose(f);
    if (bad) {
        fprintf(stderr, "%s: cannot read\n", path);
        free(data);
        return -1;
    }
    /* The exact size, as libFuzzer gives it: a read one past the end is
     * then a heap overflow that AddressSanitizer can see. */
    unsigned char *exact = malloc(len ? len : 1);
    if (!exact) {
        free(data);
        return -1;
    }
    memcpy(exact, data, len);
    free(data);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    replayed++;
    return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int replay_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        perror(path);
        return -1;
    }
    if (!S_ISDIR(st.st_mode))
        return replay_file(path);
    struct dirent **list;
    int n = scandir(path, &list, NULL, by_name);
    if (n < 0) {
        perror(path);
        return -1;
    }
    int rc = 0;
    for (int i = 0; i < n; i++) {
        const char *name = list[i]->d_name;
        if (name[0] != '.' && rc == 0) {
            size_t l = strlen(path) + strlen(name) + 2;
            char *child = malloc(l);
            if (!child) {
                rc = -1;
            } else {
                snprintf(child, l, "%s/%s", path, name);
                rc = replay_path(child);
                free(child);
            }
        }
        free(list[i]);
    }
    free(list);
    return rc;
}

int main(int argc, char **argv)
{
    const char *self = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    int failed = 0;
    for (int i = 1; i < argc; i++)
        if (replay_path(argv[i]) != 0)
            failed++;
    printf("%s: %lu passed, %d failed\n", self, replayed, failed);
    return failed;
}
