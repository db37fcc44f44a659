// Which shard owns a user. Stable: the same user maps to the same shard in
// every process and on every node, and growing the shard count from n to n+1
// moves only about 1/(n+1) of the users (jump consistent hashing, Lamping and
// Veach 2014, over a 64-bit mix of the user id).

#pragma once

#include <cstddef>
#include <cstdint>

namespace heymovie::actors {

/// SplitMix64's finaliser: consecutive user ids land far apart.
constexpr uint64_t mix_user_id(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/// Maps `user` to a shard in [0, shards); `shards` must be positive.
constexpr uint32_t shard_of_user(int32_t user, size_t shards) {
  auto key = mix_user_id(static_cast<uint32_t>(user));
  int64_t bucket = -1;
  int64_t next = 0;
  while (next < static_cast<int64_t>(shards)) {
    bucket = next;
    key = key * 2862933555777941757ULL + 1;
    next = static_cast<int64_t>(static_cast<double>(bucket + 1) *
                                (static_cast<double>(1LL << 31) /
                                 static_cast<double>((key >> 33) + 1)));
  }
  return static_cast<uint32_t>(bucket);
}

} // namespace heymovie::actors
