// The record of a run, for `loadgen verify`: one line per finished request,
// `user,movie,half_stars,timestamp_or_empty,status` (status 0: no answer).
// Each worker thread buffers its lines and appends them to the shared file
// in whole chunks; a user's requests all come from one connection on one
// thread, so per user the file keeps the order in which they were sent.

#pragma once

#include "loadgen/rating.hpp"

#include <cstdio>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace heymovie::loadgen {

/// One line of the record.
struct record_entry {
  rating what;
  int status = 0;
};

/// Appends one line, with its newline, to `out`.
void append_record_line(const rating& r, int status, std::string& out);

/// Parses one line (a trailing CR is ignored); on failure returns nothing
/// and says why in `error`.
std::optional<record_entry> parse_record_line(std::string_view line,
                                              std::string& error);

/// The record file, shared by the workers.
class record_file {
public:
  /// Creates or truncates `path`; throws std::runtime_error when it cannot.
  explicit record_file(const std::string& path);
  ~record_file();
  record_file(const record_file&) = delete;
  record_file& operator=(const record_file&) = delete;

  /// Appends `chunk` as one piece. After a write error it writes nothing
  /// more (the run goes on) and error() says what happened.
  void append(std::string_view chunk);

  /// Empty while every write succeeded.
  std::string error() const;

private:
  mutable std::mutex mutex_;
  std::FILE* file_;
  std::string path_;
  std::string error_;
};

/// A worker's buffer in front of the record file (or of nothing, when the
/// run records nothing).
class recorder {
public:
  explicit recorder(record_file* file) : file_(file) {}

  void add(const rating& r, int status) {
    if (file_ == nullptr)
      return;
    append_record_line(r, status, buffer_);
    if (buffer_.size() >= flush_size)
      flush();
  }

  /// Writes what is buffered.
  void flush();

private:
  static constexpr size_t flush_size = 64 * 1024;
  record_file* file_;
  std::string buffer_;
};

} // namespace heymovie::loadgen
