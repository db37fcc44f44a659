#include "loadgen/file_limit.hpp"

#include <cstdio>
#include <sys/resource.h>

namespace heymovie::loadgen {

uint64_t raise_file_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0)
    return 0;
  if (limit.rlim_cur < limit.rlim_max) {
    auto wanted = limit;
    wanted.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &wanted) == 0)
      limit = wanted;
  }
  return static_cast<uint64_t>(limit.rlim_cur);
}

void ensure_file_limit(size_t connections, size_t spare) {
  auto files = raise_file_limit();
  if (files < connections + spare)
    std::fprintf(stderr,
                 "loadgen: warning: %llu file descriptors for %zu "
                 "connections\n",
                 static_cast<unsigned long long>(files), connections);
}

} // namespace heymovie::loadgen
