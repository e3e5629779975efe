#pragma once
// The lienthongctl sub-commands that live outside main.cpp.
#include <string>
#include <string_view>
#include <vector>

namespace lienthong::ctl {

/// Whole file into `out`; false if it cannot be read.
bool read_file(const std::string& path, std::string& out);

/// The overview of every command (bus/ctl/help.cpp).
std::string_view general_help() noexcept;

/// The help text of one command; empty for an unknown command.
std::string_view command_help(std::string_view command) noexcept;

/// True when the arguments ask for help (`--help` or `-h` anywhere).
bool wants_help(const std::vector<std::string>& args) noexcept;

/// `validate [--schemas DIR] FILE...`: parse, schema and header checks only, each file checked
/// as a status or an edoc packet according to its content. One JSON line per file.
int cmd_validate(const std::vector<std::string>& args);

/// `verify [options] FILE...`: the bus's parse, schema and trust checks, offline (or, with
/// --generic, the trust checks on any XML-DSig document). One JSON line per file
/// {"file", "valid", "type", "detail"}; exit 0 when all are valid, 1 otherwise, 2 on bad usage
/// or unreadable trust material.
int cmd_verify(const std::vector<std::string>& args);

/// `verify-pdf [--trust PATH]... [--intermediates PATH]... [--crl PATH]... FILE.pdf...`: every
/// signature of each PDF (bus/pdf), one JSON line per file (the document verdict); exit 0 when
/// every file is `signed` (all signatures valid), 1 otherwise, 2 on bad usage or trust material.
int cmd_verify_pdf(const std::vector<std::string>& args);

/// `inspect [trust options as verify-pdf] PACKET...`: the attachments of each edXML packet and
/// their signature verdicts, one JSON line per packet {"file","summary","attachments"}; exit 0
/// when every attachment is `signed`, 1 otherwise, 2 on bad usage.
int cmd_inspect(const std::vector<std::string>& args);

/// `queues`, `dead-letters`, `replay`, `document`: the bus's admin API (bus/ctl/admin.cpp).
bool is_admin_command(const std::string& cmd);
int cmd_admin(const std::string& cmd, const std::vector<std::string>& args);

}  // namespace lienthong::ctl
