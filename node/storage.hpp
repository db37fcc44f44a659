// The PostgreSQL storage a node's actors use, made from the settings: the
// only place that picks the implementations behind persistence's interfaces.

#pragma once

#include "config/settings.hpp"
#include "persistence/batch_writer.hpp"
#include "persistence/read_queries.hpp"

#include <pqxx/connection>

#include <memory>

namespace heymovie::node {

/// A connection to the node's database once it is reachable (waiting up to
/// 30 s at start-up), its schema brought up to date.
std::unique_ptr<pqxx::connection> open_database(const config::settings& s);

/// Each DB writer's connection: its statements time out with the request
/// deadline, so that a batch given up is no longer running.
persistence::batch_writer_factory
postgres_batch_writers(const config::settings& s);

/// Each DB reader's connection, with the same statement timeout.
persistence::read_queries_factory postgres_readers(const config::settings& s);

} // namespace heymovie::node
