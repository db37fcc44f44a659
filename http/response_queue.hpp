// The answers owed on one connection, in the order of its requests (HTTP/1.1
// pipelining). Each request takes a slot when it is read; its answer fills
// the slot whenever it is ready, and answers leave from the front only, one
// write at a time. The queue also keeps the one request that waits for
// earlier ones of the other kind (see request_pipeline), and the interim
// `100 Continue` owed to the request being read, which goes out once every
// earlier answer has. No sockets: the session writes what the queue hands
// out.

#pragma once

#include "http/request_pipeline.hpp"
#include "http/request_reader.hpp"
#include "http/responses.hpp"
#include "persistence/rating.hpp"

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>

namespace heymovie::http {

class response_queue {
public:
  using clock = std::chrono::steady_clock;
  /// Numbers slots in the order of their requests, for the whole connection.
  using slot_number = uint64_t;

  struct slot {
    slot(request_info info, clock::time_point received)
        : info(std::move(info)), received(received) {
      // nop
    }

    request_info info;
    clock::time_point received;
    /// POST /rating: the rating to echo once its outcome is known.
    persistence::rating echo;
    /// Reads: when to stop waiting for a reader (answered 503 then).
    std::optional<clock::time_point> deadline;
    /// Set once answered.
    std::optional<response> answer;
  };

  /// A request read while earlier ones of the other kind were unanswered.
  struct held_request {
    request req;
    clock::time_point received;
  };

  /// What `finish_write` says was written.
  enum class written : uint8_t {
    interim,     ///< the 100 Continue
    answer,      ///< an answer; the connection stays open after it
    last_answer, ///< an answer that said Connection: close
  };

  /// Requests queued, answered or not.
  size_t size() const noexcept { return slots_.size(); }
  bool empty() const noexcept { return slots_.empty(); }

  /// Queues the slot of the next request; returns its number.
  slot_number push(slot s);

  /// The slot numbered `n` if it waits for its answer; else nullptr (it was
  /// answered, or the connection has moved on).
  slot* unanswered(slot_number n);

  /// Gives `s` its answer; a HEAD request's goes without its body.
  static void answer(slot& s, response res);

  /// Calls `f(slot&)` for every unanswered slot whose deadline has passed.
  template<class F>
  void for_each_overdue(clock::time_point now, F f) {
    for (auto& s : slots_)
      if (!s.answer && s.deadline && now >= *s.deadline)
        f(s);
  }

  /// Whether an unanswered request of that use is queued.
  bool unanswered(storage_use use) const noexcept;

  /// Keeps `r` until `release_held`; one at a time.
  void hold(held_request r) { held_ = std::move(r); }
  bool holding() const noexcept { return held_.has_value(); }
  std::optional<held_request> release_held();

  /// The request being read waits for `100 Continue` before its body.
  void owe_continue() noexcept { continue_owed_ = true; }
  /// It does not any more: its body came, or the connection closes.
  void forget_continue() noexcept { continue_owed_ = false; }

  /// The message to write now, or nullptr: the front answer once it is
  /// ready, else the owed `100 Continue` once no earlier answer is owed;
  /// nothing while a write is in progress. `no_more_requests`: none will be
  /// read after the ones queued, so the last answer says Connection: close.
  response* start_write(bool no_more_requests);

  /// The write that `start_write` started has ended; the answer leaves the
  /// queue.
  written finish_write();

  bool writing() const noexcept { return writing_ != nothing; }

private:
  enum write_kind : uint8_t { nothing, interim, front };

  std::deque<slot> slots_;
  /// Number of the slot at the front.
  slot_number first_ = 0;
  std::optional<held_request> held_;
  bool continue_owed_ = false;
  write_kind writing_ = nothing;
  /// `100 Continue`, written as it is.
  response interim_;
};

} // namespace heymovie::http
