#pragma once
// Runs `lienthongctl verify` (the real binary) and reads its one-JSON-line-per-file verdicts.
#include <sys/wait.h>

#include <boost/json.hpp>
#include <cstdio>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace lienthong::test {

struct ctl_run {
    int exit_code = -1;
    std::vector<boost::json::object> verdicts;  ///< one per file, in order
    std::string output;                         ///< stdout as printed
};

/// `cd DIR && lienthongctl ARGS` through the shell (ARGS are shell words); stderr is dropped.
inline ctl_run run_ctl(const std::string& args, const std::string& dir = ".") {
    const std::string cmd =
        "cd '" + dir + "' && '" + std::string(LIENTHONG_CTL_EXE) + "' " + args + " 2>/dev/null";
    std::unique_ptr<FILE, decltype(&pclose)> pipe{popen(cmd.c_str(), "r"), pclose};
    if (!pipe) {
        throw std::runtime_error("cannot run " + cmd);
    }
    ctl_run run;
    char buffer[4096];
    while (std::fgets(buffer, sizeof buffer, pipe.get()) != nullptr) {
        run.output += buffer;
    }
    const int status = pclose(pipe.release());
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::istringstream lines(run.output);
    for (std::string line; std::getline(lines, line);) {
        if (!line.empty()) {
            run.verdicts.push_back(boost::json::parse(line).as_object());
        }
    }
    return run;
}

/// Single-quotes a path for run_ctl's shell words.
inline std::string quoted(const std::string& path) { return "'" + path + "'"; }

}  // namespace lienthong::test
