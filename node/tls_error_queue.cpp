// A mend for CAF 0.17.6's openssl module, which the cluster's mutual TLS
// uses. Its session (caf::openssl::session) calls SSL_get_error after a read,
// write, accept or connect without clearing OpenSSL's per-thread error queue
// before the call, as OpenSSL requires. An error left by one connection (a
// failed handshake, a peer gone) then reads as an error of the next
// connection the middleman's thread serves, and CAF drops that one too: a
// stranger's failed handshake, or the loss of one shard node, would cut
// every authenticated peer. These definitions clear the queue before each
// call and go on to libssl's. Being the executable's, they take precedence
// over libssl's for every library of the process; libpq, the other user of
// OpenSSL here, clears the queue itself, so nothing changes for it.

#include <cstdio>
#include <cstdlib>
#include <dlfcn.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

namespace {

/// libssl's own definition of `name`.
template<class Function>
Function* next_definition(const char* name) {
  static_assert(sizeof(Function*) == sizeof(void*));
  auto* found = dlsym(RTLD_NEXT, name);
  if (found == nullptr) {
    std::fprintf(stderr, "heymovie: libssl has no %s\n", name);
    std::abort();
  }
  return reinterpret_cast<Function*>(found);
}

} // namespace

extern "C" {

int SSL_read(SSL* ssl, void* buf, int num) {
  static auto* next = next_definition<int(SSL*, void*, int)>("SSL_read");
  ERR_clear_error();
  return next(ssl, buf, num);
}

int SSL_write(SSL* ssl, const void* buf, int num) {
  static auto* next = next_definition<int(SSL*, const void*, int)>("SSL_write");
  ERR_clear_error();
  return next(ssl, buf, num);
}

int SSL_accept(SSL* ssl) {
  static auto* next = next_definition<int(SSL*)>("SSL_accept");
  ERR_clear_error();
  return next(ssl);
}

int SSL_connect(SSL* ssl) {
  static auto* next = next_definition<int(SSL*)>("SSL_connect");
  ERR_clear_error();
  return next(ssl);
}

} // extern "C"
