#pragma once
// The uniformity report (report/uniformity.hpp) as one self-contained HTML page
// (report/html/page_kit.hpp): the verdict, and per level a heat map of dE2000 and one of the
// luminance deviation over the grid, with a table of every zone.
#include <filesystem>
#include <string>

#include "report/uniformity.hpp"

namespace calkit {

std::string render_uniformity_html(const UniformityResult& result);
void write_uniformity_html(const std::filesystem::path& path, const UniformityResult& result);

}  // namespace calkit
