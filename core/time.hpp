#pragma once
// Wall-clock time as calkit writes it into files: ISO 8601 UTC to the second (RFC 3339).
#include <ctime>
#include <string>

namespace calkit {

std::string utc_now();                       // "2026-12-02T16:12:51Z"
std::string utc_timestamp(std::time_t utc);  // the same for a given time

}  // namespace calkit
