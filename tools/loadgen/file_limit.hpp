// Many connections need many file descriptors: the soft limit (often 1024)
// is raised as far as the hard limit allows.

#pragma once

#include <cstddef>
#include <cstdint>

namespace heymovie::loadgen {

/// Raises RLIMIT_NOFILE's soft limit to its hard limit; returns the soft
/// limit in force afterwards.
uint64_t raise_file_limit();

/// Raises the limit and warns on stderr when it stays below `connections`
/// plus `spare` descriptors.
void ensure_file_limit(size_t connections, size_t spare);

} // namespace heymovie::loadgen
