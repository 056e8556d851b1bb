#ifndef ATTACHE_SPAWN_H
#define ATTACHE_SPAWN_H

#include <sys/types.h>

/// Starts `path` with `argv` and `envp` (NULL-terminated) in a process group of its own, with default
/// signal handling and an empty signal mask, in `directory` (unless NULL), standard input from
/// /dev/null, standard output and error to the file `output` (created or truncated; /dev/null when
/// NULL), and no other descriptor of the parent open.
/// Returns 0 and sets `*pid`, or the error number.
int attache_spawn(pid_t *pid, const char *path, char *const argv[], char *const envp[], const char *directory, const char *output);

#endif
