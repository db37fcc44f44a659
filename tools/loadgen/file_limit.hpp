// Many connections need many file descriptors: the soft limit (often 1024)
// is raised as far as the hard limit allows.

#pragma once

#include <cstdint>

namespace heymovie::loadgen {

/// Raises RLIMIT_NOFILE's soft limit to its hard limit; returns the soft
/// limit in force afterwards.
uint64_t raise_file_limit();

} // namespace heymovie::loadgen
