#include "support/loopback_http_server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <optional>
#include <thread>

namespace lienthong::test {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {

class session final : public std::enable_shared_from_this<session> {
  public:
    session(tcp::socket s, const std::function<loopback_response(const loopback_request&)>& h)
        : stream_(std::move(s)), handle_(h) {}

    void read() {
        req_ = {};
        parser_.emplace();
        parser_->body_limit(64 * 1024 * 1024);
        stream_.expires_after(std::chrono::seconds(30));
        http::async_read(stream_, buffer_, *parser_,
                         [self = shared_from_this()](beast::error_code ec, std::size_t) {
                             if (ec) {
                                 return self->close();
                             }
                             self->req_ = self->parser_->release();
                             self->respond();
                         });
    }

  private:
    void respond() {
        auto res = std::make_shared<loopback_response>(handle_(req_));
        res->version(req_.version());
        res->keep_alive(req_.keep_alive());
        res->prepare_payload();
        http::async_write(stream_, *res,
                          [self = shared_from_this(), res](beast::error_code ec, std::size_t) {
                              if (ec || !res->keep_alive()) {
                                  return self->close();
                              }
                              self->read();
                          });
    }

    void close() {
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
        stream_.socket().close(ignored);
    }

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    loopback_request req_;
    const std::function<loopback_response(const loopback_request&)>& handle_;
};

}  // namespace

struct loopback_http_server::impl {
    impl(std::function<loopback_response(const loopback_request&)> h, unsigned short port)
        : handle(std::move(h)),
          acceptor(ioc, tcp::endpoint(net::ip::make_address("127.0.0.1"), port)) {}

    void accept() {
        acceptor.async_accept([this](beast::error_code ec, tcp::socket s) {
            if (ec) {
                return;  // closed on stop
            }
            std::make_shared<session>(std::move(s), handle)->read();
            accept();
        });
    }

    std::function<loopback_response(const loopback_request&)> handle;
    net::io_context ioc;
    tcp::acceptor acceptor;
    std::thread thread;
};

loopback_http_server::loopback_http_server(
    std::function<loopback_response(const loopback_request&)> handle, unsigned short port)
    : impl_(std::make_shared<impl>(std::move(handle), port)) {
    impl_->accept();
    impl_->thread = std::thread([i = impl_.get()] { i->ioc.run(); });
}

loopback_http_server::~loopback_http_server() {
    // Sessions hold a reference to the handler: stop the loop (dropping them) before the members
    // go.
    impl_->ioc.stop();
    impl_->thread.join();
}

unsigned short loopback_http_server::port() const {
    return impl_->acceptor.local_endpoint().port();
}

}  // namespace lienthong::test
