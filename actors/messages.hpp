// The contract between the layers: every atom, message type and typed actor
// interface of the rating pipeline and the read path, grouped by recipient.
// Types that may cross nodes (router <-> shard) have an `inspect` overload
// and are announced in `add_message_types`; `outcome_sink_ptr` and
// `read_job_ptr` are local only.

#pragma once

#include "persistence/db_error.hpp"
#include "persistence/rating.hpp"

#include <caf/actor_system_config.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace heymovie::persistence {
class read_queries;
} // namespace heymovie::persistence

namespace heymovie::actors {

using persistence::rating;

// -- rating requests and their outcomes --------------------------------------

/// What became of one rating request. The HTTP layer maps these to statuses
/// (`error_of` in `http/api_error.hpp`).
enum class outcome : uint8_t {
  created,       ///< committed, the rating is new
  replaced,      ///< committed, it replaced the user's earlier rating
  shard_full,    ///< backpressure: the shard's pending limit was reached
  shard_down,    ///< the user's shard (on another node) is unreachable
  unknown_movie, ///< the database has no such movie (any more)
  unavailable,   ///< the database could not commit in time
  failed,        ///< the database refused the rating (a server fault)
  shutting_down, ///< the service is draining and admits nothing new
};

/// A ticket names one request of one submitter: the submitter's id in the high
/// 16 bits, its own sequence number in the low 48.
using ticket = uint64_t;

/// The bits of a ticket that hold the sequence number.
inline constexpr uint64_t ticket_sequence_mask = (uint64_t{1} << 48) - 1;

constexpr ticket make_ticket(uint16_t submitter, uint64_t seq) {
  return (uint64_t{submitter} << 48) | (seq & ticket_sequence_mask);
}

constexpr uint16_t submitter_of(ticket t) {
  return static_cast<uint16_t>(t >> 48);
}

/// The submitter's sequence number (modulo 2^48) of ticket `t`.
constexpr uint64_t sequence_of(ticket t) {
  return t & ticket_sequence_mask;
}

struct rating_command {
  ticket id = 0;
  rating value;
};

template<class Inspector>
typename Inspector::result_type inspect(Inspector& f, rating_command& x) {
  return f(caf::meta::type_name("rating_command"), x.id, x.value);
}

struct rating_outcome {
  ticket id = 0;
  outcome result = outcome::unavailable;
};

template<class Inspector>
typename Inspector::result_type inspect(Inspector& f, rating_outcome& x) {
  return f(caf::meta::type_name("rating_outcome"), x.id, x.result);
}

/// Where outcomes go back to: implemented by the HTTP layer, one per
/// submitter. `deliver` runs on a CAF thread and must not block.
class outcome_sink {
public:
  virtual ~outcome_sink() = default;
  virtual uint16_t submitter() const noexcept = 0;
  virtual void deliver(std::vector<rating_outcome> outcomes) = 0;
};

using outcome_sink_ptr = std::shared_ptr<outcome_sink>;

// -- batches between shards and DB writers -----------------------------------

struct rating_batch {
  uint64_t id = 0;
  /// Distinct (user, movie) pairs.
  std::vector<rating> rows;
};

template<class Inspector>
typename Inspector::result_type inspect(Inspector& f, rating_batch& x) {
  return f(caf::meta::type_name("rating_batch"), x.id, x.rows);
}

/// The batch id of a result that says "the writer died": whatever batch the
/// shard had in flight with that writer is lost. Real batches count from 1.
inline constexpr uint64_t lost_batch_id = 0;

struct batch_result {
  uint64_t batch_id = lost_batch_id;
  /// Per row of the batch: created, replaced, or why it was not written;
  /// empty when the batch was lost (every row unavailable).
  std::vector<outcome> rows;
};

template<class Inspector>
typename Inspector::result_type inspect(Inspector& f, batch_result& x) {
  return f(caf::meta::type_name("batch_result"), x.batch_id, x.rows);
}

// -- reads --------------------------------------------------------------------

/// A query to run on a reader connection, implemented by the HTTP layer (the
/// actors never see what it asks or how the answer is rendered). Local only.
class read_job {
public:
  virtual ~read_job() = default;
  /// A short name for metrics, e.g. "movie".
  virtual const char* name() const noexcept = 0;
  /// After it the request has been answered 503: not worth running.
  virtual std::chrono::steady_clock::time_point deadline() const noexcept = 0;
  /// Runs on a reader's thread and answers; or returns the error that kept
  /// it from answering (the reader may run it once more, else calls `fail`).
  virtual std::optional<persistence::db_error>
  run(persistence::read_queries& db) = 0;
  /// The query failed with `err`: answer so.
  virtual void fail(const persistence::db_error& err) = 0;
  /// No reader could take the job (too many queued).
  virtual void refuse() = 0;
};

using read_job_ptr = std::shared_ptr<read_job>;

// -- atoms --------------------------------------------------------------------

using submit_atom = caf::atom_constant<caf::atom("submit")>;
using rate_atom = caf::atom_constant<caf::atom("rate")>;
using outcome_atom = caf::atom_constant<caf::atom("outcome")>;
using flush_atom = caf::atom_constant<caf::atom("flush")>;
using ready_atom = caf::atom_constant<caf::atom("ready")>;
using grant_atom = caf::atom_constant<caf::atom("grant")>;
using write_atom = caf::atom_constant<caf::atom("write")>;
using written_atom = caf::atom_constant<caf::atom("written")>;
using expect_atom = caf::atom_constant<caf::atom("expect")>;
using done_atom = caf::atom_constant<caf::atom("done")>;
using drain_atom = caf::atom_constant<caf::atom("drain")>;
using close_atom = caf::atom_constant<caf::atom("close")>;
using read_atom = caf::atom_constant<caf::atom("read")>;
using shards_atom = caf::atom_constant<caf::atom("shards")>;
using retry_atom = caf::atom_constant<caf::atom("retry")>;
using refresh_atom = caf::atom_constant<caf::atom("refresh")>;

// -- typed interfaces, by recipient ------------------------------------------

/// One DB writer: one connection, one transaction at a time. It writes in
/// rounds: one batch from each shard it serves (an empty batch from a shard
/// with nothing to write), all in one transaction, each result to the shard
/// that sent the batch. The pool says how many shards it granted the writer
/// (`expect`); a shard whose batch was written sends its next one with no
/// grant, as the answer to its result.
using db_writer_actor = caf::typed_actor<
    caf::reacts_to<write_atom, rating_batch, caf::strong_actor_ptr>,
    caf::reacts_to<expect_atom, uint32_t>>;

/// A rating shard: owns a fixed set of users. Commands come from routers
/// (the sender is where outcomes go); the writer pool grants it a writer when
/// one is free, and the writer sends back the result, to which the shard
/// answers with its next batch (possibly empty, which ends its turn with that
/// writer). A result with `lost_batch_id` means "the writer died: the batch
/// in flight with it was lost". `drain`: stop lingering (what arrives now was
/// accepted before). `close`, from a shard node that is going away: stop
/// lingering too, refuse new ratings as `shutting_down`, and answer `done`
/// once every rating accepted before has its outcome.
using rating_shard_actor = caf::typed_actor<
    caf::reacts_to<rate_atom, std::vector<rating_command>>,
    caf::reacts_to<grant_atom, db_writer_actor>,
    caf::reacts_to<written_atom, batch_result, db_writer_actor>,
    caf::reacts_to<flush_atom, uint64_t>, caf::reacts_to<drain_atom>,
    caf::replies_to<close_atom>::with<done_atom>>;

/// A shard node's front, published with the middleman: gateways ask it for
/// the node's shards.
using shard_node_actor = caf::typed_actor<
    caf::replies_to<shards_atom>::with<std::vector<rating_shard_actor>>>;

/// A gateway's link to one shard node: connects, installs the node's shards
/// in the router, and reconnects whenever the node goes away.
using shard_node_link_actor = caf::typed_actor<caf::reacts_to<retry_atom>>;

/// The router: HTTP hands it batches of commands, shards hand it outcomes
/// (the sender tells which shard). In a gateway, the links to shard nodes
/// install each node's shards at their positions with `shards`.
using router_actor = caf::typed_actor<
    caf::reacts_to<submit_atom, std::vector<rating_command>, outcome_sink_ptr>,
    caf::reacts_to<outcome_atom, uint32_t, std::vector<rating_outcome>>,
    caf::reacts_to<shards_atom, uint32_t, std::vector<rating_shard_actor>>,
    caf::reacts_to<drain_atom>>;

/// The writer pool: shards that have a batch ready and no writer queue here,
/// and get a writer as soon as one is idle: all shards waiting at that moment
/// share it. After each round a writer reports the shards that stay with it
/// (those whose batch it wrote: they answer with their next one), and the
/// pool adds the shards that queued meanwhile. Pulling (rather than pushing
/// sealed batches) lets batches grow until the moment a writer can take them.
using writer_pool_actor =
    caf::typed_actor<caf::reacts_to<ready_atom, rating_shard_actor>,
                     caf::reacts_to<done_atom, db_writer_actor,
                                    std::vector<rating_shard_actor>>>;

/// A DB reader: one connection, one query at a time.
using db_reader_actor =
    caf::typed_actor<caf::reacts_to<read_atom, read_job_ptr>>;

/// The reader pool: hands each job to an idle reader, queues a bounded number
/// while all are busy and refuses the rest.
using reader_pool_actor =
    caf::typed_actor<caf::reacts_to<read_atom, read_job_ptr>,
                     caf::reacts_to<done_atom, db_reader_actor>>;

/// Keeps the movie catalogue in step with the database; `refresh` is its
/// own timer.
using catalog_refresher_actor = caf::typed_actor<caf::reacts_to<refresh_atom>>;

/// Announces the types above that may cross nodes; call before the actor
/// system starts, on every node.
void add_message_types(caf::actor_system_config& cfg);

} // namespace heymovie::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(heymovie::actors::outcome_sink_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(heymovie::actors::read_job_ptr)
