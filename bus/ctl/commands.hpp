#pragma once
// The lienthongctl sub-commands that live outside main.cpp.
#include <string>
#include <vector>

namespace lienthong::ctl {

/// Whole file into `out`; false if it cannot be read.
bool read_file(const std::string& path, std::string& out);

/// `validate [--schemas DIR] FILE...`: schema and header checks only. One JSON line per file.
int cmd_validate(const std::vector<std::string>& args);

/// `verify [options] FILE...`: the bus's parse, schema and trust checks, offline (or, with
/// --generic, the trust checks on any XML-DSig document). One JSON line per file
/// {"file", "valid", "type", "detail"}; exit 0 when all are valid, 1 otherwise, 2 on bad usage
/// or unreadable trust material.
int cmd_verify(const std::vector<std::string>& args);

/// `queues`, `dead-letters`, `replay`, `document`: the bus's admin API (bus/ctl/admin.cpp).
bool is_admin_command(const std::string& cmd);
int cmd_admin(const std::string& cmd, const std::vector<std::string>& args);

}  // namespace lienthong::ctl
