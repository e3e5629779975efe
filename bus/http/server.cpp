#include "http/server.hpp"

#include <array>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <optional>
#include <string_view>

#include "core/log.hpp"
#include "http/framing.hpp"
#include "http/problem.hpp"
#include "http/problem_titles.hpp"
#include "http/tls.hpp"

namespace lienthong::bus::http {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;
using tls_stream = beast::ssl_stream<beast::tcp_stream>;

namespace {

constexpr std::size_t idle_buffer_bytes = 4096;     // what a connection keeps between requests
constexpr std::size_t body_read_bytes = 64 * 1024;  // room per read while a large body arrives

/// One connection, plain (Stream = beast::tcp_stream) or TLS (Stream = tls_stream).
template <class Stream>
class session final : public std::enable_shared_from_this<session<Stream>> {
    static constexpr bool is_tls = std::is_same_v<Stream, tls_stream>;

  public:
    /// `open` counts live connections; this session holds one of them until it is destroyed.
    template <class... TlsContext>
    session(tcp::socket&& socket, const router& r, const server_limits& limits,
            std::shared_ptr<std::atomic<std::size_t>> open, TlsContext&... tls)
        : stream_(std::move(socket), tls...), router_(r), limits_(limits), open_(std::move(open)) {}

    ~session() { open_->fetch_sub(1); }

    void run() {
        net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
            if constexpr (is_tls) {
                self->handshake();
            } else {
                self->read_header();
            }
        });
    }

  private:
    auto& tcp() { return beast::get_lowest_layer(stream_); }

    void handshake() {
        tcp().expires_after(limits_.header_timeout);
        stream_.async_handshake(
            net::ssl::stream_base::server,
            [self = this->shared_from_this()](beast::error_code ec) { self->on_handshake(ec); });
    }

    void on_handshake(beast::error_code ec) {
        if constexpr (is_tls) {
            SSL* ssl = stream_.native_handle();
            if (ec) {
                // An untrusted or expired client certificate ends here, before any HTTP.
                core::log(core::log_level::info, "tls.handshake_failed",
                          {{"reason", ec.message()}, {"certificate", verify_failure_of(ssl)}});
                return close();
            }
            connection_ = connection_info_of(ssl);
        }
        read_header();
    }

