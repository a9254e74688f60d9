#include "core/error.hpp"

#include <cerrno>
#include <cstring>

namespace calkit {

void throw_io_error(const std::string& path, const std::string& what) {
  throw IoError(path, what + ": " + std::strerror(errno));
}

}  // namespace calkit
