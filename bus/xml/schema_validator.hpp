#pragma once
#include <memory>
#include <string>

#include "core/result.hpp"
#include "xml/libxml.hpp"

namespace lienthong::bus::xml {

/// A compiled XSD. Load once at start-up; validate() is thread-safe (one validation context per
/// call over the shared, read-only compiled schema).
class schema_validator final {
  public:
    /// Compiles the XSD at `xsd_path`. Throws std::runtime_error naming the file on failure.
    static schema_validator load(const std::string& xsd_path);

    /// Ok, or schema_invalid with one {line, path, message} issue per violation.
    core::result<void> validate(xmlDoc* doc) const;

  private:
    struct impl;
    explicit schema_validator(std::shared_ptr<const impl> p) : impl_(std::move(p)) {}
    std::shared_ptr<const impl> impl_;
};

}  // namespace lienthong::bus::xml