    void read_header() {
        if (buffer_.capacity() > idle_buffer_bytes && buffer_.size() == 0) {
            buffer_.shrink_to_fit();  // an idle keep-alive connection holds no body-sized room
        }
        parser_.emplace();
        parser_->header_limit(static_cast<std::uint32_t>(limits_.max_header_bytes));
        parser_->body_limit(limits_.max_body_bytes);
        tcp().expires_after(limits_.header_timeout);
        beast_http::async_read_header(
            stream_, buffer_, *parser_,
            [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
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
            auto bad = parse_failure(ec, limits_.max_header_bytes);
            return bad ? refuse(*bad) : close();
        }
        const auto& header = parser_->get().base();
        if (auto framed = check_framing(header); !framed) {
            return refuse(framed.error());
        }
        auto admitted = router_.admit(header, connection_);
        if (!admitted) {
            return refuse(std::move(admitted).error());
        }
        admission_ = std::move(*admitted);
        if (expects_continue(header) && !parser_->is_done()) {
            return send_continue();
        }
        read_body();
    }

    /// The header passed every check: the client that waits for it may send the body now
    /// (RFC 9110 section 15.2.1). A refusal instead goes out as the final answer at once.
    void send_continue() {
        static constexpr std::string_view interim = "HTTP/1.1 100 Continue\r\n\r\n";
        tcp().expires_after(limits_.write_timeout);
        net::async_write(stream_, net::buffer(interim.data(), interim.size()),
                         [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                             return ec ? self->close() : self->read_body();
                         });
    }

    void read_body() {
        // Beast receives at most the buffer's spare room per read (512 bytes at least): after a
        // header that room is a few KB, so a 1 MB body took hundreds of reads, each with its
        // executor, timer and syscall work (a third of the bus's CPU per 1 MB document). Room
        // for 64 KB per read while a large body comes in (issue 17).
        if (const auto length = parser_->content_length(); length && *length > idle_buffer_bytes) {
            buffer_.reserve(
                static_cast<std::size_t>(std::min<std::uint64_t>(*length, body_read_bytes)));
        }
        tcp().expires_after(limits_.body_timeout);
        beast_http::async_read(stream_, buffer_, *parser_,
                               [self = this->shared_from_this()](
                                   beast::error_code ec, std::size_t) { self->on_body(ec); });
    }

    void on_body(beast::error_code ec) {
        if (ec == beast_http::error::body_limit) {
            return refuse(core::fail(core::errc::payload_too_large,
                                     "the body is larger than the limit of " +
                                         std::to_string(limits_.max_body_bytes) + " bytes"));
        }
        if (ec) {
            auto bad = parse_failure(ec, limits_.max_header_bytes);  // e.g. a bad chunk size
            return bad ? refuse(*bad) : close();
        }
        tcp().expires_never();
        request req = parser_->release();
        // The responder may run on any thread (e.g. the broker's): hop back onto our strand.
        auto respond = [self = this->shared_from_this()](response&& res) {
            net::post(self->stream_.get_executor(),
                      [self, res = std::move(res)]() mutable { self->write(std::move(res)); });
        };
        router_.dispatch(admission_, std::move(req), std::move(respond));
    }

    /// Answers without reading the body, then closes (gracefully, see linger): the unread body,
    /// or bytes whose framing is in doubt, cannot be skipped safely.
    void refuse(const core::failure& f) {
        core::log(core::log_level::info, "http.refused",
                  {{"type", std::string(core::type_slug(f.code))}, {"detail", f.log_detail}});
        auto res = make_problem(f, parser_->get().version() == 10 ? 10 : 11, false);
        localize_problem(
            res, preferred_language(parser_->get().base()[beast_http::field::accept_language]));
        write(std::move(res));
    }

    void write(response&& res) {
        auto sp = std::make_shared<response>(std::move(res));
        tcp().expires_after(limits_.write_timeout);
        beast_http::async_write(
            stream_, *sp, [self = this->shared_from_this(), sp](beast::error_code ec, std::size_t) {
                if (ec) {
                    return self->close();
                }
                if (!sp->keep_alive()) {
                    return self->linger();
                }
                self->read_header();
            });
    }

    /// The graceful close after an answer that ends the connection (RFC 9112 section 9.6): the
    /// client may still be sending a body we did not read, and closing with unread bytes makes
    /// the kernel reset the connection, which can destroy the answer before the client has read
    /// it. So: half-close (the client sees the end after the answer), read and discard until the
    /// client closes too, for at most linger_timeout and linger_bytes, then close.
    void linger() {
        beast::error_code ignored;
        tcp().socket().shutdown(tcp::socket::shutdown_send, ignored);
        lingered_ = buffer_.size();
        buffer_.consume(buffer_.size());
        tcp().expires_after(limits_.linger_timeout);
        discard(std::make_shared<std::array<char, 16 * 1024>>());
    }

    void discard(std::shared_ptr<std::array<char, 16 * 1024>> sink) {
        if (lingered_ >= limits_.linger_bytes) {
            return close();
        }
        // Below TLS on purpose: the bytes are thrown away, and no TLS record is owed any more.
        tcp().async_read_some(net::buffer(*sink), [self = this->shared_from_this(), sink](
                                                      beast::error_code ec, std::size_t n) {
            self->lingered_ += n;
            return ec ? self->close() : self->discard(sink);
        });
    }

    /// Closes the socket without a TLS close_notify: every response carries its length, so a
    /// client cannot mistake a truncated one for a whole one, and a hostile peer cannot hold the
    /// connection open by never answering the shutdown.
    void close() {
        beast::error_code ignored;
        tcp().socket().shutdown(tcp::socket::shutdown_send, ignored);
        tcp().socket().close(ignored);
    }

    Stream stream_;
    beast::flat_buffer buffer_;
    std::optional<beast_http::request_parser<beast_http::string_body>> parser_;
    const router& router_;
    server_limits limits_;
    std::shared_ptr<std::atomic<std::size_t>> open_;
    connection_info connection_;
    admission admission_;
    std::size_t lingered_ = 0;  // bytes discarded after a closing answer
};

}  // namespace

struct server::impl : std::enable_shared_from_this<server::impl> {
    impl(net::io_context& ioc, const tcp::endpoint& at, const router& r, server_limits l,
         net::ssl::context* tls)
        : ioc_(ioc), at_(at), router_(r), limits_(l), tls_(tls), acceptor_(net::make_strand(ioc)) {}

    void accept() {
        acceptor_.async_accept(net::make_strand(ioc_), [self = shared_from_this()](
                                                           beast::error_code ec, tcp::socket s) {
            if (ec == net::error::operation_aborted || !self->acceptor_.is_open()) {
                return;
            }
            if (!ec) {
                self->start_session(std::move(s));
            }
            self->accept();
        });
    }

    void start_session(tcp::socket&& s) {
        if (open_->fetch_add(1) >= limits_.max_connections) {
            open_->fetch_sub(1);
            core::log(core::log_level::warn, "http.connection_refused",
                      {{"reason", "max_connections"},
                       {"limit", std::to_string(limits_.max_connections)}});
            beast::error_code ignored;
            s.close(ignored);
            return;
        }
        if (tls_ != nullptr) {
            std::make_shared<session<tls_stream>>(std::move(s), router_, limits_, open_, *tls_)
                ->run();
        } else {
            std::make_shared<session<beast::tcp_stream>>(std::move(s), router_, limits_, open_)
                ->run();
        }
    }

    net::io_context& ioc_;
    tcp::endpoint at_;
    const router& router_;
    server_limits limits_;
    net::ssl::context* tls_;
    tcp::acceptor acceptor_;
    std::shared_ptr<std::atomic<std::size_t>> open_ = std::make_shared<std::atomic<std::size_t>>(0);
};

server::server(net::io_context& ioc, const tcp::endpoint& at, const router& r, server_limits limits,
               net::ssl::context* tls)
    : impl_(std::make_shared<impl>(ioc, at, r, limits, tls)) {}

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
