#include "http/server.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <optional>

#include "http/problem.hpp"

namespace lienthong::bus::http {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

namespace {

class session final : public std::enable_shared_from_this<session> {
public:
    session(tcp::socket&& socket, const router& r, const server_limits& limits)
        : stream_(std::move(socket)), router_(r), limits_(limits) {}

    void run() {
        net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read_header(); });
    }

private:
    void read_header() {
        parser_.emplace();
        parser_->header_limit(static_cast<std::uint32_t>(limits_.max_header_bytes));
        parser_->body_limit(limits_.max_body_bytes);
        // The whole request (header and body) must arrive within the read timeout: a client that
        // trickles bytes is cut off.
        stream_.expires_after(limits_.read_timeout);
        beast_http::async_read_header(
            stream_, buffer_, *parser_,
            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                self->on_header(ec);
            });
    }

    void on_header(beast::error_code ec) {
        if (ec == beast_http::error::body_limit) {
            return refuse(core::fail(core::errc::payload_too_large,
                                     "the body is larger than the limit of " +
                                         std::to_string(limits_.max_body_bytes) + " bytes",
                                     "Content-Length"));
        }
        if (ec) {
            return close();
        }
        auto admitted = router_.admit(parser_->get().base());
        if (!admitted) {
            return refuse(std::move(admitted).error());
        }
        admission_ = std::move(*admitted);
        beast_http::async_read(stream_, buffer_, *parser_,
                               [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                   self->on_body(ec);
                               });
    }

    void on_body(beast::error_code ec) {
        if (ec == beast_http::error::body_limit) {
            return refuse(core::fail(core::errc::payload_too_large,
                                     "the body is larger than the limit of " +
                                         std::to_string(limits_.max_body_bytes) + " bytes"));
        }
        if (ec) {
            return close();
        }
        stream_.expires_never();
        request req = parser_->release();
        // The responder may run on any thread (e.g. the broker's): hop back onto our strand.
        auto respond = [self = shared_from_this()](response&& res) {
            net::post(self->stream_.get_executor(),
                      [self, res = std::move(res)]() mutable { self->write(std::move(res)); });
        };
        admission_.target->handle(req, admission_.who, std::move(respond));
    }

    /// Answers without reading the body, then closes: the unread body cannot be skipped safely.
    void refuse(const core::failure& f) {
        write(make_problem(f, parser_->get().version(), false));
    }

    void write(response&& res) {
        auto sp = std::make_shared<response>(std::move(res));
        stream_.expires_after(limits_.write_timeout);
        beast_http::async_write(stream_, *sp,
                                [self = shared_from_this(), sp](beast::error_code ec, std::size_t) {
                                    if (ec || !sp->keep_alive()) {
                                        return self->close();
                                    }
                                    self->read_header();
                                });
    }

    void close() {
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        stream_.socket().close(ignored);
    }

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<beast_http::request_parser<beast_http::string_body>> parser_;
    const router& router_;
    server_limits limits_;
    admission admission_;
};

}  // namespace

struct server::impl : std::enable_shared_from_this<server::impl> {
    impl(net::io_context& ioc, const tcp::endpoint& at, const router& r, server_limits l)
        : ioc_(ioc), at_(at), router_(r), limits_(l), acceptor_(net::make_strand(ioc)) {}

    void accept() {
        acceptor_.async_accept(net::make_strand(ioc_),
                               [self = shared_from_this()](beast::error_code ec, tcp::socket s) {
                                   if (ec == net::error::operation_aborted ||
                                       !self->acceptor_.is_open()) {
                                       return;
                                   }
                                   if (!ec) {
                                       std::make_shared<session>(std::move(s), self->router_,
                                                                 self->limits_)
                                           ->run();
                                   }
                                   self->accept();
                               });
    }

    net::io_context& ioc_;
    tcp::endpoint at_;
    const router& router_;
    server_limits limits_;
    tcp::acceptor acceptor_;
};

server::server(net::io_context& ioc, const tcp::endpoint& at, const router& r,
               server_limits limits)
    : impl_(std::make_shared<impl>(ioc, at, r, limits)) {}

server::~server() = default;

void server::start() {
    auto& a = impl_->acceptor_;
    a.open(impl_->at_.protocol());
    a.set_option(net::socket_base::reuse_address(true));
    a.bind(impl_->at_);
    a.listen(net::socket_base::max_listen_connections);
    impl_->accept();
}

void server::stop() {
    net::post(impl_->acceptor_.get_executor(), [i = impl_] {
        beast::error_code ignored;
        i->acceptor_.close(ignored);
    });
}

unsigned short server::port() const { return impl_->acceptor_.local_endpoint().port(); }

}  // namespace lienthong::bus::http
