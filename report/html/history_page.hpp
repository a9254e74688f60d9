#pragma once
// The history page: one self-contained HTML page (report/html/page_kit.hpp) with line charts over
// time of the white-point drift, the luminance and the mean dE of a display's recorded
// verifications, and a table of the runs.
#include <filesystem>
#include <string>
#include <vector>

#include "records/history.hpp"

namespace calkit {

// runs: oldest first, as HistoryDb::runs gives them. Throws InputError when empty.
std::string render_history_html(const std::string& display, const std::vector<HistoryRun>& runs);
void write_history_html(const std::filesystem::path& path, const std::string& display,
                        const std::vector<HistoryRun>& runs);

// Seconds since 1970 of an ISO 8601 UTC date "YYYY-MM-DDTHH:MM:SSZ"; NaN when it is not one.
double history_time(const std::string& date);

}  // namespace calkit
