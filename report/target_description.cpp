#include "report/target_description.hpp"

#include <fmt/core.h>

namespace calkit {

TargetDescription describe_target(const Target& target) {
  TargetDescription d;
  d.name = target.name;
  // The gamut the colours are held to (P3 inside a Rec.2020 container draws as P3), with the
  // container's white, which is the white the signal encodes.
  d.red = target.gamut.red;
  d.green = target.gamut.green;
  d.blue = target.gamut.blue;
  d.white = target.container.white;
  d.hdr = target.hdr();
  switch (target.eotf) {
    case TargetEotf::Bt1886:
      d.eotf = "BT.1886";
      break;
    case TargetEotf::Power:
      d.eotf = fmt::format("gamma {:g}", target.gamma);
      break;
    case TargetEotf::Pq:
      d.eotf = "PQ";
      break;
  }
  d.white_nits = d.hdr ? target.mastering_peak : target.white_nits;
  d.black_nits = target.display_black_XYZ.y();
  if (d.hdr && !target.reference_XYZ) {
    d.roll_off = roll_off_name(target.roll_off);
    if (target.display_peak_nits > 0) d.display_peak_nits = target.display_peak_nits;
  }
  return d;
}

}  // namespace calkit
