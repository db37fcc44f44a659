// What happens to a request, decided apart from any socket: the file to read
// to know why a request got the answer it got. A request passes these stages
// in order, and the first that settles it ends its way:
//
//   1. framing     what HTTP/1.1 asks of every request (transfer coding, Host)
//   2. routing     the route it names, with its ids and parameters checked
//   3. access      who sends it (a bearer token), and whether they may:
//                  http/access_control.hpp
//   4. ordering    a request that touches the stored ratings waits while
//                  earlier ones of the other kind on its connection are
//                  unanswered, so that a read sees exactly the earlier writes
//   5. the route   answered at once (health, a refusal), a rating for
//                  the rating pipeline, or a query for the readers
//
// The session (http/session.hpp) carries out the decision and keeps the
// answers in order (http/response_queue.hpp).

#pragma once

#include "actors/pipeline_health.hpp"
#include "auth/principal.hpp"
#include "config/settings.hpp"
#include "http/access_control.hpp"
#include "http/rating_request.hpp"
#include "http/request_identity.hpp"
#include "http/request_reader.hpp"
#include "http/responses.hpp"
#include "http/routes.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/system/error_code.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace heymovie::http {

/// What a request does with the stored ratings: requests of one kind run
/// alongside each other; one of the other kind waits until they are answered.
enum class storage_use : uint8_t { none, reads, writes };

/// What answering a request in its turn takes, whatever its answer.
struct request_info {
  /// The route's template, a metrics label ("other" when none matched).
  std::string_view route = "other";
  response_context ctx;
  /// HEAD: the answer goes without its body (its length is still given).
  bool head = false;
  storage_use touches = storage_use::none;
  /// "METHOD target" and the client's address for the access log; empty
  /// when it is off.
  std::string request_line;
  std::string client;
};

/// What the connection tells the pipeline about itself.
struct connection_view {
  /// No request after this one will be read: the service drains, or the
  /// connection is closing.
  bool closing = false;
  /// Earlier requests on the connection wait for their answers, by kind.
  bool reads_unanswered = false;
  bool writes_unanswered = false;
  /// The address at the other end of the connection.
  boost::asio::ip::address peer = {};
};

/// What the session does with a request.
struct decision {
  enum class action : uint8_t {
    /// Answer with `answer` in the request's turn. When its context says not
    /// to keep alive, it is the last request read on the connection.
    answer,
    /// Send `rating` to the rating pipeline; answer when its outcome comes.
    submit_rating,
    /// Have a reader run `read`; answer with what it finds.
    run_read,
    /// Keep the request until the earlier ones of the other kind are
    /// answered, then decide again; read nothing more meanwhile.
    wait,
  };

  action what = action::answer;
  request_info info;
  response answer;
  persistence::rating rating;
  route read;
};

class request_pipeline {
public:
  /// `health` says whether the rating pipeline takes requests (/readyz);
  /// `access`: the keys and rules of stage 3 (no keys: anyone may do
  /// anything).
  request_pipeline(const config::http_settings& settings,
                   const persistence::movie_catalog& catalog,
                   actors::pipeline_health_ptr health, bool access_log,
                   const access_settings& access = {});

  request_pipeline(const request_pipeline&) = delete;
  request_pipeline& operator=(const request_pipeline&) = delete;

  /// Decides about a request read whole; `now` (unix seconds) dates a rating
  /// that gives no timestamp. Its body may be changed (simdjson reads past
  /// its end).
  decision decide(request& req, const connection_view& conn, int64_t now);

  /// Whether to send `100 Continue` once the header of a request is read:
  /// its client waits for it before sending the body (RFC 9110 10.1.1). Not
  /// when the body has begun to arrive, nor when the connection closes.
  bool sends_continue(const request& header, const connection_view& conn,
                      bool body_begun) const;

  /// The answer to bytes that could not be read as a request (`read_error`;
  /// `timed_out`: they came too slowly); the connection closes after it.
  /// Nothing when the client just went away.
  std::optional<decision>
  decide_unreadable(const boost::system::error_code& read_error, bool timed_out,
                    const boost::asio::ip::address& peer = {}) const;

private:
  /// The stages after framing and routing; `who`: the principal, where the
  /// route needs one and access is controlled.
  decision route_request(request& req, const route& what,
                         const std::optional<auth::principal>& who,
                         const connection_view& conn, int64_t now);
  decision rating(request& req, request_info info,
                  const std::optional<auth::principal>& who, int64_t now);
  decision readiness(const route& what, request_info info) const;
  request_info describe(const request& req, std::string_view route,
                        const connection_view& conn) const;
  decision refuse(const request& req, const connection_view& conn,
                  std::string_view route, const api_error& err,
                  std::string_view allow = {}, bool must_close = false) const;

  const config::http_settings& settings_;
  rating_request_parser ratings_;
  std::optional<access_control> access_;
  actors::pipeline_health_ptr health_;
  bool access_log_;
  client_address clients_;
};

/// Whether a request of `touches` must wait for earlier ones on its
/// connection: reads wait for writes, writes for reads.
bool must_wait(storage_use touches, const connection_view& conn);

} // namespace heymovie::http
