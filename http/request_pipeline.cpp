#include "http/request_pipeline.hpp"

#include "http/openapi_document.hpp"
#include "http/request_framing.hpp"

#include <boost/asio/error.hpp>
#include <boost/beast/http/error.hpp>

namespace heymovie::http {

namespace bhttp = boost::beast::http;
using error_code = boost::system::error_code;

namespace {

storage_use storage_use_of(route_kind kind) {
  switch (kind) {
  case route_kind::rating:
    return storage_use::writes;
  case route_kind::healthz:
  case route_kind::readyz:
  case route_kind::openapi:
    return storage_use::none;
  default:
    return storage_use::reads;
  }
}

/// Whether the route acts on a user's ratings, for which the request must
/// say who sends it. The movies and the service's health are public.
bool needs_principal(route_kind kind) {
  return kind == route_kind::rating || kind == route_kind::user_rating ||
         kind == route_kind::user_ratings;
}

/// The client went away (or we did): nothing to answer.
bool is_disconnect(const error_code& ec) {
  namespace asio = boost::asio;
  return ec == bhttp::error::end_of_stream ||
         ec == bhttp::error::partial_message || ec == asio::error::eof ||
         ec == asio::error::connection_reset ||
         ec == asio::error::operation_aborted || ec == asio::error::broken_pipe;
}

decision answer(request_info info, response res) {
  decision d;
  d.info = std::move(info);
  d.answer = std::move(res);
  return d;
}

} // namespace

bool must_wait(storage_use touches, const connection_view& conn) {
  return (touches == storage_use::reads && conn.writes_unanswered) ||
         (touches == storage_use::writes && conn.reads_unanswered);
}

request_pipeline::request_pipeline(const config::http_settings& settings,
                                   const persistence::movie_catalog& catalog,
                                   actors::pipeline_health_ptr health,
                                   bool access_log,
                                   const access_settings& access)
    : settings_(settings), ratings_(catalog), health_(std::move(health)),
      access_log_(access_log), clients_(settings.trusted_proxies) {
  if (access.keys)
    access_.emplace(access);
}

decision request_pipeline::decide(request& req, const connection_view& conn,
                                  int64_t now) {
  // 1. Framing.
  if (auto refused = check_transfer_coding(req))
    return refuse(req, conn, "other", refused->error, {},
                  refused->framing_lost);
  if (auto refused = check_host(req, req.version()))
    return refuse(req, conn, "other", *refused);
  // 2. Routing.
  auto matched = match_route(req.method(), req.target());
  if (auto* err = std::get_if<route_error>(&matched))
    return refuse(req, conn, err->name, err->error, err->allow);
  auto& what = std::get<route>(matched);
  // 3. Access.
  std::optional<auth::principal> who;
  if (access_ && needs_principal(what.kind)) {
    auto verified = access_->authenticate(req, now);
    if (auto* err = std::get_if<api_error>(&verified))
      return refuse(req, conn, what.name, *err);
    who = std::get<auth::principal>(verified);
    if (what.kind != route_kind::rating)
      if (auto refusal = access_control::may_read(*who, what.id))
        return refuse(req, conn, what.name, *refusal);
  }
  return route_request(req, what, who, conn, now);
}

decision
request_pipeline::route_request(request& req, const route& what,
                                const std::optional<auth::principal>& who,
                                const connection_view& conn, int64_t now) {
  // 4. Ordering.
  auto touches = storage_use_of(what.kind);
  if (must_wait(touches, conn)) {
    decision wait;
    wait.what = decision::action::wait;
    return wait;
  }
  // 5. The route.
  auto info = describe(req, what.name, conn);
  info.touches = touches;
  switch (what.kind) {
  case route_kind::rating:
    return rating(req, std::move(info), who, now);
  case route_kind::healthz: {
    auto ctx = info.ctx;
    return answer(std::move(info), json_response(R"({"status":"ok"})", ctx));
  }
  case route_kind::readyz:
    return readiness(what, std::move(info));
  case route_kind::openapi: {
    auto ctx = info.ctx;
    return answer(std::move(info),
                  json_response(std::string{openapi_document()}, ctx));
  }
  default: {
    decision read;
    read.what = decision::action::run_read;
    read.info = std::move(info);
    read.read = what;
    return read;
  }
  }
}

decision request_pipeline::rating(request& req, request_info info,
                                  const std::optional<auth::principal>& who,
                                  int64_t now) {
  auto content_type = req[bhttp::field::content_type];
  // Two Content-Type fields say nothing certain about the body.
  if (req.count(bhttp::field::content_type) != 1 ||
      !is_json_media_type({content_type.data(), content_type.size()})) {
    auto ctx = info.ctx;
    return answer(std::move(info),
                  error_response({api_errc::unsupported_media_type,
                                  "Content-Type must be application/json"},
                                 ctx));
  }
  // A token's subject stands in for a `user` left out.
  auto parsed = ratings_.read(req.body(), now, !who);
  if (auto* err = std::get_if<api_error>(&parsed)) {
    auto ctx = info.ctx;
    return answer(std::move(info), error_response(*err, ctx));
  }
  auto& fields = std::get<rating_fields>(parsed);
  if (who) {
    if (!fields.user_given)
      fields.value.user = who->user;
    if (auto refusal =
            access_->may_rate(*who, fields, std::chrono::steady_clock::now())) {
      auto ctx = info.ctx;
      return answer(std::move(info), error_response(*refusal, ctx));
    }
  }
  decision submit;
  submit.what = decision::action::submit_rating;
  submit.info = std::move(info);
  submit.rating = fields.value;
  return submit;
}

decision request_pipeline::readiness(const route& what,
                                     request_info info) const {
  if (auto reason = health_->not_ready_reason(); !reason.empty()) {
    auto ctx = info.ctx;
    return answer(std::move(info),
                  error_response({api_errc::unavailable, reason}, ctx));
  }
  // The pipeline takes requests: whether the database answers is a read.
  decision ping;
  ping.what = decision::action::run_read;
  ping.info = std::move(info);
  ping.read = what;
  return ping;
}

bool request_pipeline::sends_continue(const request& header,
                                      const connection_view& conn,
                                      bool body_begun) const {
  return expects_continue(header, header.version()) && !body_begun &&
         !conn.closing;
}

std::optional<decision> request_pipeline::decide_unreadable(
    const error_code& read_error, bool timed_out,
    const boost::asio::ip::address& peer) const {
  request_info info;
  info.ctx = {http_1_1, false, settings_.retry_after, request_id_for({})};
  if (access_log_)
    info.client = clients_.of(peer, {});
  auto refuse_with = [&](api_errc code, std::string message) {
    auto ctx = info.ctx;
    return answer(std::move(info),
                  error_response({code, std::move(message)}, ctx));
  };
  if (timed_out)
    return refuse_with(api_errc::request_timeout,
                       "the request did not arrive within the header timeout");
  if (read_error == bhttp::error::body_limit)
    return refuse_with(api_errc::body_too_large,
                       "the body is larger than " +
                           std::to_string(settings_.body_limit) + " bytes");
  if (read_error == bhttp::error::buffer_overflow)
    return refuse_with(
        api_errc::body_too_large,
        "the request is larger than " +
            std::to_string(request_reader::buffer_limit(settings_)) + " bytes");
  if (read_error == bhttp::error::header_limit)
    return refuse_with(api_errc::headers_too_large,
                       "the request header is larger than " +
                           std::to_string(settings_.header_limit) + " bytes");
  if (!is_disconnect(read_error))
    return refuse_with(api_errc::bad_request,
                       "malformed HTTP request: " + read_error.message());
  return std::nullopt;
}

request_info request_pipeline::describe(const request& req,
                                        std::string_view route,
                                        const connection_view& conn) const {
  request_info info;
  info.route = route;
  info.ctx = {req.version(), keeps_alive(req, req.version()) && !conn.closing,
              settings_.retry_after, request_id_for(req["X-Request-Id"])};
  info.head = req.method() == bhttp::verb::head;
  if (access_log_) {
    info.request_line =
        std::string{req.method_string()} + " " + std::string{req.target()};
    // Every X-Forwarded-For line, in order: a proxy appends its own line
    // after whatever the client sent.
    std::string forwarded_for;
    auto [line, end] = req.equal_range("X-Forwarded-For");
    for (; line != end; ++line)
      forwarded_for.append(forwarded_for.empty() ? "" : ", ")
          .append(line->value());
    info.client = clients_.of(conn.peer, forwarded_for);
  }
  return info;
}

decision request_pipeline::refuse(const request& req,
                                  const connection_view& conn,
                                  std::string_view route, const api_error& err,
                                  std::string_view allow,
                                  bool must_close) const {
  auto info = describe(req, route, conn);
  if (must_close)
    info.ctx.keep_alive = false;
  auto ctx = info.ctx;
  return answer(std::move(info), error_response(err, ctx, allow));
}

} // namespace heymovie::http
