#pragma once
// The verification report as ONE self-contained HTML page (report/html/page_kit.hpp). One run
// gives a single report; two runs (uncalibrated, calibrated) go side by side as before and after.
#include <filesystem>
#include <string>
#include <vector>

#include "report/verification.hpp"

namespace calkit {

std::string render_html(const std::vector<VerificationResult>& runs);
void write_html_report(const std::filesystem::path& path, const std::vector<VerificationResult>& runs);

}  // namespace calkit
