#include "support/sample_app.hpp"

#include <cstdio>

namespace heymovie::testing {

namespace {

/// A log file of this test process's, empty.
std::string fresh_log(const std::string& name) {
  auto path = temp_path(name);
  std::remove(path.c_str());
  return path;
}

} // namespace

sample_app::sample_app(std::vector<std::string> args)
    : db(sample_movies_csv()), service(db.url(), std::move(args)) {
  // nop
}

sample_app::sample_app(std::vector<std::string> args,
                       const std::string& log_name)
    : db(sample_movies_csv()),
      service(db.url(), std::move(args), fresh_log(log_name)) {
  // nop
}

} // namespace heymovie::testing
