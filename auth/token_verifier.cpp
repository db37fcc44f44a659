#include "auth/token_verifier.hpp"

namespace heymovie::auth {

token_verifier::token_verifier(std::shared_ptr<const verification_keys> keys,
                               token_rules rules, size_t cache_capacity)
    : keys_(std::move(keys)), rules_(std::move(rules)),
      capacity_(cache_capacity) {
  index_.reserve(capacity_);
}

std::variant<principal, token_problem>
token_verifier::verify(std::string_view token, int64_t now) {
  if (auto hit = index_.find(token); hit != index_.end()) {
    auto position = hit->second;
    if (auto problem = check_period(position->second, rules_, now)) {
      index_.erase(hit);
      recent_.erase(position);
      return *problem;
    }
    recent_.splice(recent_.begin(), recent_, position);
    return position->second.who;
  }
  auto verified = verify_token(token, *keys_, rules_, now);
  if (auto* problem = std::get_if<token_problem>(&verified))
    return *problem;
  auto& good = std::get<verified_token>(verified);
  remember(token, good);
  return good.who;
}

void token_verifier::remember(std::string_view token,
                              const verified_token& verified) {
  if (capacity_ == 0)
    return;
  if (index_.size() >= capacity_) {
    index_.erase(recent_.back().first);
    recent_.pop_back();
  }
  recent_.emplace_front(std::string{token}, verified);
  index_.emplace(recent_.front().first, recent_.begin());
}

} // namespace heymovie::auth
