#include "http/response_queue.hpp"

#include <algorithm>

namespace heymovie::http {

response_queue::slot_number response_queue::push(slot s) {
  slots_.push_back(std::move(s));
  return first_ + slots_.size() - 1;
}

response_queue::slot* response_queue::unanswered(slot_number n) {
  if (n < first_ || n - first_ >= slots_.size())
    return nullptr;
  auto& s = slots_[n - first_];
  return s.answer ? nullptr : &s;
}

void response_queue::answer(slot& s, response res) {
  // Content-Length stays as for the body: a HEAD answer describes it.
  if (s.info.head)
    res.body().clear();
  s.answer = std::move(res);
}

bool response_queue::unanswered(storage_use use) const noexcept {
  return std::any_of(slots_.begin(), slots_.end(), [use](const slot& s) {
    return !s.answer && s.info.touches == use;
  });
}

std::optional<response_queue::held_request> response_queue::release_held() {
  auto released = std::move(held_);
  held_.reset();
  return released;
}

response* response_queue::start_write(bool no_more_requests) {
  if (writing_ != nothing)
    return nullptr;
  if (!slots_.empty() && slots_.front().answer) {
    auto& res = *slots_.front().answer;
    // The last answer before the connection closes says so, also when the
    // close was decided after its request was read (a drain).
    if (no_more_requests && slots_.size() == 1 && !held_)
      res.keep_alive(false);
    writing_ = front;
    return &res;
  }
  if (continue_owed_ && slots_.empty()) {
    continue_owed_ = false;
    interim_ = response{boost::beast::http::status::continue_, http_1_1};
    writing_ = interim;
    return &interim_;
  }
  return nullptr;
}

response_queue::written response_queue::finish_write() {
  auto was = writing_;
  writing_ = nothing;
  if (was != front)
    return written::interim;
  bool keep_alive = slots_.front().answer->keep_alive();
  slots_.pop_front();
  ++first_;
  return keep_alive ? written::answer : written::last_answer;
}

} // namespace heymovie::http
