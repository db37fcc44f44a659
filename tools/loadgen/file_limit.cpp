#include "loadgen/file_limit.hpp"

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

} // namespace heymovie::loadgen
