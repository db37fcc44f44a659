#include "actors/messages.hpp"

namespace heymovie::actors {

void add_message_types(caf::actor_system_config& cfg) {
  cfg.add_message_type<rating>("heymovie::rating");
  cfg.add_message_type<rating_command>("heymovie::rating_command");
  cfg.add_message_type<rating_outcome>("heymovie::rating_outcome");
  cfg.add_message_type<rating_batch>("heymovie::rating_batch");
  cfg.add_message_type<batch_result>("heymovie::batch_result");
  cfg.add_message_type<rating_shard_actor>("heymovie::rating_shard_actor");
  cfg.add_message_type<router_actor>("heymovie::router_actor");
  cfg.add_message_type<shard_node_actor>("heymovie::shard_node_actor");
  cfg.add_message_type<db_writer_actor>("heymovie::db_writer_actor");
}

} // namespace heymovie::actors
