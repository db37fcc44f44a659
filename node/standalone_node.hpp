// Everything in one process: the HTTP front and the write pipeline it routes
// to, both on one actor system.

#pragma once

#include "config/service_config.hpp"
#include "node/http_front.hpp"
#include "node/node.hpp"
#include "node/write_pipeline.hpp"

#include <cstdint>
#include <vector>

namespace heymovie::node {

class standalone_node final : public node {
public:
  /// `movie_ids`: the catalogue the database has now; `access`: who may do
  /// what.
  standalone_node(config::service_config& cfg, std::vector<int32_t> movie_ids,
                  const http::access_settings& access);

  void drain() override;

private:
  bool start_role() override;
  void end_actors() override;

  write_pipeline writes_;
  http_front front_;
};

} // namespace heymovie::node
