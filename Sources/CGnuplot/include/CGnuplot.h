#ifndef MYO_CGNUPLOT_H
#define MYO_CGNUPLOT_H
#include <stddef.h>
#ifdef __cplusplus
extern "C" {
#endif

/// Starts gnuplot with the shell command line `command` (through gnuplot-iostream), sends it
/// `script` followed by `exit`, and waits for it to finish. Returns 0 on success. On failure
/// returns non-zero and writes a NUL-terminated message of at most `capacity` bytes into
/// `error`. Never lets a C++ exception escape.
int myo_gnuplot_run(const char *command, const char *script, char *error, size_t capacity);

#ifdef __cplusplus
}
#endif
#endif
