#pragma once
// The match report (report/match.hpp) as one self-contained HTML page in the verification
// report's style (report/html/page_kit.hpp): header with both runs' facts (probe and correction
// of each), the verdict, both displays' patches on one CIE 1976 u'v' diagram, the greyscale
// compared step by step, and a table of every patch with swatches A | B and their difference.
#include <filesystem>
#include <string>

#include "report/match.hpp"

namespace calkit {

std::string render_match_html(const MatchResult& result);
void write_match_html(const std::filesystem::path& path, const MatchResult& result);

}  // namespace calkit
